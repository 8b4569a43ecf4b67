import { coordinateMessages } from '../http/common-messages.ts';
import type { MessageCatalogue } from '../http/localized-validation.ts';

/** Messages of the citizens' search (GET /api/search), German first. */
export const searchMessages: MessageCatalogue = {
  ...coordinateMessages,
  'field.radius': {
    de: 'Muss eine Entfernung in ganzen Metern zwischen 50 und 50000 (50 km) sein.',
    en: 'Must be a distance in whole metres between 50 and 50000 (50 km).',
  },
  'field.age': { de: 'Muss ein Alter in ganzen Jahren zwischen 0 und 130 sein.', en: 'Must be an age in whole years between 0 and 130.' },
  'field.page': { de: 'Muss eine Seitenzahl ab 1 sein.', en: 'Must be a page number from 1.' },
  'field.pageSize': { de: 'Muss eine ganze Zahl zwischen 1 und 50 sein.', en: 'Must be a whole number between 1 and 50.' },
  'field.openNow': { de: 'Muss „true“ oder „false“ sein.', en: 'Must be "true" or "false".' },
  'field.free': { de: 'Muss „true“ oder „false“ sein.', en: 'Must be "true" or "false".' },
  'format.at': {
    de: 'Muss ein Zeitpunkt wie 2025-11-03T10:00 (Kölner Zeit) oder 2025-11-03T09:00:00Z sein.',
    en: 'Must be a date and time such as 2025-11-03T10:00 (Köln time) or 2025-11-03T09:00:00Z.',
  },
  'field.id': { de: 'Ist keine Angebotskennung (UUID).', en: 'Is not an offer id (UUID).' },
  bad_code: {
    de: '„{item}“ ist kein gültiges Kürzel (Kürzel sehen aus wie „seniors“: Kleinbuchstaben, Ziffern, _ . -).',
    en: '"{item}" is not a valid code (codes look like "seniors": lower-case letters, digits, _ . -).',
  },
  bad_language: {
    de: '„{item}“ ist kein ISO-639-Sprachkürzel wie „de“ oder „tr“.',
    en: '"{item}" is not an ISO 639 language code such as "de" or "tr".',
  },
  lat_lon_together: { de: 'lat und lon werden nur zusammen angegeben.', en: 'lat and lon must be given together.' },
  address_or_coordinates: { de: 'Bitte entweder eine Adresse oder lat und lon angeben, nicht beides.', en: 'Give either an address or lat and lon, not both.' },
  open_now_or_at: { de: 'Bitte entweder openNow oder at angeben, nicht beides.', en: 'Give either openNow or at, not both.' },
  // Raised inside the search service, answered in the request's language by the problem handler.
  invalid_date: { de: 'Ist kein wirkliches Datum mit Uhrzeit.', en: 'Is not a real date and time.' },
  address_not_found: {
    de: 'In der Stadt wurde keine Straße und kein Ort „{address}“ gefunden.',
    en: 'No street or place called "{address}" was found in the city.',
  },
  address_not_found_detail: {
    de: 'address: In der Stadt wurde keine Straße und kein Ort „{address}“ gefunden.',
    en: 'address: no street or place called "{address}" was found in the city.',
  },
  unknown_offer_type: { de: '„{code}“ ist keine bekannte Angebotsart.', en: '"{code}" is not a known offer type code.' },
  unknown_target_group: { de: '„{code}“ ist keine bekannte Zielgruppe.', en: '"{code}" is not a known target group code.' },
  unknown_field_of_action: { de: '„{code}“ ist kein bekanntes Handlungsfeld.', en: '"{code}" is not a known field of action code.' },
  unknown_accessibility: { de: '„{code}“ ist kein bekanntes Merkmal der Barrierefreiheit.', en: '"{code}" is not a known accessibility feature code.' },
  offer_not_found: { de: 'Es gibt kein veröffentlichtes Angebot mit dieser Kennung.', en: 'There is no published offer with this id.' },
  page_too_deep: {
    de: 'Zu tief: Nur die ersten {max} Treffer lassen sich durchblättern; bitte die Suche eingrenzen.',
    en: 'Too deep: only the first {max} results can be paged through; narrow the search instead.',
  },
};
