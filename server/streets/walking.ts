import type { ShortestPaths } from './dijkstra.ts';
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
  /** Per target: its segment (-1: no street within `maxSnapMeters`), offset and position along. */
  segment: Int32Array;
  offset: Float64Array;
  along: Float64Array;
  /** The segments the walk waits for (targets in the origin's part of the network). */
  pendingSegments: Int32Array;
}

const scratchOf = new WeakMap<ShortestPaths, Scratch>();
/** For walks without a network. */
let detachedScratch: Scratch | null = null;

function scratchFor(paths: ShortestPaths | null, count: number): Scratch {
  let scratch = paths ? scratchOf.get(paths) : detachedScratch;
  if (!scratch || scratch.airline.length < count) {
    const size = Math.max(count, 256);
    scratch = {
      airline: new Float64Array(size),
      distances: new Float64Array(size),
      segment: new Int32Array(size),
      offset: new Float64Array(size),
      along: new Float64Array(size),
      pendingSegments: new Int32Array(size),
    };
    if (paths) scratchOf.set(paths, scratch);
    else detachedScratch = scratch;
  }
  return scratch;
}

/**
 * The snapped positions of a fixed list of places on one network (the search index's rows, by
 * ordinal), each snapped on first use and kept: a search then snaps only its origin. A new list
 * (a rebuilt index) or a new network (changed streets) gets a new one (`StreetKernel.walkingMeters`).
 */
export class SnappedPlaces {
  /** The segment of each place: -2 not snapped yet, -1 no street within `maxSnapMeters`. */
  private readonly segment: Int32Array;
  private readonly offset: Float64Array;
  private readonly along: Float64Array;

  constructor(
    readonly network: StreetNetwork,
    readonly size: number,
  ) {
    this.segment = new Int32Array(size).fill(-2);
    this.offset = new Float64Array(size);
    this.along = new Float64Array(size);
  }

  /** Writes the snapped position of place `ordinal` (at lon, lat) to `into` at `position`. */
  copyTo(ordinal: number, lon: number, lat: number, into: Scratch, position: number): void {
    if (this.segment[ordinal] === -2) {
      const point = this.network.snap([lon, lat], maxSnapMeters);
      this.segment[ordinal] = point ? point.segmentIndex : -1;
      this.offset[ordinal] = point ? point.offsetMeters : 0;
      this.along[ordinal] = point ? point.alongMeters : 0;
    }
    into.segment[position] = this.segment[ordinal]!;
    into.offset[position] = this.offset[ordinal]!;
    into.along[position] = this.along[ordinal]!;
  }
}

/** Targets that are places of a list whose snapped positions are kept (`SnappedPlaces`), by ordinal. */
interface ListedTargets {
  places: SnappedPlaces;
  ordinals: ArrayLike<number>;
}

interface WalkingOptions {
  /** The targets are places of this list: their snapped positions come from it. */
  listed?: ListedTargets;
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
  options: WalkingOptions = {},
): WalkingMeters {
  const count = lons.length;
  const answer: WalkingMeters = { meters: new Float64Array(count), overNetwork: new Uint8Array(count) };
  const scratch = scratchFor(walking?.paths ?? null, count);
  const { airline, distances } = scratch;
  let farthest = Number.NEGATIVE_INFINITY;
  for (let position = 0; position < count; position += 1) {
    airline[position] = earthDistanceMeters(origin[0], origin[1], lons[position]!, lats[position]!);
    farthest = Math.max(farthest, airline[position]!);
    distances[position] = Number.POSITIVE_INFINITY;
  }
  // Remembered: a citizen paging or changing filters walks from the same place again.
  const start = walking && count > 0 ? walking.network.snapRememberedAt(origin[0], origin[1], maxSnapMeters) : null;
  if (walking && start) {
    placeTargets(walking.network, start, lons, lats, scratch, count, options.listed);
    walkToAll(walking.paths, start, Math.max(5000, farthest * 5), scratch, count);
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

// The walks below go up to a bound of 5× the farthest target's airline distance (at least 5 km),
// for targets the walk cannot reach nearby (a river between: Frankenwerft → Deutzer Werft is 570 m
// airline, 2.9 km on foot); they stop as soon as their targets are certain, so the bound only
// costs where a target is that far on foot. A distance within the bound is certainly the
// shortest: a route through a node beyond the bound is longer than the bound. Beyond it the
// estimate (airline × detour factor) stands. The search walks its window of 200 this way although
// it shows 20: a walk that stopped once the page's 20 were certain (growing radii, lower bounds
// for the rest) touched a third of the nodes (87 vs 264 per window at 100k offers in Cologne) but
// was slower, its checks costing more than the few nodes it saved (bench/search-ab.ts --walk).

/**
 * Each target's snapped position into the scratch arrays; segment -1 for targets the walk cannot
 * reach: no street near, or one in another part of the network than the origin's (never waited for).
 */
function placeTargets(
  network: StreetNetwork,
  start: SnappedPoint,
  lons: ArrayLike<number>,
  lats: ArrayLike<number>,
  scratch: Scratch,
  count: number,
  listed: ListedTargets | undefined,
): void {
  const { segment, offset, along } = scratch;
  const part = network.componentOfSegment(start.segmentIndex);
  for (let position = 0; position < count; position += 1) {
    if (listed && listed.places.network === network) {
      listed.places.copyTo(listed.ordinals[position]!, lons[position]!, lats[position]!, scratch, position);
    } else {
      const point = network.snapRememberedAt(lons[position]!, lats[position]!, maxSnapMeters);
      segment[position] = point ? point.segmentIndex : -1;
      offset[position] = point ? point.offsetMeters : 0;
      along[position] = point ? point.alongMeters : 0;
    }
    if (segment[position]! >= 0 && network.componentOfSegment(segment[position]!) !== part) segment[position] = -1;
  }
}

/** Network metres of target `position` from the run's current distances, without its offset. */
function streetMetersOf(paths: ShortestPaths, start: SnappedPoint, scratch: Scratch, position: number): number {
  const { segment, along } = scratch;
  const targetSegment = segment[position]!;
  const onStartSegment = targetSegment === start.segmentIndex ? start.offsetMeters + Math.abs(along[position]! - start.alongMeters) : Number.POSITIVE_INFINITY;
  return Math.min(paths.viaEndsAt(targetSegment, along[position]!), onStartSegment);
}

/** One walk that stops once the segment ends of every reachable target are settled. */
function walkToAll(paths: ShortestPaths, start: SnappedPoint, bound: number, scratch: Scratch, count: number): void {
  const { distances, segment, pendingSegments } = scratch;
  let pending = 0;
  for (let position = 0; position < count; position += 1) if (segment[position]! >= 0) pendingSegments[pending++] = segment[position]!;
  if (pending === 0) return;
  paths.start();
  paths.seed(start, 0, bound);
  paths.settleTowardsSegments(bound, pendingSegments, pending);
  for (let position = 0; position < count; position += 1) {
    if (segment[position]! < 0) continue;
    const meters = streetMetersOf(paths, start, scratch, position) + scratch.offset[position]!;
    if (meters <= bound) distances[position] = meters;
  }
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
