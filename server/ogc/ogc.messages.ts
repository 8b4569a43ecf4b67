import type { MessageCatalogue } from '../http/localized-validation.ts';

/**
 * Messages of the OGC API – Features parameters, German first. The CQL2 filter's own syntax errors
 * (cql2.ts) stay English: they quote the grammar of the standard.
 */
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
