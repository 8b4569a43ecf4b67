import type { MessageCatalogue } from '../http/localized-validation.ts';

/** Messages of the OGC API – Features parameters, German first. */
export const ogcMessages: MessageCatalogue = {
  repeated: { de: 'Darf nur einmal angegeben werden.', en: 'Must be given once.' },
  'field.f': { de: 'Muss json oder html sein.', en: 'Must be json or html.' },
  'field.limit': { de: 'Muss eine ganze Zahl von 1 bis 10000 sein (mindestens 1, höchstens 10000).', en: 'Must be a whole number of at least 1 and at most 10000.' },
  'field.offset': { de: 'Muss eine ganze Zahl ab 0 sein.', en: 'Must be a whole number from 0.' },
  'field.filter-lang': { de: 'Muss cql2-text sein (die einzige angebotene Filtersprache).', en: 'Must be cql2-text (the only filter language offered).' },
  unsupported_crs: { de: 'Ist kein unterstütztes Koordinatensystem; erlaubt sind: {values}.', en: 'Is not a supported CRS; it must be one of {values}.' },
  bbox_numbers: {
    de: 'Muss aus vier Zahlen bestehen: West,Süd,Ost,Nord (zum Beispiel 6.9,50.9,7.0,51.0).',
    en: 'Must be four numbers: west,south,east,north (e.g. 6.9,50.9,7.0,51.0).',
  },
  bbox_south_north: { de: 'Der Südrand darf nicht nördlich des Nordrands liegen.', en: 'The south edge must not be north of the north edge.' },
  bbox_west_east: { de: 'Der Westrand muss westlich des Ostrands liegen.', en: 'The west edge must be west of the east edge.' },
  bbox_degrees: {
    de: 'Muss innerhalb von -180,-90,180,90 liegen (Längen- und Breitengrad in Grad).',
    en: 'Must lie within -180,-90,180,90 (longitude, latitude in degrees).',
  },
  bbox_metres: { de: 'Muss im bbox-crs innerhalb von ±{max} Metern liegen.', en: 'Must lie within ±{max} metres in the bbox-crs.' },
  bad_datetime: {
    de: 'Muss ein Datum oder Zeitpunkt (RFC 3339) oder ein Zeitraum wie 2010-01-01/2012-12-31 oder ../2012-12-31 sein.',
    en: 'Must be a date or time (RFC 3339) or an interval such as 2010-01-01/2012-12-31 or ../2012-12-31.',
  },
  interval_order: { de: 'Der Zeitraum darf nicht vor seinem Beginn enden.', en: 'The interval must not end before it starts.' },
  not_temporal: {
    de: 'Diese Sammlung hat keine Zeitangabe; bitte datetime weglassen.',
    en: 'This collection has no time; leave datetime out.',
  },
  unknown_parameter: {
    de: 'Ist kein Parameter dieser Sammlung; erlaubt sind {allowed}.',
    en: 'Is not a parameter of this collection; allowed are {allowed}.',
  },
};

/**
 * The CQL2 filter's own refusals (cql2.ts, the filter compiler in ogc.repo.ts), German first; the
 * grammar's words (LIKE, S_INTERSECTS, DATE('…')) stay as the standard writes them.
 */
