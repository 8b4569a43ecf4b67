import { commonMessages } from '../http/common-messages.ts';
import type { MessageCatalogue } from '../http/localized-validation.ts';

/** Messages of the offers feature, German first. Keys are the stable `code` of a field error. */
export const offerMessages: MessageCatalogue = {
  ...commonMessages,
  'format.phone': {
    de: 'Ist keine Telefonnummer; erlaubt sind Ziffern, Leerzeichen und + / - ( ), zum Beispiel 0221 123456.',
    en: 'Is not a telephone number; use digits, spaces and + / - ( ), for example +49 221 123456.',
  },
  'format.postalCode': { de: 'Eine Postleitzahl hat fünf Ziffern.', en: 'A postal code has five digits.' },
  'format.languages': {
    de: 'Sprachen werden als ISO-639-Kürzel angegeben, zum Beispiel de, en, tr.',
    en: 'Languages are given as ISO 639 codes, for example de, en, tr.',
  },
  age_range: {
    de: 'Das Höchstalter darf nicht unter dem Mindestalter ({minAge}) liegen.',
    en: 'The maximum age must not be below the minimum age ({minAge}).',
  },
  location_required: {
    de: 'Bitte mindestens einen Standort angeben (oder als Reichweite Gebiete wählen).',
    en: 'Please give at least one location (or choose areas as the reach).',
  },
  duplicate_location: { de: 'Ein Standort ist doppelt angegeben.', en: 'A location is listed twice.' },
  duplicate_area: { de: 'Ein Gebiet ist doppelt angegeben.', en: 'An area is listed twice.' },
  duplicate_language: { de: 'Eine Sprache ist doppelt angegeben.', en: 'A language is listed twice.' },
  source_pair: {
    de: 'Quelle (source) und externe Kennung (externalId) werden nur zusammen angegeben.',
    en: 'Source and external id (externalId) are given together or not at all.',
  },
  unknown_term: {
    de: 'Unbekanntes Kürzel „{code}“ ({taxonomy}). Die gültigen Kürzel stehen in der Spaltenliste der Importseite und in der Auswahl des Angebotsformulars.',
    en: 'Unknown code "{code}" ({taxonomy}). The valid codes are listed with the columns on the import page and in the choices of the offer form.',
  },
  department_required: {
    de: 'Bitte die Dienststelle angeben, der das Angebot gehört.',
    en: 'Please give the department that owns the offer.',
  },
  unknown_organization: { de: 'Es gibt keinen Träger mit dieser Kennung.', en: 'There is no organization with this id.' },
  unknown_location: {
    de: 'Dieser Standort gehört nicht zu diesem Angebot; neue Standorte werden ohne id angegeben.',
    en: 'This location does not belong to this offer; give new locations without an id.',
  },
  outside_city: {
    de: 'Der Punkt liegt außerhalb von {city} (Längengrad {west} bis {east}, Breitengrad {south} bis {north}). Sind Längen- und Breitengrad vertauscht?',
    en: 'The point lies outside {city} (longitude {west} to {east}, latitude {south} to {north}). Are longitude and latitude swapped?',
  },
  opening_hours_syntax: {
    de: 'Die Öffnungszeiten sind nicht im OpenStreetMap-Format (Beispiel: „Mo-Fr 09:00-17:00; PH off“): {detail}',
    en: 'The opening hours are not in OpenStreetMap syntax (example: "Mo-Fr 09:00-17:00; PH off"): {detail}',
  },
  editor_department_only: {
    de: 'Sie dürfen nur Angebote Ihrer eigenen Dienststelle ({code}) anlegen.',
    en: 'You may only create offers of your own department ({code}).',
  },
  invalid_json: { de: 'Die Datei ist kein gültiges JSON.', en: 'The file is not valid JSON.' },
  invalid_csv: {
    de: 'Die CSV-Datei ist nicht lesbar: {detail}',
    en: 'The CSV file cannot be read: {detail}',
  },
  csv_column_count: {
    de: 'Die CSV-Datei ist nicht lesbar: Zeile {line} hat {found} Spalten, die Kopfzeile {expected}. Oft fehlen Anführungszeichen um einen Text mit Komma oder Semikolon.',
    en: 'The CSV file cannot be read: line {line} has {found} columns, the header {expected}. Often a text with a comma or semicolon lacks its quotation marks.',
  },
  csv_quotes: {
    de: 'Die CSV-Datei ist nicht lesbar: In Zeile {line} ist ein Anführungszeichen nicht geschlossen oder steht mitten im Text.',
    en: 'The CSV file cannot be read: on line {line} a quotation mark is not closed or stands inside a text.',
  },
  csv_unreadable: {
    de: 'Die CSV-Datei ist nicht lesbar (Zeile {line}). Bitte als „CSV UTF-8“ speichern und erneut hochladen.',
    en: 'The CSV file cannot be read (line {line}). Please save it as "CSV UTF-8" and upload it again.',
  },
  invalid_number: { de: 'Ist keine Zahl.', en: 'Is not a number.' },
  empty_file: { de: 'Die Datei ist leer.', en: 'The file is empty.' },
  no_records: {
    de: 'Die Datei enthält keine Angebote (nur eine Kopfzeile oder eine leere Liste).',
    en: 'The file holds no offers (only a header line or an empty list).',
  },
  invalid_encoding: {
    de: 'Die Datei ist nicht in UTF-8 kodiert; bitte als „CSV UTF-8“ speichern.',
    en: 'The file is not encoded as UTF-8; please save it as "CSV UTF-8".',
  },
  nul_character: {
    de: 'Die Datei enthält ein NUL-Zeichen (\\u0000); solche Zeichen können nicht gespeichert werden.',
    en: 'The file holds a NUL character (\\u0000), which cannot be stored.',
  },
  invalid_coordinates: {
    de: 'Längen- und Breitengrad fehlen oder sind keine Zahlen.',
    en: 'Longitude and latitude are missing or not numbers.',
  },
  address_not_found: {
    de: 'Die Adresse „{address}“ ist im Straßenverzeichnis der Stadt nicht zu finden. Bitte Straße und Hausnummer prüfen oder Längen- und Breitengrad angeben.',
    en: 'The address "{address}" is not in the city\'s street register. Please check street and house number, or give longitude and latitude.',
  },
  address_approximated: {
    de: 'Die Hausnummer von „{address}“ ist im Straßenverzeichnis nicht verzeichnet; der Standort liegt bei „{found}“. Bitte auf der Karte prüfen.',
    en: 'The house number of "{address}" is not in the street register; the location was placed at "{found}". Please check it on the map.',
  },
  invalid_column_mapping: {
    de: 'Die Zuordnung der Spalten ist nicht lesbar; bitte die Spalten erneut zuordnen.',
    en: 'The column mapping cannot be read; please map the columns again.',
  },
  duplicate_row: {
    de: 'Dieselbe Quelle und externe Kennung stehen schon in Zeile {row}.',
    en: 'The same source and external id appear in row {row} already.',
  },
};

