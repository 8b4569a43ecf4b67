// The street segments as a walkable graph, in memory: segments meet at shared end points, so the
// end points are the nodes and the segments the edges. Snapping uses a uniform grid; distances a
// bounded Dijkstra. Cologne: ~16,000 segments, ~11,000 nodes, a few MB.

import { distanceToLineMeters, haversineMeters, localScale, metersPerDegreeLatitude, projectOntoLine, type Position } from './house-numbers.ts';

export interface NetworkSegment {
  coordinates: Position[];
  lengthMeters: number;
}

export interface SnappedPoint {
  segmentIndex: number;
  /** Straight-line metres from the point to the street. */
  offsetMeters: number;
  /** Metres along the segment from its first vertex. */
  alongMeters: number;
}

export interface WalkingSource {
  snapped: SnappedPoint;
  /** Network distance in metres from the source to every node reached, or Infinity. */
  distanceTo(target: SnappedPoint): number;
}

/** Snapped points remembered by snapRemembered (≈ 150 bytes each). */
const snapMemoryLimit = 200_000;

const cellSizeLon = 0.0025;
const cellSizeLat = 0.0015;

function cellKey(x: number, y: number): number {
  // Cell indices stay within ±100,000 for any lon/lat; one safe integer keys the Map.
  return (x + 100_000) * 200_000 + (y + 100_000);
}

/** A binary min-heap on typed arrays, reused between runs: no allocation per request. */
class MinHeap {
  private nodes: Int32Array;
  private costs: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.nodes = new Int32Array(Math.max(16, capacity));
    this.costs = new Float64Array(Math.max(16, capacity));
  }

  clear(): void {
    this.size = 0;
  }

  push(node: number, cost: number): void {
    if (this.size === this.nodes.length) this.grow();
    let index = this.size;
    this.size += 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.costs[parent]! <= cost) break;
      this.nodes[index] = this.nodes[parent]!;
      this.costs[index] = this.costs[parent]!;
      index = parent;
    }
    this.nodes[index] = node;
    this.costs[index] = cost;
  }

  /** The cost of the smallest entry; call only when size > 0. */
  peekCost(): number {
    return this.costs[0]!;
  }

  /** Removes the smallest entry and returns its node; read its cost with peekCost() before. */
  pop(): number {
    const top = this.nodes[0]!;
    this.size -= 1;
    if (this.size > 0) {
      const node = this.nodes[this.size]!;
      const cost = this.costs[this.size]!;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        if (left >= this.size) break;
        const right = left + 1;
        const child = right < this.size && this.costs[right]! < this.costs[left]! ? right : left;
        if (this.costs[child]! >= cost) break;
        this.nodes[index] = this.nodes[child]!;
        this.costs[index] = this.costs[child]!;
        index = child;
      }
      this.nodes[index] = node;
      this.costs[index] = cost;
    }
    return top;
  }

  private grow(): void {
    const nodes = new Int32Array(this.nodes.length * 2);
    nodes.set(this.nodes);
    const costs = new Float64Array(this.costs.length * 2);
    costs.set(this.costs);
    this.nodes = nodes;
    this.costs = costs;
  }
}

export class StreetNetwork {
  readonly segmentCount: number;
  readonly nodeCount: number;
  private readonly segments: NetworkSegment[];
  private readonly segmentStart: Int32Array;
  private readonly segmentEnd: Int32Array;
  private readonly adjacencyOffsets: Int32Array;
  private readonly adjacencyNodes: Int32Array;
  private readonly adjacencyCosts: Float64Array;
  private readonly grid = new Map<number, number[]>();
  // Reused between runs (one search runs at a time on the event loop): no allocation per request.
  private readonly distances: Float64Array;
  private readonly settledStamp: Int32Array;
  private readonly reachedStamp: Int32Array;
  private readonly heap: MinHeap;
  private readonly segmentSeen: Int32Array;
  /** Which nodes and segments the current walk waits for (by its stamp). */
  private readonly targetNodeStamp: Int32Array;
  private readonly targetSegmentStamp: Int32Array;
  private stamp = 0;
  private snapStamp = 0;
  private readonly snapMemory = new Map<number, Map<number, SnappedPoint | null>>();
  private snapMemorySize = 0;
  private snapMemoryBound = Number.NaN;

