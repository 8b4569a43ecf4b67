import type { Knex } from 'knex';
import type { SearchIndex } from './search-index.ts';
import type { TextRanks } from './search-text-rank.ts';
import { countWithinRadius, searchByFilter, searchNearby, type SearchFilter, type SearchRow } from './search.repo.ts';
import { searchResultCap } from './search.schema.ts';

// One page of matching rows, nearest first (by name without a place): from the in-memory index when
// it is current and the question is one it answers (docs/search.md), else from SQL (a widening KNN
// scan or a plain filter).

/** The KNN scan starts with at least this many nearest locations and widens up to the maximum. */
const minimumCandidates = 32;
const maximumCandidates = 65_536;

function initialCandidates(needed: number): number {
  let candidates = minimumCandidates;
  while (candidates < needed * 1.25) candidates *= 2;
  return candidates;
}

/** Rows of one answer page, nearest first, with what the request needs of each. */
export interface PageRows {
  rows: readonly SearchRow[];
  /** Airline metres from the origin (null without one). */
  distances: ReadonlyArray<number | null>;
  positions: ReadonlyArray<[number, number]>;
  openingHours: ReadonlyArray<string | null>;
  /** From the index: `index` and each row's ordinal in it. */
  fromIndex: { index: SearchIndex; ordinals: readonly number[] } | null;
}

export interface FoundPage {
  page: PageRows;
  total: number;
  totalIsCapped: boolean;
}

function pageFromSql(rows: SearchRow[]): PageRows {
  return {
    rows,
    distances: rows.map((row) => row.distanceMeters),
    positions: rows.map((row): [number, number] => [row.lon, row.lat]),
    openingHours: rows.map((row) => row.openingHours),
    fromIndex: null,
  };
}

async function nearbyFromSql(
  db: Knex,
  filter: SearchFilter & { origin: { lon: number; lat: number } },
  limit: number,
  offset: number,
): Promise<FoundPage> {
  const needed = offset + limit;
  let candidates = initialCandidates(needed + 1);
  for (;;) {
    const found = await searchNearby(db, filter, { candidates, limit, offset });
    if (found.complete) return { page: pageFromSql(found.rows), total: found.matched, totalIsCapped: false };
    if (found.matched > needed || candidates >= maximumCandidates) {
      // The page is found, but the scan counted only its candidates ("at least 32"): count the
      // matches within the radius, so that the same search gives the same count as from the index.
      return { page: pageFromSql(found.rows), total: await countWithinRadius(db, filter), totalIsCapped: false };
    }
    // Widen by the share of candidates that matched, so that a selective filter needs one more
    // round rather than several.
    const share = Math.max(found.matched, 1) / candidates;
    candidates = Math.min(maximumCandidates, Math.max(candidates * 4, 2 ** Math.ceil(Math.log2(((needed + 1) / share) * 1.5))));
  }
}

export async function findPage(
  db: Knex,
  index: SearchIndex | null,
  filter: SearchFilter,
  page: { limit: number; offset: number },
  textRanks?: TextRanks,
): Promise<FoundPage> {
  const { limit, offset } = page;
  if (index && filter.origin) {
    const found = index.query({ ...filter, origin: filter.origin }, { limit, offset });
    const { rows, distances, positions, openingHours, ordinals } = found;
    return { page: { rows, distances, positions, openingHours, fromIndex: { index, ordinals } }, total: found.total, totalIsCapped: false };
  }
  if (index && !filter.text) {
    // As searchByFilter: the first cap + 1 matches by name are paged, and counted up to the cap.
    const within = Math.max(0, Math.min(offset + limit, searchResultCap + 1) - offset);
    const found = index.query({ ...filter, origin: null }, { limit: within, offset });
    const { rows, distances, positions, openingHours, ordinals } = found;
    return {
      page: { rows, distances, positions, openingHours, fromIndex: { index, ordinals } },
      total: Math.min(found.total, searchResultCap),
      totalIsCapped: found.total > searchResultCap,
    };
  }
  if (index && textRanks && filter.text?.kind === 'prefix' && filter.textWords) {
    // Full text without a place, as searchByFilter: by rank, then by name; the first cap + 1 paged.
    const ordered = await textRanks(index, { ...filter, origin: null }, filter.text);
    const within = Math.max(0, Math.min(offset + limit, searchResultCap + 1) - offset);
    const ordinals = Array.from(ordered.subarray(Math.min(offset, ordered.length), Math.min(offset + within, ordered.length)));
    const { rows, distances, positions, openingHours } = index.pageAt(ordinals, ordered.length);
    return {
      page: { rows, distances, positions, openingHours, fromIndex: { index, ordinals } },
      total: Math.min(ordered.length, searchResultCap),
      totalIsCapped: ordered.length > searchResultCap,
    };
  }
  if (filter.origin) return nearbyFromSql(db, { ...filter, origin: filter.origin }, limit, offset);
  const found = await searchByFilter(db, filter, { limit, offset, cap: searchResultCap });
  return { page: pageFromSql(found.rows), total: found.matched, totalIsCapped: !found.complete };
}
