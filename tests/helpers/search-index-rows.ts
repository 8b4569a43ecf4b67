import type { SearchIndexRow } from '../../server/search/search.repo.ts';

// Rows for the in-memory search index in unit tests: a seeded random source and one row factory,
// so that the index tests and the walking-order tests build offers the same way.

/** A repeatable pseudo-random source (linear congruential). */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** An index row of a Kita at `lon`/`lat`, ids derived from `index`; `extra` overrides any field. */
export function indexRow(index: number, lon: number, lat: number, extra: Partial<SearchIndexRow> = {}): SearchIndexRow {
  const hex = index.toString(16).padStart(12, '0');
  return {
    id: `00000000-0000-4000-8000-${hex}`,
    offerId: `10000000-0000-4000-8000-${hex}`,
    locationId: `20000000-0000-4000-8000-${hex}`,
    name: `Angebot ${index}`,
    summary: null,
    offerTypeCode: 'kita',
    offerTypeLabelDe: 'Kita',
    offerTypeLabelEn: 'Day care',
    organization: null,
    address: { name: null, street: null, houseNumber: null, postalCode: null, city: null },
    lon,
    lat,
    distanceMeters: null,
    openingHours: null,
    costKind: null,
    languages: [],
    termIds: [],
    minAge: null,
    maxAge: null,
    offerTypeId: index % 3 === 0 ? 'type-a' : 'type-b',
    ...extra,
  };
}