  constructor(segments: NetworkSegment[]) {
    this.segments = segments;
    this.segmentCount = segments.length;
    const nodeIds = new Map<string, number>();
    const nodeFor = (position: Position): number => {
      const key = `${position[0].toFixed(6)},${position[1].toFixed(6)}`;
      let id = nodeIds.get(key);
      if (id === undefined) {
        id = nodeIds.size;
        nodeIds.set(key, id);
      }
      return id;
    };
    this.segmentStart = new Int32Array(segments.length);
    this.segmentEnd = new Int32Array(segments.length);
    segments.forEach((segment, index) => {
      this.segmentStart[index] = nodeFor(segment.coordinates[0]!);
      this.segmentEnd[index] = nodeFor(segment.coordinates[segment.coordinates.length - 1]!);
      this.addToGrid(index, segment.coordinates);
    });
    this.nodeCount = nodeIds.size;
    const degree = new Int32Array(this.nodeCount + 1);
    for (let index = 0; index < segments.length; index += 1) {
      degree[this.segmentStart[index]!]! += 1;
      degree[this.segmentEnd[index]!]! += 1;
    }
    this.adjacencyOffsets = new Int32Array(this.nodeCount + 1);
    for (let node = 0; node < this.nodeCount; node += 1) {
      this.adjacencyOffsets[node + 1] = this.adjacencyOffsets[node]! + degree[node]!;
    }
    this.adjacencyNodes = new Int32Array(this.adjacencyOffsets[this.nodeCount]!);
    this.adjacencyCosts = new Float64Array(this.adjacencyOffsets[this.nodeCount]!);
    const fill = this.adjacencyOffsets.slice(0, this.nodeCount);
    segments.forEach((segment, index) => {
      const a = this.segmentStart[index]!;
      const b = this.segmentEnd[index]!;
      this.adjacencyNodes[fill[a]!] = b;
      this.adjacencyCosts[fill[a]!] = segment.lengthMeters;
      fill[a]! += 1;
      this.adjacencyNodes[fill[b]!] = a;
      this.adjacencyCosts[fill[b]!] = segment.lengthMeters;
      fill[b]! += 1;
    });
    this.distances = new Float64Array(this.nodeCount);
    this.settledStamp = new Int32Array(this.nodeCount);
    this.reachedStamp = new Int32Array(this.nodeCount);
    this.heap = new MinHeap(this.nodeCount);
    this.segmentSeen = new Int32Array(segments.length);
    this.targetNodeStamp = new Int32Array(this.nodeCount);
    this.targetSegmentStamp = new Int32Array(segments.length);
  }

