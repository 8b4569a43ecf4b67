// The one Dijkstra over the street network: from one source or many at once, bounded by a
// distance, optionally stopping as soon as given targets are final. Every walking distance of the
// server comes from here, with one rule for where a point enters and leaves the network: from a
// snapped point, walk its offset to the street, then along the segment to either end node; a target
// is reached from either end of its segment (or directly along a shared segment), plus its offset.
// So the search's "8 minutes" and the coverage's "within reach" are the same number.

import { MinHeap } from './min-heap.ts';
import type { SnappedPoint, StreetNetwork } from './street-network.ts';

/**
 * Distances from sources to nodes, in arrays allocated once per network and reset only where a run
 * touched them. A run's answers hold until the next `start()`.
 */
export class ShortestPaths {
  /** Metres from the nearest source to each node (Infinity: not reached). */
  readonly distance: Float64Array;
  /** Which source each reached node is nearest to (-1: not reached). */
  readonly source: Int32Array;
  private readonly heap: MinHeap;
  /**
   * The nodes a run reached, the first `touchedCount` (grown by doubling, kept between runs). A
   * plain array emptied with `length = 0` gave its storage back every run and grew it again: 16 kB
   * of garbage per walk of a search (docs/benchmarks.md, "Garbage of the search's walk").
   */
  private touched = new Int32Array(1024);
  private touchedCount = 0;
  private readonly targetStamp: Int32Array;
  private stamp = 0;
  /** Counts runs, so an answer can tell it was replaced by a newer run. */
  run = 0;

  constructor(readonly network: StreetNetwork) {
    this.distance = new Float64Array(network.nodeCount).fill(Number.POSITIVE_INFINITY);
    this.source = new Int32Array(network.nodeCount).fill(-1);
    this.targetStamp = new Int32Array(network.nodeCount);
    this.heap = new MinHeap(1024);
  }

  /** Forgets the previous run (only the nodes it touched are reset). */
  start(): void {
    const { touched } = this;
    for (let position = 0; position < this.touchedCount; position += 1) {
      const node = touched[position]!;
      this.distance[node] = Number.POSITIVE_INFINITY;
      this.source[node] = -1;
    }
    this.touchedCount = 0;
    this.heap.clear();
    this.run += 1;
  }

  /** Nodes reached by the current run (their distances are final after an unstopped `settle`). */
  reached(): Int32Array {
    return this.touched.subarray(0, this.touchedCount);
  }

  /** Enters a source point: both end nodes of its segment, at its offset plus the way along. */
  seed(point: SnappedPoint, label: number, cutoff: number): void {
    const length = this.network.segmentLength[point.segmentIndex]!;
    this.relax(this.network.segmentStart[point.segmentIndex]!, point.offsetMeters + point.alongMeters, label, cutoff);
    this.relax(this.network.segmentEnd[point.segmentIndex]!, point.offsetMeters + Math.max(0, length - point.alongMeters), label, cutoff);
  }

  /**
   * Settles nodes in order of distance up to `cutoff`. With targets, stops as soon as both end
   * nodes of every target's segment are settled: their distances are final then, so a nearby
   * target costs a small walk whatever the bound.
   */
  settle(cutoff: number, targets?: readonly SnappedPoint[]): void {
    this.settleWaiting(cutoff, targets ? this.markTargets(targets) : -1);
  }

  /**
   * `settle` towards targets given by their segments alone: the first `count` of `segments`
   * (negative entries are skipped). No object per target.
   */
  settleTowardsSegments(cutoff: number, segments: ArrayLike<number>, count: number): void {
    this.stamp += 1;
    let waiting = 0;
    for (let position = 0; position < count; position += 1) {
      const segment = segments[position]!;
      if (segment < 0) continue;
      waiting += this.mark(this.network.segmentStart[segment]!) + this.mark(this.network.segmentEnd[segment]!);
    }
    this.settleWaiting(cutoff, waiting);
  }