/** Details of errors that are not about one field (AppError `detail`). */
export const offerProblemMessages: MessageCatalogue = {
  ...commonMessages,
  not_found: { de: 'Dieses Angebot gibt es nicht (oder es ist nicht öffentlich).', en: 'This offer does not exist (or is not public).' },
  read_only_role: {
    de: 'Ihre Rolle (Planung) darf Angebote lesen, aber nicht ändern.',
    en: 'Your role (planner) may read offers but not change them.',
  },
  other_department: {
    de: 'Dieses Angebot gehört der Dienststelle {code}; Sie dürfen nur Angebote Ihrer eigenen Dienststelle ändern.',
    en: 'This offer belongs to the department {code}; you may only change offers of your own department.',
  },
  change_department: {
    de: 'Nur die Administration darf ein Angebot einer anderen Dienststelle zuordnen.',
    en: 'Only administrators may move an offer to another department.',
  },
  already_published: { de: 'Das Angebot ist schon veröffentlicht.', en: 'The offer is published already.' },
  not_published: { de: 'Das Angebot ist nicht veröffentlicht.', en: 'The offer is not published.' },
  already_archived: { de: 'Das Angebot ist schon archiviert.', en: 'The offer is archived already.' },
  not_archived: { de: 'Das Angebot ist nicht archiviert.', en: 'The offer is not archived.' },
  archived: {
    de: 'Das Angebot ist archiviert; bitte erst wiederherstellen.',
    en: 'The offer is archived; please restore it first.',
  },
  unknown_version: {
    de: 'Für Version {version} gibt es keinen gespeicherten Stand.',
    en: 'There is no stored state for version {version}.',
  },
  import_invalid: {
    de: 'Die Datei enthält {count} Fehler; es wurde nichts gespeichert.',
    en: 'The file has {count} errors; nothing was saved.',
  },
  import_checksum_mismatch: {
    de: 'Die Datei ist nicht die geprüfte Datei (Prüfsumme weicht ab); bitte erneut prüfen (dryRun).',
    en: 'The file is not the one that was checked (checksum differs); please run the check (dryRun) again.',
  },
  import_too_many_rows: {
    de: 'Die Datei hat mehr als {max} Angebote.',
    en: 'The file has more than {max} offers.',
  },
  import_format: {
    de: 'Unbekanntes Format; erlaubt sind csv, geojson und hsds.',
    en: 'Unknown format; use csv, geojson or hsds.',
  },
};

/** Taxonomies named in messages as people call them, not by their code. */
export const taxonomyNames: MessageCatalogue = {
  offer_type: { de: 'Angebotsart', en: 'offer type' },
  target_group: { de: 'Zielgruppe', en: 'target group' },
  field_of_action: { de: 'Handlungsfeld', en: 'field of action' },
  accessibility: { de: 'Barrierefreiheit', en: 'accessibility' },
};

/** The name of a taxonomy for a message (its code when it has none). */
export function taxonomyName(taxonomy: string, language: 'de' | 'en'): string {
  return taxonomyNames[taxonomy]?.[language] ?? taxonomy;
}
