import type { MessageCatalogue } from '../http/localized-validation.ts';

/** Messages of the address search (GET /api/geocode, /suggest, /streets), German first. */
export const geocodingMessages: MessageCatalogue = {
  needs_letter: { de: 'Braucht mindestens einen Buchstaben.', en: 'Needs at least one letter.' },
  'field.limit': { de: 'Muss eine ganze Zahl zwischen 1 und 20 sein.', en: 'Must be a whole number between 1 and 20.' },
  bbox_numbers: { de: 'Muss aus vier Zahlen bestehen: West,Süd,Ost,Nord.', en: 'Must be four numbers: west,south,east,north.' },
  bbox_order: {
    de: 'Muss ein Rechteck mit West < Ost und Süd < Nord innerhalb von ±180/±90 Grad sein.',
    en: 'Must be a box with west < east and south < north within ±180/±90 degrees.',
  },
  bbox_too_large: {
    de: 'Ist zu groß: bitte auf höchstens etwa 6 × 4 km heranzoomen.',
    en: 'Is too large: zoom in to at most about 6 × 4 km.',
  },
};