  /**
   * Settles the next node in order of distance up to `cutoff` (after queueing its neighbours) and
   * returns it, or -1 when nothing within the cutoff is left; its distance is `distance[node]`. For
   * walks that decide from what they reached when to stop (walking.ts): the caller loops, so its
   * state stays in plain locals. A callback per settled node, with the walk's figures in its
   * closure, boxed a number at nearly every step (docs/benchmarks.md, "Garbage of the search's walk").
   */
  settleNext(cutoff: number): number {
    const { adjacencyOffsets, adjacencyTargets, adjacencyLengths } = this.network;
    const { heap, distance } = this;
    while (heap.size > 0) {
      const priority = heap.peekPriority();
      const node = heap.pop();
      if (priority > distance[node]!) continue;
      const label = this.source[node]!;
      for (let edge = adjacencyOffsets[node]!; edge < adjacencyOffsets[node + 1]!; edge++) {
        this.relax(adjacencyTargets[edge]!, priority + adjacencyLengths[edge]!, label, cutoff);
      }
      return node;
    }
    return -1;
  }

  /** Settles until `waiting` marked nodes are settled (never stops early when negative). */
  private settleWaiting(cutoff: number, initiallyWaiting: number): void {
    const { adjacencyOffsets, adjacencyTargets, adjacencyLengths } = this.network;
    const { heap, distance } = this;
    let waiting = initiallyWaiting;
    while (heap.size > 0 && waiting !== 0) {
      const priority = heap.peekPriority();
      const node = heap.pop();
      if (priority > distance[node]!) continue;
      if (waiting > 0 && this.targetStamp[node] === this.stamp) {
        this.targetStamp[node] = 0;
        waiting -= 1;
      }
      const label = this.source[node]!;
      for (let edge = adjacencyOffsets[node]!; edge < adjacencyOffsets[node + 1]!; edge++) {
        this.relax(adjacencyTargets[edge]!, priority + adjacencyLengths[edge]!, label, cutoff);
      }
    }
  }

  /** Metres from the sources to a point, through either end of its segment, without its offset. */
  viaEnds(point: SnappedPoint): number {
    return this.viaEndsAt(point.segmentIndex, point.alongMeters);
  }

  /** `viaEnds` of the point `alongMeters` along segment `segmentIndex`. */
  viaEndsAt(segmentIndex: number, alongMeters: number): number {
    const { segmentStart, segmentEnd, segmentLength } = this.network;
    const length = segmentLength[segmentIndex]!;
    return Math.min(this.distance[segmentStart[segmentIndex]!]! + alongMeters, this.distance[segmentEnd[segmentIndex]!]! + Math.max(0, length - alongMeters));
  }

  private relax(node: number, cost: number, label: number, cutoff: number): void {
    if (cost > cutoff || cost >= this.distance[node]!) return;
    if (this.distance[node] === Number.POSITIVE_INFINITY) this.touch(node);
    this.distance[node] = cost;
    this.source[node] = label;
    this.heap.push(cost, node);
  }

  /** Records a node reached for the first time in this run. */
  private touch(node: number): void {
    if (this.touchedCount === this.touched.length) {
      const grown = new Int32Array(2 * this.touched.length);
      grown.set(this.touched);
      this.touched = grown;
    }
    this.touched[this.touchedCount] = node;
    this.touchedCount += 1;
  }

  private markTargets(targets: readonly SnappedPoint[]): number {
    this.stamp += 1;
    let waiting = 0;
    for (const target of targets) {
      waiting += this.mark(this.network.segmentStart[target.segmentIndex]!) + this.mark(this.network.segmentEnd[target.segmentIndex]!);
    }
    return waiting;
  }

  /** Marks a node as awaited by the current stamp: 1 when newly marked, else 0. */
  private mark(node: number): number {
    if (this.targetStamp[node] === this.stamp) return 0;
    this.targetStamp[node] = this.stamp;
    return 1;
  }
}

/** Walking metres from `from` to `to` along one shared segment (Infinity on different segments). */
function alongSharedSegment(from: SnappedPoint, to: SnappedPoint): number {
  return from.segmentIndex === to.segmentIndex ? from.offsetMeters + Math.abs(to.alongMeters - from.alongMeters) : Number.POSITIVE_INFINITY;
}