  /** The nearest point on any segment within `maxMeters`, or null. */
  snap(point: Position, maxMeters = 300): SnappedPoint | null {
    const scale = localScale(point[1]);
    const x = Math.floor(point[0] / cellSizeLon);
    const y = Math.floor(point[1] / cellSizeLat);
    const cellMeters = Math.min(cellSizeLat * metersPerDegreeLatitude, cellSizeLon * scale);
    let best: SnappedPoint | null = null;
    this.snapStamp += 1;
    const seenStamp = this.snapStamp;
    const maxRing = Math.ceil(maxMeters / cellMeters) + 1;
    for (let ring = 0; ring <= maxRing; ring += 1) {
      // Everything in ring r is at least (r - 1) cells away; stop once that exceeds the best hit.
      if (best && (ring - 1) * cellMeters > best.offsetMeters) break;
      for (let dx = -ring; dx <= ring; dx += 1) {
        for (let dy = -ring; dy <= ring; dy += 1) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
          // A cell holds every segment that crosses it, so the nearest point of a segment lies in
          // a cell listing it: a cell farther than the best hit (or the limit) cannot improve it.
          const west = (x + dx) * cellSizeLon;
          const south = (y + dy) * cellSizeLat;
          const gapX = Math.max(0, west - point[0], point[0] - (west + cellSizeLon)) * scale;
          const gapY = Math.max(0, south - point[1], point[1] - (south + cellSizeLat)) * metersPerDegreeLatitude;
          const gap = Math.sqrt(gapX * gapX + gapY * gapY);
          if (gap > maxMeters || (best && gap > best.offsetMeters)) continue;
          const bucket = this.grid.get(cellKey(x + dx, y + dy));
          if (!bucket) continue;
          for (const segmentIndex of bucket) {
            if (this.segmentSeen[segmentIndex] === seenStamp) continue;
            this.segmentSeen[segmentIndex] = seenStamp;
            const distance = distanceToLineMeters(this.segments[segmentIndex]!.coordinates, point, scale);
            if (distance > maxMeters) continue;
            if (!best || distance < best.offsetMeters) {
              const projection = projectOntoLine(this.segments[segmentIndex]!.coordinates, point);
              const scale = this.segments[segmentIndex]!.lengthMeters / (projection.lengthMeters || 1);
              best = {
                segmentIndex,
                offsetMeters: projection.distanceMeters,
                alongMeters: projection.alongMeters * scale,
              };
            }
          }
        }
      }
    }
    return best;
  }

  /**
   * `snap`, remembered per point: offer locations are snapped again for every search that lists
   * them. The network never changes (a new one is built when the streets do), so neither do the
   * answers; the memory is bounded by starting over when it is full.
   */
  snapRemembered(point: Position, maxMeters = 300): SnappedPoint | null {
    // Keyed by the numbers themselves (longitude, then latitude): no string per lookup.
    if (maxMeters !== this.snapMemoryBound || this.snapMemorySize >= snapMemoryLimit) {
      this.snapMemory.clear();
      this.snapMemorySize = 0;
      this.snapMemoryBound = maxMeters;
    }
    let byLatitude = this.snapMemory.get(point[0]);
    if (byLatitude === undefined) {
      byLatitude = new Map();
      this.snapMemory.set(point[0], byLatitude);
    }
    const known = byLatitude.get(point[1]);
    if (known !== undefined) return known;
    const snapped = this.snap(point, maxMeters);
    byLatitude.set(point[1], snapped);
    this.snapMemorySize += 1;
    return snapped;
  }

  /**
   * Runs one Dijkstra from `snapped` towards `targets`, settling nodes up to `maxMeters` of network
   * distance, and stops as soon as both end nodes of every target's segment are settled: their
   * distances are final then, so a nearby target costs a small walk whatever the bound. The
   * returned source answers distances to these targets until the next call of `walkFrom`.
   */
  walkFrom(snapped: SnappedPoint, maxMeters: number, targets: readonly SnappedPoint[]): WalkingSource {
    this.stamp += 1;
    const stamp = this.stamp;
    const heap = this.heap;
    heap.clear();
    let waiting = 0;
    const waitFor = (node: number): void => {
      if (this.targetNodeStamp[node] !== stamp) {
        this.targetNodeStamp[node] = stamp;
        waiting += 1;
      }
    };
    for (const target of targets) {
      this.targetSegmentStamp[target.segmentIndex] = stamp;
      waitFor(this.segmentStart[target.segmentIndex]!);
      waitFor(this.segmentEnd[target.segmentIndex]!);
    }
    const segment = this.segments[snapped.segmentIndex]!;
    const seed = (node: number, cost: number): void => {
      if (this.reachedStamp[node] !== stamp || cost < this.distances[node]!) {
        this.reachedStamp[node] = stamp;
        this.distances[node] = cost;
        heap.push(node, cost);
      }
    };
    seed(this.segmentStart[snapped.segmentIndex]!, snapped.alongMeters);
    seed(this.segmentEnd[snapped.segmentIndex]!, Math.max(0, segment.lengthMeters - snapped.alongMeters));
    while (heap.size > 0 && waiting > 0) {
      const nodeCost = heap.peekCost();
      const node = heap.pop();
      if (this.settledStamp[node] === stamp) continue;
      if (nodeCost > maxMeters) break;
      this.settledStamp[node] = stamp;
      if (this.targetNodeStamp[node] === stamp) waiting -= 1;
      for (let edge = this.adjacencyOffsets[node]!; edge < this.adjacencyOffsets[node + 1]!; edge += 1) {
        const neighbour = this.adjacencyNodes[edge]!;
        if (this.settledStamp[neighbour] === stamp) continue;
        const cost = nodeCost + this.adjacencyCosts[edge]!;
        if (cost <= maxMeters) seed(neighbour, cost);
      }
    }
    const nodeDistance = (node: number): number =>
      this.settledStamp[node] === stamp ? this.distances[node]! : Number.POSITIVE_INFINITY;
    return {
      snapped,
      distanceTo: (target) => {
        if (stamp !== this.stamp) throw new Error('a newer walk replaced this one');
        if (this.targetSegmentStamp[target.segmentIndex] !== stamp) throw new Error('the walk was not made for this target');
        const targetSegment = this.segments[target.segmentIndex]!;
        let network = Math.min(
          nodeDistance(this.segmentStart[target.segmentIndex]!) + target.alongMeters,
          nodeDistance(this.segmentEnd[target.segmentIndex]!) + Math.max(0, targetSegment.lengthMeters - target.alongMeters),
        );
        if (target.segmentIndex === snapped.segmentIndex) {
          network = Math.min(network, Math.abs(target.alongMeters - snapped.alongMeters));
        }
        return network + snapped.offsetMeters + target.offsetMeters;
      },
    };
  }

  /** Indexes of the segments whose grid cells touch the box (a superset; the caller may trim). */
  segmentsInBox([west, south, east, north]: [number, number, number, number]): number[] {
    const found: number[] = [];
    this.snapStamp += 1;
    const stamp = this.snapStamp;
    for (let x = Math.floor(west / cellSizeLon); x <= Math.floor(east / cellSizeLon); x += 1) {
      for (let y = Math.floor(south / cellSizeLat); y <= Math.floor(north / cellSizeLat); y += 1) {
        for (const segmentIndex of this.grid.get(cellKey(x, y)) ?? []) {
          if (this.segmentSeen[segmentIndex] === stamp) continue;
          this.segmentSeen[segmentIndex] = stamp;
          found.push(segmentIndex);
        }
      }
    }
    return found;
  }

  coordinatesOf(segmentIndex: number): readonly Position[] {
    return this.segments[segmentIndex]!.coordinates;
  }

  private addToGrid(segmentIndex: number, coordinates: readonly Position[]): void {
    let west = Infinity;
    let south = Infinity;
    let east = -Infinity;
    let north = -Infinity;
    for (const [lon, lat] of coordinates) {
      west = Math.min(west, lon);
      east = Math.max(east, lon);
      south = Math.min(south, lat);
      north = Math.max(north, lat);
    }
    for (let x = Math.floor(west / cellSizeLon); x <= Math.floor(east / cellSizeLon); x += 1) {
      for (let y = Math.floor(south / cellSizeLat); y <= Math.floor(north / cellSizeLat); y += 1) {
        const key = cellKey(x, y);
        const bucket = this.grid.get(key);
        if (bucket) bucket.push(segmentIndex);
        else this.grid.set(key, [segmentIndex]);
      }
    }
  }
}

/** Walking distance where no network is available: airline distance times a stated factor. */
export const walkingDetourFactor = 1.3;

export function airlineWalkingEstimate(from: Position, to: Position): number {
  return haversineMeters(from, to) * walkingDetourFactor;
}
