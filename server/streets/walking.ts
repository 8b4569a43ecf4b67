import { ShortestPaths } from './dijkstra.ts';
import { MinHeap } from './min-heap.ts';
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
  /**
   * True when a target near a street of the origin's part of the network was not reached within
   * the walk's bound and shows its estimate: such a figure depends on the bound, which grows with
   * the farthest target, so it may differ in a walk to more targets (the search's first window,
   * search-walking-order.ts `pageCertainInWindow`). `walkingMetersTo` always sets it; figures
   * put together elsewhere (a page's share of a window) may leave it out.
   */
  estimatedBeyondBound?: boolean;
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
  /** `walkNearestOnFoot`: whether each target's walk is certain, and the walks offered, shortest first. */
  certain: Uint8Array;
  queue: MinHeap;
  byAirline: Int32Array;
  /** `walkNearestOnFoot`: the targets hanging on each end node, as linked entries (two per target). */
  attached: { target: Int32Array; meters: Float64Array; next: Int32Array };
  /** Per node of the network: its first entry in `attached`, valid where `stampOf` is the walk's stamp. */
  nodes: { stamp: number; stampOf: Int32Array; first: Int32Array } | null;
}

const scratchOf = new WeakMap<ShortestPaths, Scratch>();
/** For walks without a network. */
let detachedScratch: Scratch | null = null;