/** The metres of a walk from a source to a target point: via the network or along a shared segment, plus the target's offset. */
function pointDistance(paths: ShortestPaths, source: SnappedPoint, target: SnappedPoint): number {
  return Math.min(paths.viaEnds(target), alongSharedSegment(source, target)) + target.offsetMeters;
}

/** The middle of a segment as a point on the network (where the coverage places residents). */
function segmentMiddle(network: StreetNetwork, segmentIndex: number): SnappedPoint {
  return { segmentIndex, offsetMeters: 0, alongMeters: network.segmentLength[segmentIndex]! / 2 };
}

export interface WalkingSource {
  snapped: SnappedPoint;
  /** Network metres from the source to a target it was walked for (Infinity: beyond the bound). */
  distanceTo(target: SnappedPoint): number;
}

/** One bounded walk from a point towards targets; answers until the next run of `paths`. */
export function walkFrom(paths: ShortestPaths, snapped: SnappedPoint, maxMeters: number, targets: readonly SnappedPoint[]): WalkingSource {
  paths.start();
  paths.seed(snapped, 0, maxMeters);
  paths.settle(maxMeters, targets);
  const run = paths.run;
  const walkedFor = new Set(targets.map((target) => target.segmentIndex));
  return {
    snapped,
    distanceTo(target) {
      if (run !== paths.run) throw new Error('a newer walk replaced this one');
      if (!walkedFor.has(target.segmentIndex)) throw new Error('the walk was not made for this target');
      return pointDistance(paths, snapped, target);
    },
  };
}

export interface NearestResult {
  /** Network metres from each segment's middle to the nearest source (Infinity: unreachable). */
  distance: Float64Array;
  /** Index into the sources of that nearest source (-1: unreachable). */
  nearest: Int32Array;
}

/**
 * One multi-source run from all sources at once: every segment middle learns its distance to the
 * nearest source. Cost O((V + E) log V) however many sources there are.
 */
export function nearestSourceDistances(network: StreetNetwork, sources: readonly SnappedPoint[], cutoff = Number.POSITIVE_INFINITY): NearestResult {
  const paths = new ShortestPaths(network);
  paths.start();
  sources.forEach((source, index) => paths.seed(source, index, cutoff));
  paths.settle(cutoff);
  const distance = new Float64Array(network.segmentCount);
  const nearest = new Int32Array(network.segmentCount);
  for (let index = 0; index < network.segmentCount; index++) {
    const start = network.segmentStart[index]!;
    const end = network.segmentEnd[index]!;
    distance[index] = paths.viaEnds(segmentMiddle(network, index));
    nearest[index] = paths.distance[start]! <= paths.distance[end]! ? paths.source[start]! : paths.source[end]!;
  }
  // A source on the segment itself reaches the middle without passing an end point.
  sources.forEach((source, index) => {
    const direct = alongSharedSegment(source, segmentMiddle(network, source.segmentIndex));
    if (direct < distance[source.segmentIndex]!) {
      distance[source.segmentIndex] = direct;
      nearest[source.segmentIndex] = index;
    }
  });
  return { distance, nearest };
}

/**
 * The segments whose middle lies within `cutoff` metres of one source, with their distance (the
 * catchments of E2SFCA). Reuses `paths`: many bounded runs cost only what they touch.
 */
export function segmentsWithin(paths: ShortestPaths, source: SnappedPoint, cutoff: number): Map<number, number> {
  const { network } = paths;
  paths.start();
  paths.seed(source, 0, cutoff);
  paths.settle(cutoff);
  const result = new Map<number, number>();
  const offer = (segment: number, distance: number): void => {
    if (distance > cutoff) return;
    const known = result.get(segment);
    if (known === undefined || distance < known) result.set(segment, distance);
  };
  offer(source.segmentIndex, alongSharedSegment(source, segmentMiddle(network, source.segmentIndex)));
  for (const node of paths.reached()) {
    for (let edge = network.adjacencyOffsets[node]!; edge < network.adjacencyOffsets[node + 1]!; edge++) {
      const segment = network.adjacencySegments[edge]!;
      offer(segment, pointDistance(paths, source, segmentMiddle(network, segment)));
    }
  }
  return result;
}
