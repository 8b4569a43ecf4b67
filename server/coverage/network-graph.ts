/**
 * The street network as a graph for walking distances, computed in TypeScript because the
 * embedded database has no pgRouting. Nodes are segment end points (segments that share an
 * end point meet there); edges are segments, weighted by their length in metres. Residents
 * sit at segment midpoints; offers are snapped onto a segment (fraction along it plus the
 * straight offset from the offer to the street).
 */

export interface NetworkSegmentInput {
  startLon: number;
  startLat: number;
  endLon: number;
  endLat: number;
  lengthMeters: number;
}

export interface StreetNetwork {
  nodeCount: number;
  segmentCount: number;
  segmentStart: Int32Array;
  segmentEnd: Int32Array;
  segmentLength: Float64Array;
  /** CSR adjacency: the edges leaving node n are at adjacencyOffsets[n] … adjacencyOffsets[n + 1] - 1. */
  adjacencyOffsets: Int32Array;
  adjacencyTargets: Int32Array;
  adjacencySegments: Int32Array;
}

/** An offer's place on the network: a point on segment `segmentIndex`. */
export interface NetworkSource {
  segmentIndex: number;
  /** 0 at the segment's start, 1 at its end. */
  fraction: number;
  /** Straight distance from the offer to that point, in metres (added to every network distance). */
  offsetMeters: number;
}

// End points closer than about 1 cm are one node: coordinates are rounded to 1e-7 degrees.
const nodeKeyScale = 1e7;

function nodeKey(lon: number, lat: number): string {
  return `${Math.round(lon * nodeKeyScale)}:${Math.round(lat * nodeKeyScale)}`;
}

export function buildStreetNetwork(segments: readonly NetworkSegmentInput[]): StreetNetwork {
  const nodeIds = new Map<string, number>();
  const idOf = (lon: number, lat: number): number => {
    const key = nodeKey(lon, lat);
    let id = nodeIds.get(key);
    if (id === undefined) {
      id = nodeIds.size;
      nodeIds.set(key, id);
    }
    return id;
  };
  const segmentCount = segments.length;
  const segmentStart = new Int32Array(segmentCount);
  const segmentEnd = new Int32Array(segmentCount);
  const segmentLength = new Float64Array(segmentCount);
  segments.forEach((segment, index) => {
    segmentStart[index] = idOf(segment.startLon, segment.startLat);
    segmentEnd[index] = idOf(segment.endLon, segment.endLat);
    segmentLength[index] = segment.lengthMeters;
  });
  const nodeCount = nodeIds.size;
  const degree = new Int32Array(nodeCount + 1);
  for (let index = 0; index < segmentCount; index++) {
    degree[segmentStart[index]!]! += 1;
    degree[segmentEnd[index]!]! += 1;
  }
  const adjacencyOffsets = new Int32Array(nodeCount + 1);
  for (let node = 0; node < nodeCount; node++) adjacencyOffsets[node + 1] = adjacencyOffsets[node]! + degree[node]!;
  const fill = adjacencyOffsets.slice(0, nodeCount);
  const adjacencyTargets = new Int32Array(segmentCount * 2);
  const adjacencySegments = new Int32Array(segmentCount * 2);
  for (let index = 0; index < segmentCount; index++) {
    const start = segmentStart[index]!;
    const end = segmentEnd[index]!;
    adjacencyTargets[fill[start]!] = end;
    adjacencySegments[fill[start]!] = index;
    fill[start]! += 1;
    adjacencyTargets[fill[end]!] = start;
    adjacencySegments[fill[end]!] = index;
    fill[end]! += 1;
  }
  return {
    nodeCount,
    segmentCount,
    segmentStart,
    segmentEnd,
    segmentLength,
    adjacencyOffsets,
    adjacencyTargets,
    adjacencySegments,
  };
}

