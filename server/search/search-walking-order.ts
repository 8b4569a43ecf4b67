import type { WalkingMeters } from '../streets/walking.ts';
import type { NearestMatches } from './search-index.ts';
import type { RequestFields } from './search-json.ts';
import type { PageRows } from './search-page.ts';

// Results are listed by what each shows: the walking distance (network or estimate) where there is
// an origin, so that "11 min" never stands before "8 min". The nearest `walkingOrderWindow` matches
// by airline are put in walking order; pages beyond that window stay in airline order (they hold
// the matches after the window, so no offer is listed twice or left out).
export const walkingOrderWindow = 200;

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

/**
 * `walkingOrder` of the index's nearest matches and their walking metres, without rows or fields:
 * the same key (walking metres, then whole airline metres, then id).
 */
export function walkingOrderOf(nearest: NearestMatches, walked: WalkingMeters, idAt: (ordinal: number) => string): number[] {
  const { meters } = walked;
  const airline = nearest.distances.map(Math.round);
  const positions = Array.from({ length: meters.length }, (_value, position) => position);
  return positions.sort((a, b) => {
    const order = meters[a]! - meters[b]! || airline[a]! - airline[b]!;
    if (order !== 0) return order;
    const idA = idAt(nearest.ordinals[a]!);
    const idB = idAt(nearest.ordinals[b]!);
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  });
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
