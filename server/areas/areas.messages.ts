import type { MessageCatalogue } from '../http/localized-validation.ts';

/** Messages of GET /api/areas, German first. */
export const areaMessages: MessageCatalogue = {
  'field.parentId': { de: 'Ist keine Gebietskennung (UUID).', en: 'Is not an area id (UUID).' },
};
