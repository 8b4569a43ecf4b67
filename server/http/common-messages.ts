import type { MessageCatalogue } from './localized-validation.ts';

/**
 * Messages that several features give in the same words, German first; each feature's catalogue
 * spreads these and adds its own. Keys are the stable `code` of an error.
 */
export const commonMessages: MessageCatalogue = {
  sign_in_required: { de: 'Bitte zuerst anmelden.', en: 'Please sign in first.' },
  unknown_department: { de: 'Es gibt keine Dienststelle mit dem Kürzel „{code}“.', en: 'There is no department with the code "{code}".' },
  unknown_area: { de: 'Es gibt kein Gebiet mit der Kennung {id}.', en: 'There is no area with the id {id}.' },
};
