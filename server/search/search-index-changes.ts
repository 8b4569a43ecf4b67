import { searchIndexBuildSteps, type IndexFilter, type SearchIndex } from './search-index.ts';
import type { SearchIndexRow } from './search.repo.ts';

// An index behind the data (docs/search.md, "An index behind the data"). After an edit the index
// in use is stale until a new one is built (8 s at 100k offers, minutes at 1M). A search's answer
// depends only on the rows that match its filter within its radius; so where none of the changed
// offers' rows matched before the change (in the index) nor matches now (their rows read anew),
// the stale index gives the same answer as the data: it answers, and SQL answers the rest. A page
// that comes from the nearest matches alone (the walking-order window, search.service.ts) is the
// same when no changed row lies as near as the farthest of them: only its total changes, by
// `totalChange`.

/** Rows of the index looked at per step when the changed offers' rows are found (a few ms at 1M). */
const rowsPerStep = 65_536;

export interface IndexChanges {
  /** The index these changes are relative to. */
  readonly base: SearchIndex;
  /** The change counter the changes reach up to. */
  readonly generation: number;
  /** The opening-hours values of the index's rows and of the changed offers' current rows. */
  readonly openingHoursValues: readonly string[];
  /**
   * Whether a changed offer matches the filter within its radius (and within `withinMeters` if
   * given), before or after its change.
   */
  touches(filter: IndexFilter, withinMeters?: number): boolean;
  /** How many more rows match the filter within its radius now than in the base (negative: fewer). */
  totalChange(filter: IndexFilter): number;
}

/**
 * The changes of `base` up to `generation`: the offers `changedOfferIds`, whose visible rows are
 * now `currentRows` (none for an offer deleted, archived or withdrawn). In steps: the base's rows
 * of the changed offers are found by a pass over its offer numbers (1M at 1M offers).
 */
export function* indexChangesSteps(
  base: SearchIndex,
  changedOfferIds: readonly string[],
  currentRows: readonly SearchIndexRow[],
  generation: number,
): Generator<void, IndexChanges, void> {
  const changedNumbers = new Uint8Array(base.offerCount);
  let known = 0;
  for (const offerId of changedOfferIds) {
    const number = base.offerNumberOf(offerId);
    if (number === undefined) continue;
    changedNumbers[number] = 1;
    known += 1;
  }
  const before: number[] = [];
  for (let ordinal = 0; known > 0 && ordinal < base.size; ordinal += 1) {
    if (ordinal % rowsPerStep === rowsPerStep - 1) yield;
    if (changedNumbers[base.offerNumberAt(ordinal)] === 1) before.push(ordinal);
  }
  const beforeOrdinals = Uint32Array.from(before);
  // The current rows in an index of their own: the same tests, distances and full text as the base.
  const current = yield* searchIndexBuildSteps(currentRows, generation);
  const currentOrdinals = Uint32Array.from({ length: current.size }, (_, ordinal) => ordinal);
  const openingHoursValues = [...new Set([...base.openingHoursValues, ...current.openingHoursValues])];
  return {
    base,
    generation,
    openingHoursValues,
    touches: (filter, withinMeters) => base.countAmong(filter, beforeOrdinals, withinMeters) + current.countAmong(filter, currentOrdinals, withinMeters) > 0,
    totalChange: (filter) => current.countAmong(filter, currentOrdinals) - base.countAmong(filter, beforeOrdinals),
  };
}