function scratchFor(walking: { network: StreetNetwork; paths: ShortestPaths } | null, count: number): Scratch {
  let scratch = walking ? scratchOf.get(walking.paths) : detachedScratch;
  if (!scratch || scratch.airline.length < count) {
    const size = Math.max(count, 256);
    scratch = {
      airline: new Float64Array(size),
      distances: new Float64Array(size),
      segment: new Int32Array(size),
      offset: new Float64Array(size),
      along: new Float64Array(size),
      pendingSegments: new Int32Array(size),
      certain: new Uint8Array(size),
      byAirline: new Int32Array(size),
      queue: scratch?.queue ?? new MinHeap(4 * size),
      attached: { target: new Int32Array(2 * size), meters: new Float64Array(2 * size), next: new Int32Array(2 * size) },
      nodes: scratch?.nodes ?? (walking ? { stamp: 0, stampOf: new Int32Array(walking.network.nodeCount), first: new Int32Array(walking.network.nodeCount) } : null),
    };
    if (walking) scratchOf.set(walking.paths, scratch);
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

/** The scratch of the walks over one network, and the snapped places of each list on it. */
export interface WalkingWorkspace {
  network: StreetNetwork;
  paths: ShortestPaths;
  places: WeakMap<object, SnappedPlaces>;
}

/** A workspace for walks over `network`, without snapped places yet. */
export function walkingWorkspace(network: StreetNetwork): WalkingWorkspace {
  return { network, paths: new ShortestPaths(network), places: new WeakMap() };
}

/** The kept snapped places of a list (an object that never changes its places) on the workspace's network, made on first use. */
export function snappedPlacesOf(walking: WalkingWorkspace, listed: { list: object; size: number }): SnappedPlaces {
  let places = walking.places.get(listed.list);
  if (places?.size !== listed.size) {
    places = new SnappedPlaces(walking.network, listed.size);
    walking.places.set(listed.list, places);
  }
  return places;
}

/** Targets that are places of a list whose snapped positions are kept (`SnappedPlaces`), by ordinal. */
interface ListedTargets {
  places: SnappedPlaces;
  ordinals: ArrayLike<number>;
}

interface WalkingOptions {
  /** The targets are places of this list: their snapped positions come from it. */
  listed?: ListedTargets | undefined;
  /**
   * Only the first `needed` targets in walking order are wanted (the search's page of its window):
   * the walk stops once they are certain, and targets surely farther on foot get NaN.
   */
  needed?: number | undefined;
}

/**
 * Walking distances from one origin to several targets (their longitudes and latitudes): over the
 * street network where both ends lie near a street and the target is reached within the bound,
 * otherwise airline × detour factor. Only the answer is allocated per call.
 *
 * With `needed`, the answer has NaN for targets surely farther on foot than the first `needed`;
 * every other figure is the one of a walk to all, and the first `needed` in walking order are
 * among them (`walkNearestOnFoot`).
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
  const answer: WalkingMeters = { meters: new Float64Array(count), overNetwork: new Uint8Array(count), estimatedBeyondBound: false };
  const scratch = scratchFor(walking, count);
  const { airline, distances, segment } = scratch;
  let farthest = Number.NEGATIVE_INFINITY;
  for (let position = 0; position < count; position += 1) {
    airline[position] = earthDistanceMeters(origin[0], origin[1], lons[position]!, lats[position]!);
    farthest = Math.max(farthest, airline[position]!);
    distances[position] = Number.POSITIVE_INFINITY;
    segment[position] = -1;
  }
  const bound = Math.max(5000, farthest * 5);
  // Remembered: a citizen paging or changing filters walks from the same place again.
  const start = walking && count > 0 ? walking.network.snapRememberedAt(origin[0], origin[1], maxSnapMeters) : null;
  let finalUpTo = Number.POSITIVE_INFINITY;
  if (walking && start) {
    placeTargets(walking.network, start, lons, lats, scratch, count, options.listed);
    const needed = options.needed ?? count;
    if (needed < count) finalUpTo = walkNearestOnFoot(walking, start, scratch, count, { needed, bound, detourFactor });
    else walkToAll(walking.paths, start, scratch, count, bound);
  }
  for (let position = 0; position < count; position += 1) {
    const meters = distances[position]!;
    const estimate = airline[position]! * detourFactor;
    if (meters <= bound && meters <= finalUpTo) {
      answer.meters[position] = Math.round(meters);
      answer.overNetwork[position] = 1;
    } else if (segment[position]! < 0 || finalUpTo === Number.POSITIVE_INFINITY) {
      answer.meters[position] = Math.round(estimate);
      if (segment[position]! >= 0) answer.estimatedBeyondBound = true;
    } else {
      answer.meters[position] = Number.NaN;
    }
  }
  return answer;
}

// The walks below go up to a bound of 5× the farthest target's airline distance (at least 5 km),
// for targets the walk cannot reach nearby (a river between: Frankenwerft → Deutzer Werft is 570 m
// airline, 2.9 km on foot). A distance within the bound is certainly the shortest: a route through
// a node beyond the bound is longer than the bound. A walk to all targets stops as soon as the end
// nodes of every target's segment are settled, so the bound only costs where a target is that far
// on foot; the search's walk (`walkNearestOnFoot`) stops once its page is certain.

/** One walk that stops once the segment ends of every reachable target are settled. */
function walkToAll(paths: ShortestPaths, start: SnappedPoint, scratch: Scratch, count: number, bound: number): void {
  const { distances, segment, pendingSegments } = scratch;
  let pending = 0;
  for (let position = 0; position < count; position += 1) if (segment[position]! >= 0) pendingSegments[pending++] = segment[position]!;
  if (pending === 0) return;
  paths.start();
  paths.seed(start, 0, bound);
  paths.settleTowardsSegments(bound, pendingSegments, pending);
  for (let position = 0; position < count; position += 1) {
    if (segment[position]! < 0) continue;
    distances[position] = streetMetersOf(paths, start, scratch, position) + scratch.offset[position]!;
  }
}

/**
 * The search's walk: network expansion from the origin that stops once the first `needed` targets
 * on foot are certain (incremental network expansion, as k-nearest-neighbour queries on road
 * networks do). Each settled end node of a target's segment offers the target a walk through it;
 * a walk of `m` metres is final once every node nearer than `m` is settled (any other way passes a
 * node not yet settled). The walk stops when `needed` targets have final figures at least 1 m below
 * the node being settled, the last of them `last`, and every target whose estimate is below
 * `last` + 1 m is final: a target whose walk is not final is then farther on foot than those
 * `needed` (in whole metres too), and so is its estimate, which stands if the walk would not reach
 * it within the bound. Targets with no street near, or in another part of the network, take part
 * with their estimate. Returns the
 * distance up to which the walks are final (Infinity when nothing within the bound was left):
 * targets beyond it are farther than the first `needed`.
 */
function walkNearestOnFoot(
  walking: { network: StreetNetwork; paths: ShortestPaths },
  start: SnappedPoint,
  scratch: Scratch,
  count: number,
  walk: { needed: number; bound: number; detourFactor: number },
): number {
  const { paths } = walking;
  const { distances, segment, offset, airline, certain, queue, attached, byAirline } = scratch;
  const nodes = scratch.nodes!;
  const stamp = hangTargets(walking.network, start, scratch, count, walk.detourFactor);
  /** Targets before it in `byAirline` are final or estimates. */
  let settledEstimates = 0;
  let certainCount = 0;
  /** The figure of the `needed`-th target certain: the page's last. */
  let pageLast = Number.POSITIVE_INFINITY;
  paths.start();
  paths.seed(start, 0, walk.bound);
  settling: for (let node = paths.settleNext(walk.bound); node >= 0; node = paths.settleNext(walk.bound)) {
    const meters = paths.distance[node]!;
    if (nodes.stampOf[node] === stamp) {
      for (let entry = nodes.first[node]!; entry >= 0; entry = attached.next[entry]!) {
        const position = attached.target[entry]!;
        // Added in the order of a walk to all (`streetMetersOf` + offset): the same figure to the last bit.
        const through = meters + attached.meters[entry]! + offset[position]!;
        if (through < distances[position]!) {
          distances[position] = through;
          queue.push(through, position);
        }
      }
    }
    while (queue.size > 0 && queue.peekPriority() <= meters - 1) {
      const figure = queue.peekPriority();
      const position = queue.pop();
      if (certain[position] === 0) {
        certain[position] = 1;
        certainCount += 1;
        // Counted in increasing order (a walk offered later is no shorter than the nodes settled).
        if (certainCount === walk.needed) pageLast = figure;
      }
    }
    if (certainCount < walk.needed) continue;
    for (; settledEstimates < count; settledEstimates += 1) {
      const position = byAirline[settledEstimates]!;
      if (airline[position]! * walk.detourFactor >= pageLast + 1) break;
      // A walk not final yet whose estimate could be on the page (if the walk did not reach it within the bound): wait for it.
      if (segment[position]! >= 0 && !(distances[position]! <= meters)) continue settling;
    }
    return meters;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * Prepares `walkNearestOnFoot`: hangs each target on both end nodes of its segment (under a new
 * stamp, returned), queues the estimates and the walks along the origin's own segment, and orders
 * the targets by airline (the window comes nearest first; other callers are sorted here).
 */
function hangTargets(network: StreetNetwork, start: SnappedPoint, scratch: Scratch, count: number, detourFactor: number): number {
  const { distances, segment, offset, along, airline, certain, queue, attached, byAirline } = scratch;
  const nodes = scratch.nodes!;
  if (nodes.stamp === 0x7fffffff) {
    nodes.stampOf.fill(0);
    nodes.stamp = 0;
  }
  nodes.stamp += 1;
  const stamp = nodes.stamp;
  queue.clear();
  let entries = 0;
  /** Hangs target `position` on `node`, `meters` from it along its segment (its offset from the street comes on top). */
  const attach = (node: number, position: number, meters: number) => {
    if (nodes.stampOf[node] !== stamp) {
      nodes.stampOf[node] = stamp;
      nodes.first[node] = -1;
    }
    attached.target[entries] = position;
    attached.meters[entries] = meters;
    attached.next[entries] = nodes.first[node]!;
    nodes.first[node] = entries;
    entries += 1;
  };
  let nearestFirst = true;
  for (let position = 0; position < count; position += 1) {
    certain[position] = 0;
    byAirline[position] = position;
    if (position > 0 && airline[position]! < airline[position - 1]!) nearestFirst = false;
    const targetSegment = segment[position]!;
    if (targetSegment < 0) {
      queue.push(airline[position]! * detourFactor, position);
      continue;
    }
    if (targetSegment === start.segmentIndex) {
      distances[position] = start.offsetMeters + Math.abs(along[position]! - start.alongMeters) + offset[position]!;
      queue.push(distances[position]!, position);
    }
    attach(network.segmentStart[targetSegment]!, position, along[position]!);
    attach(network.segmentEnd[targetSegment]!, position, Math.max(0, network.segmentLength[targetSegment]! - along[position]!));
  }
  if (!nearestFirst) byAirline.subarray(0, count).sort((a, b) => airline[a]! - airline[b]!);
  return stamp;
}

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
