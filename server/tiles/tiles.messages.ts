import { codeLike } from '../http/common-messages.ts';
import type { MessageCatalogue } from '../http/localized-validation.ts';

/** Messages of the vector tiles and their TileJSON, German first (a list item's field is `type.0`, …). */
export const tileMessages: MessageCatalogue = {
  'field.z': { de: 'Muss eine Zoomstufe von 0 bis 20 sein.', en: 'Must be a zoom level from 0 to 20.' },
  'field.x': { de: 'Muss eine Kachelspalte sein (eine ganze Zahl ab 0).', en: 'Must be a tile column (a whole number from 0).' },
  'field.y': { de: 'Muss eine Kachelzeile sein (eine ganze Zahl ab 0).', en: 'Must be a tile row (a whole number from 0).' },
  beyond_zoom: { de: 'Muss auf Zoomstufe {zoom} unter {size} liegen.', en: 'Must be below {size} at zoom {zoom}.' },
  'format.type': codeLike('kita'),
  'format.targetGroup': codeLike('seniors'),
  'format.accessible': codeLike('step_free_entrance'),
  'format.language': codeLike('tr'),
  unknown_term: { de: '„{code}“ ist kein bekanntes Kürzel.', en: '"{code}" is not a known code.' },
};