/** A binary min-heap of (priority, node) pairs; stale entries are skipped by the caller. */
export class MinHeap {
  private priorities: Float64Array;
  private values: Int32Array;
  size = 0;

  constructor(capacity = 1024) {
    this.priorities = new Float64Array(capacity);
    this.values = new Int32Array(capacity);
  }

  push(priority: number, value: number): void {
    if (this.size === this.priorities.length) {
      const priorities = new Float64Array(this.size * 2);
      priorities.set(this.priorities);
      this.priorities = priorities;
      const values = new Int32Array(this.size * 2);
      values.set(this.values);
      this.values = values;
    }
    let index = this.size++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.priorities[parent]! <= priority) break;
      this.priorities[index] = this.priorities[parent]!;
      this.values[index] = this.values[parent]!;
      index = parent;
    }
    this.priorities[index] = priority;
    this.values[index] = value;
  }

  /** The smallest priority; read it before pop(). */
  peekPriority(): number {
    return this.priorities[0]!;
  }

  /** Removes the entry with the smallest priority and returns its value. */
  pop(): number {
    const top = this.values[0]!;
    const last = --this.size;
    if (last > 0) {
      const priority = this.priorities[last]!;
      const value = this.values[last]!;
      let index = 0;
      for (;;) {
        let child = 2 * index + 1;
        if (child >= last) break;
        if (child + 1 < last && this.priorities[child + 1]! < this.priorities[child]!) child += 1;
        if (this.priorities[child]! >= priority) break;
        this.priorities[index] = this.priorities[child]!;
        this.values[index] = this.values[child]!;
        index = child;
      }
      this.priorities[index] = priority;
      this.values[index] = value;
    }
    return top;
  }
}

export interface NearestResult {
  /** Network distance in metres from each segment's midpoint to the nearest source (Infinity: unreachable). */
  distance: Float64Array;
  /** Index into the sources array of that nearest source (-1: unreachable). */
  nearest: Int32Array;
}

function halfLengthAlong(source: NetworkSource, length: number): number {
  return source.offsetMeters + Math.abs(source.fraction - 0.5) * length;
}

/**
 * One multi-source Dijkstra run from all sources at once: every segment midpoint learns its
 * distance to the nearest source. Cost O((V + E) log V) however many sources there are.
 */
export function nearestSourceDistances(network: StreetNetwork, sources: readonly NetworkSource[]): NearestResult {
  const nodeDistance = new Float64Array(network.nodeCount).fill(Number.POSITIVE_INFINITY);
  const nodeSource = new Int32Array(network.nodeCount).fill(-1);
  const heap = new MinHeap(Math.max(16, network.nodeCount));
  sources.forEach((source, sourceIndex) => {
    const length = network.segmentLength[source.segmentIndex]!;
    const start = network.segmentStart[source.segmentIndex]!;
    const end = network.segmentEnd[source.segmentIndex]!;
    const toStart = source.offsetMeters + source.fraction * length;
    const toEnd = source.offsetMeters + (1 - source.fraction) * length;
    if (toStart < nodeDistance[start]!) {
      nodeDistance[start] = toStart;
      nodeSource[start] = sourceIndex;
      heap.push(toStart, start);
    }
    if (toEnd < nodeDistance[end]!) {
      nodeDistance[end] = toEnd;
      nodeSource[end] = sourceIndex;
      heap.push(toEnd, end);
    }
  });
  settle(network, heap, nodeDistance, nodeSource, Number.POSITIVE_INFINITY, undefined);

  const distance = new Float64Array(network.segmentCount);
  const nearest = new Int32Array(network.segmentCount);
  for (let index = 0; index < network.segmentCount; index++) {
    const half = network.segmentLength[index]! / 2;
    const start = network.segmentStart[index]!;
    const end = network.segmentEnd[index]!;
    const viaStart = nodeDistance[start]! + half;
    const viaEnd = nodeDistance[end]! + half;
    if (viaStart <= viaEnd) {
      distance[index] = viaStart;
      nearest[index] = nodeSource[start]!;
    } else {
      distance[index] = viaEnd;
      nearest[index] = nodeSource[end]!;
    }
  }
  // A source on the segment itself reaches the midpoint without passing an end point.
  sources.forEach((source, sourceIndex) => {
    const direct = halfLengthAlong(source, network.segmentLength[source.segmentIndex]!);
    if (direct < distance[source.segmentIndex]!) {
      distance[source.segmentIndex] = direct;
      nearest[source.segmentIndex] = sourceIndex;
    }
  });
  return { distance, nearest };
}

