import type { MessageCatalogue } from '../http/localized-validation.ts';

const code: MessageCatalogue[string] = {
  de: 'Erwartet wird eine Liste von Kürzeln wie „kita“ (Kleinbuchstaben, Ziffern, _ . -).',
  en: 'Expected a list of codes such as "kita" (lower-case letters, digits, _ . -).',
};

/** Messages of the vector tiles and their TileJSON, German first. */
export const tileMessages: MessageCatalogue = {
  'field.z': { de: 'Muss eine Zoomstufe von 0 bis 20 sein.', en: 'Must be a zoom level from 0 to 20.' },
  'field.x': { de: 'Muss eine Kachelspalte sein (eine ganze Zahl ab 0).', en: 'Must be a tile column (a whole number from 0).' },
  'field.y': { de: 'Muss eine Kachelzeile sein (eine ganze Zahl ab 0).', en: 'Must be a tile row (a whole number from 0).' },
  beyond_zoom: { de: 'Muss auf Zoomstufe {zoom} unter {size} liegen.', en: 'Must be below {size} at zoom {zoom}.' },
  'format.type': code,
  'format.targetGroup': code,
  'format.accessible': code,
  'format.language': { de: 'Erwartet wird ein Sprachkürzel wie „tr“.', en: 'Expected a language code such as "tr".' },
};
