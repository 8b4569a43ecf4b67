import { walkFrom, type ShortestPaths } from './dijkstra.ts';
import { earthDistanceMeters } from './geodesic.ts';
import type { Position } from './line-geometry.ts';
import type { SnappedPoint, StreetNetwork } from './street-network.ts';

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

/** Walking distances to several targets in typed arrays (`walkingMetersTo`). */
export interface WalkingMeters {
  /** Whole metres to each target. */
  meters: Float64Array;
  /** 1 where the metres were walked over the network, 0 where they are airline × detour factor. */
  overNetwork: Uint8Array;
}

/** Metres a point may lie from the nearest street and still be reached over the network. */
export const maxSnapMeters = 400;

/** Scratch space of the walks over one network, grown as needed (walks run one at a time). */
interface Scratch {
  airline: Float64Array;
  distances: Float64Array;
  snapped: Array<SnappedPoint | null>;
  pendingPoints: SnappedPoint[];
  pendingPositions: Uint32Array;
}

const scratchOf = new WeakMap<ShortestPaths, Scratch>();
/** For walks without a network. */
let detachedScratch: Scratch | null = null;

function scratchFor(paths: ShortestPaths | null, count: number): Scratch {
  let scratch = paths ? scratchOf.get(paths) : detachedScratch;
  if (!scratch || scratch.airline.length < count) {
    const size = Math.max(count, 256);
    scratch = { airline: new Float64Array(size), distances: new Float64Array(size), snapped: [], pendingPoints: [], pendingPositions: new Uint32Array(size) };
    if (paths) scratchOf.set(paths, scratch);
    else detachedScratch = scratch;
  }
  return scratch;
}

/**
 * Walking distances from one origin to several targets (their longitudes and latitudes): over the
 * street network where both ends lie near a street and the target is reached within the bound,
 * otherwise airline × detour factor. Only the answer is allocated per call.
 */
export function walkingMetersTo(
  walking: { network: StreetNetwork; paths: ShortestPaths } | null,
  origin: Position,
  lons: ArrayLike<number>,
  lats: ArrayLike<number>,
  detourFactor: number,
): WalkingMeters {
  const count = lons.length;
  const answer: WalkingMeters = { meters: new Float64Array(count), overNetwork: new Uint8Array(count) };
  const scratch = scratchFor(walking?.paths ?? null, count);
  const { airline, distances, snapped, pendingPoints, pendingPositions } = scratch;
  let farthest = Number.NEGATIVE_INFINITY;
  for (let position = 0; position < count; position += 1) {
    airline[position] = earthDistanceMeters(origin[0], origin[1], lons[position]!, lats[position]!);
    farthest = Math.max(farthest, airline[position]!);
    distances[position] = Number.POSITIVE_INFINITY;
  }
  const start = walking && count > 0 ? walking.network.snap(origin, maxSnapMeters) : null;
  if (walking && start) {
    const { network, paths } = walking;
    for (let position = 0; position < count; position += 1) snapped[position] = network.snapRememberedAt(lons[position]!, lats[position]!, maxSnapMeters);
    // Each walk stops once the targets' segment ends are settled, so its bound only matters for
    // targets it cannot reach nearby (a river between: Frankenwerft → Deutzer Werft is 570 m
    // airline, 2.9 km on foot): a first walk bounded by the farthest target, then one of up to 5×
    // their airline distance for those it did not reach.
    for (const bound of [farthest * 1.8 + 2 * maxSnapMeters, Math.max(5000, farthest * 5)]) {
      pendingPoints.length = 0;
      for (let position = 0; position < count; position += 1) {
        const point = snapped[position];
        if (point && !Number.isFinite(distances[position]!)) {
          pendingPositions[pendingPoints.length] = position;
          pendingPoints.push(point);
        }
      }
      if (pendingPoints.length === 0) break;
      const walk = walkFrom(paths, start, bound, pendingPoints);
      for (let pending = 0; pending < pendingPoints.length; pending += 1) {
        // Only a distance within the bound is certainly the shortest: a route through a node
        // beyond the bound is longer than the bound.
        const meters = walk.distanceTo(pendingPoints[pending]!);
        if (meters <= bound) distances[pendingPositions[pending]!] = meters;
      }
    }
    pendingPoints.length = 0;
    snapped.length = 0;
  }
  for (let position = 0; position < count; position += 1) {
    const meters = distances[position]!;
    if (Number.isFinite(meters)) {
      answer.meters[position] = Math.round(meters);
      answer.overNetwork[position] = 1;
    } else {
      answer.meters[position] = Math.round(airline[position]! * detourFactor);
    }
  }
  return answer;
}

/** `walkingMetersTo` for targets as points, one estimate each. */
export function walkingDistances(
  walking: { network: StreetNetwork; paths: ShortestPaths } | null,
  origin: Position,
  targets: readonly Position[],
  detourFactor: number,
): WalkingEstimate[] {
  const { meters, overNetwork } = walkingMetersTo(
    walking,
    origin,
    targets.map((target) => target[0]),
    targets.map((target) => target[1]),
    detourFactor,
  );
  return targets.map((_target, position) => ({ meters: meters[position]!, method: overNetwork[position] === 1 ? 'network' : 'detour_factor' }));
}
