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
export interface ListedTargets {
  places: SnappedPlaces;
  ordinals: ArrayLike<number>;
}

/**
 * Walking distances from one origin to several targets (their longitudes and latitudes): over the
 * street network where both ends lie near a street and the target is reached within the bound,
 * otherwise airline × detour factor. Only the answer is allocated per call. Targets of a list
 * (`listed`) take their snapped positions from it.
 */
export function walkingMetersTo(
  walking: { network: StreetNetwork; paths: ShortestPaths } | null,
  origin: Position,
  lons: ArrayLike<number>,
  lats: ArrayLike<number>,
  detourFactor: number,
  listed?: ListedTargets,
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
  const start = walking && count > 0 ? walking.network.snap(origin, maxSnapMeters) : null;
  if (walking && start) walkOverNetwork(walking, start, lons, lats, farthest, scratch, count, listed);
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

/**
 * Writes the network metres from `start` to each target it reaches within the bound into
 * `scratch.distances`. The bound is up to 5× the farthest target's airline distance, for targets
 * the walk cannot reach nearby (a river between: Frankenwerft → Deutzer Werft is 570 m airline,
 * 2.9 km on foot); the walk stops once every target's segment ends are settled, so the bound only
 * costs where a target is that far on foot. Targets in another part of the network are never
 * reached and not waited for. A distance within the bound is certainly the shortest: a route
 * through a node beyond the bound is longer than the bound.
 */
function walkOverNetwork(
  { network, paths }: { network: StreetNetwork; paths: ShortestPaths },
  start: SnappedPoint,
  lons: ArrayLike<number>,
  lats: ArrayLike<number>,
  farthest: number,
  scratch: Scratch,
  count: number,
  listed: ListedTargets | undefined,
): void {
  const { distances, segment, offset, along, pendingSegments } = scratch;
  const bound = Math.max(5000, farthest * 5);
  const part = network.componentOfSegment(start.segmentIndex);
  let pending = 0;
  for (let position = 0; position < count; position += 1) {
    if (listed && listed.places.network === network) {
      listed.places.copyTo(listed.ordinals[position]!, lons[position]!, lats[position]!, scratch, position);
    } else {
      const point = network.snapRememberedAt(lons[position]!, lats[position]!, maxSnapMeters);
      segment[position] = point ? point.segmentIndex : -1;
      offset[position] = point ? point.offsetMeters : 0;
      along[position] = point ? point.alongMeters : 0;
    }
    if (segment[position]! >= 0 && network.componentOfSegment(segment[position]!) === part) pendingSegments[pending++] = segment[position]!;
    else segment[position] = -1;
  }
  if (pending === 0) return;
  paths.start();
  paths.seed(start, 0, bound);
  paths.settleTowardsSegments(bound, pendingSegments, pending);
  for (let position = 0; position < count; position += 1) {
    const targetSegment = segment[position]!;
    if (targetSegment < 0) continue;
    const onStartSegment = targetSegment === start.segmentIndex ? start.offsetMeters + Math.abs(along[position]! - start.alongMeters) : Number.POSITIVE_INFINITY;
    const meters = Math.min(paths.viaEndsAt(targetSegment, along[position]!), onStartSegment) + offset[position]!;
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
