import { walkFrom, type ShortestPaths } from './dijkstra.ts';
import { earthDistanceBetween } from './geodesic.ts';
import type { Position } from './line-geometry.ts';
import type { StreetNetwork } from './street-network.ts';

export type WalkingMethod = 'network' | 'detour_factor';

export interface WalkingEstimate {
  meters: number;
  method: WalkingMethod;
}

/**
 * Walking metres per airline metre where the network does not answer: the default of
 * WALKING_DETOUR_FACTOR (config.ts) and of a kernel built without configuration, said once.
 */
export const defaultDetourFactor = 1.3;

/** Metres a point may lie from the nearest street and still be reached over the network. */
export const maxSnapMeters = 400;

/**
 * Walking distances from one origin to several targets: over the street network where both ends
 * lie near a street and the target is reached within the bound, otherwise airline × detour factor.
 */
export function walkingDistances(
  walking: { network: StreetNetwork; paths: ShortestPaths } | null,
  origin: Position,
  targets: readonly Position[],
  detourFactor: number,
): WalkingEstimate[] {
  const airline = targets.map((target) => earthDistanceBetween(origin, target));
  const fallback = (position: number): WalkingEstimate => ({
    meters: Math.round(airline[position]! * detourFactor),
    method: 'detour_factor',
  });
  if (!walking || targets.length === 0) return targets.map((_target, position) => fallback(position));
  const { network, paths } = walking;
  const start = network.snap(origin, maxSnapMeters);
  if (!start) return targets.map((_target, position) => fallback(position));
  const snapped = targets.map((target) => network.snapRemembered(target, maxSnapMeters));
  // Each walk stops once the targets' segment ends are settled, so its bound only matters for
  // targets it cannot reach nearby (a river between: Frankenwerft → Deutzer Werft is 570 m
  // airline, 2.9 km on foot): a first walk bounded by the farthest target, then one of up to 5×
  // their airline distance for those it did not reach.
  const farthest = Math.max(...airline);
  const distances = new Array<number>(targets.length).fill(Number.POSITIVE_INFINITY);
  for (const bound of [farthest * 1.8 + 2 * maxSnapMeters, Math.max(5000, farthest * 5)]) {
    const pending = snapped.flatMap((point, position) => (point && !Number.isFinite(distances[position]!) ? [{ point, position }] : []));
    if (pending.length === 0) break;
    const walk = walkFrom(paths, start, bound, pending.map(({ point }) => point));
    for (const { point, position } of pending) {
      // Only a distance within the bound is certainly the shortest: a route through a node
      // beyond the bound is longer than the bound.
      const meters = walk.distanceTo(point);
      if (meters <= bound) distances[position] = meters;
    }
  }
  return distances.map((meters, position) => (Number.isFinite(meters) ? { meters: Math.round(meters), method: 'network' } : fallback(position)));
}
