import type { WalkingMeters } from '../streets/walking.ts';
import type { NearestMatches } from './search-index.ts';
import type { RequestFields } from './search-json.ts';
import type { PageRows } from './search-page.ts';

// Results are listed by what each shows: the walking distance (network or estimate) where there is
// an origin, so that "11 min" never stands before "8 min". The nearest `walkingOrderWindow` matches
// by airline are put in walking order; pages beyond that window stay in airline order (they hold
// the matches after the window, so no offer is listed twice or left out).
export const walkingOrderWindow = 200;

/**
 * The places the search walks first for a page that ends at `needed` (offset + page size): the
 * nearest 100 hold the first page of most searches (`pageCertainInWindow`: 84 % of the full-text
 * searches within 5 km of bench/search-ab.ts at 100k offers, 96 % of the "seniors + open now"
 * searches with more than 100 matches); the others walk the whole window again. The window's cost
 * (the index's exact distances and order, the walk's targets, the walking order) grows with its
 * places; 64 first walked a third of the full-text searches twice, 140 first saved less
 * (docs/benchmarks.md, "The first walking window").
 */
export function firstWalkingWindow(needed: number): number {
  return Math.min(walkingOrderWindow, Math.max(100, 3 * needed));
}

/**
 * Walking metres per airline metre at the least, and metres below that, for `pageCertainInWindow`.
 * On one sphere no walk is shorter than the airline; the street lengths come from the spheroid
 * (ST_Length of geography) and the snaps from a local frame, which differ from the search's sphere
 * by less than 0.6 % anywhere on Earth (≈ 0.1 % in Cologne). Estimates are airline × detour factor,
 * which is at least 1 (config.ts).
 */
const walkAtLeastPerAirline = 0.99;
const walkAtLeastSlackMeters = 3;

/**
 * Whether the first `needed` of `order` (`walkingOrderOf` a window of `nearest` that did not hold
 * every match) are the first `needed` of any larger window. A place beyond the window lies at least
 * as far by airline as the window's farthest, so at least `walkAtLeastPerAirline` of that on foot;
 * if the page's last walk is shorter, no place beyond comes before it or ties with it, and the page
 * has the same rows in the same order with the same figures: each is the walk to that place, or
 * its estimate where it has no street near, whatever the other targets. Not so for an estimate
 * given because the walk's bound was reached (`estimatedBeyondBound`): the bound grows with the
 * farthest target, and a larger window may reach that place on foot.
 */
export function pageCertainInWindow(nearest: NearestMatches, walked: WalkingMeters, order: readonly number[], needed: number): boolean {
  const window = nearest.distances.length;
  if (needed <= 0) return true;
  if (order.length < needed || window === 0 || walked.estimatedBeyondBound === true) return false;
  const beyondAtLeast = nearest.distances[window - 1]! * walkAtLeastPerAirline - walkAtLeastSlackMeters;
  return walked.meters[order[needed - 1]!]! < beyondAtLeast;
}

/** The positions of `fields` in walking order; ties by airline distance, then by id. */
export function walkingOrder(rows: PageRows['rows'], fields: readonly RequestFields[]): number[] {
  const key = (position: number) => fields[position]!.walkingDistanceMeters ?? fields[position]!.distanceMeters ?? Number.POSITIVE_INFINITY;
  return fields
    .map((_field, position) => position)
    .sort(
      (a, b) =>
        key(a) - key(b) ||
        (fields[a]!.distanceMeters ?? 0) - (fields[b]!.distanceMeters ?? 0) ||
        (rows[a]!.id < rows[b]!.id ? -1 : rows[a]!.id > rows[b]!.id ? 1 : 0),
    );
}

/** Packing limits of `walkingOrderOf`: whole walking metres, whole airline metres, position. */
const airlineSpan = 2 ** 20;
const positionSpan = 2 ** 8;
const metersSpan = 2 ** 53 / (airlineSpan * positionSpan);

/**
 * `walkingOrder` of the index's nearest matches and their walking metres, without rows or fields
 * (NaN metres: surely farther than the page, left out, see walking.ts `walkingMetersTo`):
 * the same key (walking metres, then whole airline metres, then id). Each position's key is packed
 * into one number (metres, airline metres, position: exact below 2^53), so that a typed-array sort
 * without a comparator orders them; only positions with equal metres and airline metres are then
 * ordered by id.
 */
export function walkingOrderOf(nearest: NearestMatches, walked: WalkingMeters, idAt: (ordinal: number) => string): number[] {
  const { meters } = walked;
  let count = 0;
  for (let position = 0; position < meters.length; position += 1) if (!Number.isNaN(meters[position]!)) count += 1;
  const packed = new Float64Array(count);
  let next = 0;
  for (let position = 0; position < meters.length; position += 1) {
    const walking = meters[position]!;
    if (Number.isNaN(walking)) continue;
    const airline = Math.round(nearest.distances[position]!);
    if (meters.length > positionSpan || !(airline >= 0 && airline < airlineSpan) || !(walking >= 0 && walking < metersSpan) || !Number.isInteger(walking)) {
      return walkingOrderByComparison(nearest, walked, idAt);
    }
    packed[next] = (walking * airlineSpan + airline) * positionSpan + position;
    next += 1;
  }
  packed.sort();
  const order: number[] = new Array<number>(count);
  for (let position = 0; position < count; position += 1) order[position] = packed[position]! % positionSpan;
  // Runs of one walking and airline distance: by id.
  for (let first = 0; first < count; ) {
    const group = Math.floor(packed[first]! / positionSpan);
    let end = first + 1;
    while (end < count && Math.floor(packed[end]! / positionSpan) === group) end += 1;
    if (end - first > 1) {
      const run = order.slice(first, end).sort((a, b) => compareIds(idAt(nearest.ordinals[a]!), idAt(nearest.ordinals[b]!)));
      for (let offset = 0; offset < run.length; offset += 1) order[first + offset] = run[offset]!;
    }
    first = end;
  }
  return order;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `walkingOrderOf` by a comparator, for windows or distances beyond the packing limits. */
function walkingOrderByComparison(nearest: NearestMatches, walked: WalkingMeters, idAt: (ordinal: number) => string): number[] {
  const { meters } = walked;
  const airline = nearest.distances.map(Math.round);
  const positions = Array.from({ length: meters.length }, (_value, position) => position).filter((position) => !Number.isNaN(meters[position]!));
  return positions.sort((a, b) => meters[a]! - meters[b]! || airline[a]! - airline[b]! || compareIds(idAt(nearest.ordinals[a]!), idAt(nearest.ordinals[b]!)));
}

/** The rows at `positions`, in that order, with everything kept per row. */
export function pickRows(page: PageRows, positions: readonly number[]): PageRows {
  return {
    rows: positions.map((position) => page.rows[position]!),
    distances: positions.map((position) => page.distances[position] ?? null),
    positions: positions.map((position) => page.positions[position]!),
    openingHours: positions.map((position) => page.openingHours[position] ?? null),
    fromIndex: page.fromIndex ? { index: page.fromIndex.index, ordinals: positions.map((position) => page.fromIndex!.ordinals[position]!) } : null,
  };
}
