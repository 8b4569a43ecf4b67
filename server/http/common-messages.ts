import type { Message, MessageCatalogue } from './localized-validation.ts';

/**
 * Messages that several features give in the same words, German first; each feature's catalogue
 * spreads these and adds its own. Keys are the stable `code` of an error.
 */
export const commonMessages: MessageCatalogue = {
  sign_in_required: { de: 'Bitte zuerst anmelden.', en: 'Please sign in first.' },
  unknown_department: { de: 'Es gibt keine Dienststelle mit dem Kürzel „{code}“.', en: 'There is no department with the code "{code}".' },
  unknown_area: { de: 'Es gibt kein Gebiet mit der Kennung {id}.', en: 'There is no area with the id {id}.' },
};

/** The message of a code parameter's pattern (`format.<field>`): "Expected a code such as …". */
export function codeLike(example: string): Message {
  return { de: `Erwartet wird ein Kürzel wie „${example}“.`, en: `Expected a code such as "${example}".` };
}

/** Longitude and latitude in degrees, wherever a route takes a point (`field.lon`, `field.lat`). */
export const coordinateMessages: MessageCatalogue = {
  'field.lon': { de: 'Muss ein Längengrad in Grad zwischen -180 und 180 sein.', en: 'Must be a longitude in degrees between -180 and 180.' },
  'field.lat': { de: 'Muss ein Breitengrad in Grad zwischen -90 und 90 sein.', en: 'Must be a latitude in degrees between -90 and 90.' },
};

export const notAnAreaId: Message = { de: 'Ist keine Gebietskennung (UUID).', en: 'Is not an area id (UUID).' };