export const cql2Messages = {
  at_character: { de: '{message} (bei Zeichen {position})', en: '{message} (at character {position})' },
  the_end: { de: 'das Ende', en: 'the end' },
  unclosed_text: { de: 'ein Text in einfachen Anführungszeichen ist nicht geschlossen', en: 'a text in single quotes is not closed' },
  unclosed_name: {
    de: 'ein Eigenschaftsname in doppelten Anführungszeichen ist nicht geschlossen',
    en: 'a property name in double quotes is not closed',
  },
  unexpected_character: { de: 'unerwartetes Zeichen „{character}“', en: 'unexpected character "{character}"' },
  unexpected: { de: 'unerwartet: „{text}“', en: 'unexpected "{text}"' },
  expected_symbol: { de: 'erwartet wurde „{expected}“, gefunden „{found}“', en: 'expected "{expected}" but found "{found}"' },
  expected_word: { de: 'erwartet wurde {expected}, gefunden „{found}“', en: 'expected {expected} but found "{found}"' },
  too_deep: { de: 'der Filter ist tiefer als {max} Ebenen verschachtelt', en: 'the filter nests deeper than {max} levels' },
  comparison_after_value: {
    de: 'nach dem Wert wird ein Vergleich wie = oder < erwartet, gefunden „{found}“',
    en: 'expected a comparison such as = or < after the value, found "{found}"',
  },
  like_needs_text: { de: 'LIKE braucht einen Text in einfachen Anführungszeichen', en: 'LIKE needs a text in single quotes' },
  comparison_after_property: {
    de: 'nach {property} wird ein Vergleich erwartet (=, <>, <, >, <=, >=, LIKE, BETWEEN, IN, IS NULL)',
    en: 'expected a comparison (=, <>, <, >, <=, >=, LIKE, BETWEEN, IN, IS NULL) after {property}',
  },
  intersects_property_first: {
    de: 'S_INTERSECTS braucht zuerst die Geometrie-Eigenschaft, zum Beispiel S_INTERSECTS(geometry, POINT(6.95 50.94))',
    en: 'S_INTERSECTS needs the geometry property first, e.g. S_INTERSECTS(geometry, POINT(6.95 50.94))',
  },
  geometry_expected: {
    de: 'erwartet wird eine Geometrie wie POINT(6.95 50.94) oder BBOX(6.9,50.9,7.0,51.0)',
    en: 'expected a geometry such as POINT(6.95 50.94) or BBOX(6.9,50.9,7.0,51.0)',
  },
  bbox_four_numbers: { de: 'BBOX nimmt vier Zahlen: West, Süd, Ost, Nord', en: 'BBOX takes four numbers: west, south, east, north' },
  bbox_commas: { de: 'die Zahlen von BBOX werden durch Kommas getrennt', en: 'BBOX numbers are separated by commas' },
  unknown_geometry: { de: 'unbekannte Geometrie „{name}“', en: 'unknown geometry "{name}"' },
  geometry_not_closed: { de: 'die Geometrie ist nicht mit „)“ geschlossen', en: 'the geometry is not closed with ")"' },
  invalid_wkt: { de: 'die Geometrie „{wkt}“ ist kein gültiges WKT', en: 'the geometry "{wkt}" is not valid WKT' },
  literal_needs_text: { de: '{word} braucht einen Text in einfachen Anführungszeichen', en: '{word} needs a text in single quotes' },
  invalid_date: { de: '„{value}“ ist kein gültiges Datum (JJJJ-MM-TT)', en: '"{value}" is not a valid date (YYYY-MM-DD)' },
  invalid_timestamp: { de: '„{value}“ ist kein gültiger Zeitstempel (ISO 8601)', en: '"{value}" is not a valid timestamp (ISO 8601)' },
  value_expected: {
    de: "erwartet wird ein Wert (ein Text in einfachen Anführungszeichen, eine Zahl, TRUE/FALSE, DATE('…')), gefunden „{found}“",
    en: "expected a value (a text in single quotes, a number, TRUE/FALSE, DATE('…')) but found \"{found}\"",
  },
  too_long: { de: 'der Filter ist länger als {max} Zeichen', en: 'the filter is longer than {max} characters' },
  empty: { de: 'der Filter ist leer', en: 'the filter is empty' },
  compared_with: { de: '{name} wird mit {hint} verglichen', en: '{name} is compared with {hint}' },
  hint_string: { de: "einem Text in einfachen Anführungszeichen, zum Beispiel 'kita'", en: "a text in single quotes, e.g. 'kita'" },
  hint_number: { de: 'einer Zahl, zum Beispiel 0.5', en: 'a number, e.g. 0.5' },
  hint_integer: { de: 'einer ganzen Zahl, zum Beispiel 3', en: 'a whole number, e.g. 3' },
  hint_boolean: { de: 'TRUE oder FALSE', en: 'TRUE or FALSE' },
  hint_date: { de: "DATE('2012-12-31')", en: "DATE('2012-12-31')" },
  hint_timestamp: { de: "TIMESTAMP('2026-01-01T00:00:00Z')", en: "TIMESTAMP('2026-01-01T00:00:00Z')" },
  hint_geometry: { de: 'S_INTERSECTS(geometry, …)', en: 'S_INTERSECTS(geometry, …)' },
  compared_with_date: {
    de: '{name} wird mit einem Datum oder Zeitpunkt verglichen, nicht mit „{value}“',
    en: '{name} is compared with a date or time, not "{value}"',
  },
  no_queryable: {
    de: 'die Sammlung hat keine abfragbare Eigenschaft „{name}“; sie hat {names}',
    en: 'the collection has no queryable "{name}"; it has {names}',
  },
  no_queryable_see: {
    de: 'die Sammlung hat keine abfragbare Eigenschaft „{name}“; siehe ihre /queryables',
    en: 'the collection has no queryable "{name}"; see its /queryables',
  },
  list_is_null: { de: '{name} ist eine Liste: bitte mit = oder IN prüfen', en: '{name} is a list: test it with = or IN' },
  like_not_text: { de: 'LIKE vergleicht Texte; {name} ist kein Text', en: 'LIKE compares texts; {name} is not a text' },
  intersects_not_geometry: {
    de: 'S_INTERSECTS braucht die Geometrie-Eigenschaft, nicht {name}',
    en: 'S_INTERSECTS needs the geometry property, not {name}',
  },
  geometry_compared: { de: '{name} ist die Geometrie: bitte S_INTERSECTS verwenden', en: '{name} is the geometry: use S_INTERSECTS' },
  list_compared: {
    de: 'eine Listen-Eigenschaft lässt sich nicht mit einer anderen Eigenschaft vergleichen',
    en: 'a list property cannot be compared with another property',
  },
  list_operator: { de: '{name} ist eine Liste: bitte mit =, <> oder IN vergleichen', en: '{name} is a list: compare it with = , <> or IN' },
  property_number: { de: 'muss eine Zahl sein', en: 'must be a number' },
  property_boolean: { de: 'muss true oder false sein', en: 'must be true or false' },
  property_date: { de: 'muss ein Datum sein (JJJJ-MM-TT)', en: 'must be a date (YYYY-MM-DD)' },
  collection_not_found: {
    de: 'Die Sammlung „{id}“ gibt es nicht; GET /api/ogc/collections listet sie auf.',
    en: 'There is no collection "{id}"; GET /api/ogc/collections lists them.',
  },
  feature_not_found: { de: 'Die Sammlung „{id}“ hat kein Objekt „{featureId}“.', en: 'The collection "{id}" has no feature "{featureId}".' },
} satisfies MessageCatalogue;

export type Cql2MessageKey = keyof typeof cql2Messages;