function settle(
  network: StreetNetwork,
  heap: MinHeap,
  nodeDistance: Float64Array,
  nodeSource: Int32Array | undefined,
  cutoff: number,
  touched: number[] | undefined,
): void {
  const { adjacencyOffsets, adjacencyTargets, adjacencySegments, segmentLength } = network;
  while (heap.size > 0) {
    const priority = heap.peekPriority();
    const node = heap.pop();
    if (priority > nodeDistance[node]!) continue;
    if (priority > cutoff) break;
    for (let edge = adjacencyOffsets[node]!; edge < adjacencyOffsets[node + 1]!; edge++) {
      const target = adjacencyTargets[edge]!;
      const candidate = priority + segmentLength[adjacencySegments[edge]!]!;
      if (candidate < nodeDistance[target]! && candidate <= cutoff) {
        if (touched && nodeDistance[target] === Number.POSITIVE_INFINITY) touched.push(target);
        nodeDistance[target] = candidate;
        if (nodeSource) nodeSource[target] = nodeSource[node]!;
        heap.push(candidate, target);
      }
    }
  }
}

/**
 * Reusable state for many bounded single-source runs (the catchments of E2SFCA): the distance
 * array is allocated once and only the touched entries are reset.
 */
export class CatchmentSearch {
  private readonly nodeDistance: Float64Array;
  private readonly heap: MinHeap;

  constructor(private readonly network: StreetNetwork) {
    this.nodeDistance = new Float64Array(network.nodeCount).fill(Number.POSITIVE_INFINITY);
    this.heap = new MinHeap(1024);
  }

  /** Segments whose midpoint lies within `cutoff` metres of the source, with their distance. */
  segmentsWithin(source: NetworkSource, cutoff: number): Map<number, number> {
    const { network, nodeDistance, heap } = this;
    const touched: number[] = [];
    const length = network.segmentLength[source.segmentIndex]!;
    const start = network.segmentStart[source.segmentIndex]!;
    const end = network.segmentEnd[source.segmentIndex]!;
    const seed = (node: number, distance: number): void => {
      if (distance > cutoff || distance >= nodeDistance[node]!) return;
      if (nodeDistance[node] === Number.POSITIVE_INFINITY) touched.push(node);
      nodeDistance[node] = distance;
      heap.push(distance, node);
    };
    seed(start, source.offsetMeters + source.fraction * length);
    seed(end, source.offsetMeters + (1 - source.fraction) * length);
    settle(network, heap, nodeDistance, undefined, cutoff, touched);
    heap.size = 0;

    const result = new Map<number, number>();
    const offer = (segment: number, distance: number): void => {
      if (distance > cutoff) return;
      const known = result.get(segment);
      if (known === undefined || distance < known) result.set(segment, distance);
    };
    offer(source.segmentIndex, halfLengthAlong(source, length));
    for (const node of touched) {
      const distance = nodeDistance[node]!;
      for (let edge = network.adjacencyOffsets[node]!; edge < network.adjacencyOffsets[node + 1]!; edge++) {
        const segment = network.adjacencySegments[edge]!;
        offer(segment, distance + network.segmentLength[segment]! / 2);
      }
    }
    for (const node of touched) nodeDistance[node] = Number.POSITIVE_INFINITY;
    return result;
  }
}
