// The walkable streets as one graph in memory, built once per data version (streets.service.ts)
// and shared by the geocoder, the search and the coverage: segments meet at shared end points, so
// the end points are the nodes and the segments the edges (CSR adjacency on typed arrays). Points
// are snapped to it through a uniform grid. Cologne: ~16,000 segments, ~11,000 nodes, a few MB.
//
// The input is a list of walkable segments from any source (today the city's street segments;
// OSM footways could be added as another source): each needs only its line and length.

import { boxOfPositions, distanceToLineMeters, localScale, metersPerDegreeLatitude, projectOntoLine, type Position } from './line-geometry.ts';

export interface WalkableSegment {
  /** The row id in its source (street_segments.id); the index in the list when absent. */
  id?: number;
  coordinates: Position[];
  lengthMeters: number;
}

/** A point placed on the network: on segment `segmentIndex`, `alongMeters` from its first vertex. */
export interface SnappedPoint {
  segmentIndex: number;
  /** Straight-line metres from the point to the street (walked in addition). */
  offsetMeters: number;
  /** Metres along the segment from its first vertex. */
  alongMeters: number;
}

/** Snapped points remembered by snapRemembered (≈ 150 bytes each). */
const snapMemoryLimit = 200_000;

const cellSizeLon = 0.0025;
const cellSizeLat = 0.0015;

function cellKey(x: number, y: number): number {
  // Cell indices stay within ±100,000 for any lon/lat; one safe integer keys the Map.
  return (x + 100_000) * 200_000 + (y + 100_000);
}

// End points closer than about 10 cm are one node: coordinates are rounded to 1e-6 degrees.
function nodeKey(position: Position): string {
  return `${Math.round(position[0] * 1e6)}:${Math.round(position[1] * 1e6)}`;
}

/** The position of (x, y) along a Hilbert curve over a grid of 2^16 × 2^16 cells. */
export function hilbertIndex(x: number, y: number): number {
  let index = 0;
  for (let size = 1 << 15; size > 0; size >>= 1) {
    const right = (x & size) > 0 ? 1 : 0;
    const up = (y & size) > 0 ? 1 : 0;
    index += size * size * ((3 * right) ^ up);
    // Rotate the quadrant so that the curve runs on continuously.
    if (up === 0) {
      if (right === 1) {
        x = size - 1 - x;
        y = size - 1 - y;
      }
      [x, y] = [y, x];
    }
  }
  return index;
}

/** A new number for each node (by its old one): the nodes in the order of a Hilbert curve over their box, ties by the old number. */
function spatialNodeNumbers(positions: readonly Position[]): Int32Array {
  const [west, south, east, north] = boxOfPositions(positions);
  const cells = 0xffff;
  const scaleX = east > west ? cells / (east - west) : 0;
  const scaleY = north > south ? cells / (north - south) : 0;
  const keys = Float64Array.from(positions, ([lon, lat]) => hilbertIndex(Math.floor((lon - west) * scaleX), Math.floor((lat - south) * scaleY)));
  const order = Array.from(positions, (_position, node) => node).sort((a, b) => keys[a]! - keys[b]! || a - b);
  const numbers = new Int32Array(positions.length);
  order.forEach((node, number) => {
    numbers[node] = number;
  });
  return numbers;
}

export class StreetNetwork {
  readonly segmentCount: number;
  readonly nodeCount: number;
  readonly segmentIds: Float64Array;
  readonly segmentStart: Int32Array;
  readonly segmentEnd: Int32Array;
  readonly segmentLength: Float64Array;
  /** CSR adjacency: the edges leaving node n are at adjacencyOffsets[n] … adjacencyOffsets[n + 1] - 1. */
  readonly adjacencyOffsets: Int32Array;
  readonly adjacencyTargets: Int32Array;
  readonly adjacencySegments: Int32Array;
  /** The length of each edge's segment, in the order of the edges (`segmentLength[adjacencySegments[e]]`, read without the indirection). */
  readonly adjacencyLengths: Float64Array;
  private readonly coordinates: Position[][];
  private readonly indexById = new Map<number, number>();
  private readonly grid = new Map<number, number[]>();
  private readonly segmentSeen: Int32Array;
  private snapStamp = 0;
  private readonly snapMemory = new Map<number, Map<number, SnappedPoint | null>>();
  private snapMemorySize = 0;
  private snapMemoryBound = Number.NaN;
  private components: Int32Array | null = null;

  constructor(segments: readonly WalkableSegment[]) {
    this.segmentCount = segments.length;
    this.coordinates = segments.map((segment) => segment.coordinates);
    this.segmentIds = new Float64Array(segments.length);
    this.segmentStart = new Int32Array(segments.length);
    this.segmentEnd = new Int32Array(segments.length);
    this.segmentLength = new Float64Array(segments.length);
    this.segmentSeen = new Int32Array(segments.length);
    const nodeIds = new Map<string, number>();
    const nodePositions: Position[] = [];
    const nodeFor = (position: Position): number => {
      const key = nodeKey(position);
      let id = nodeIds.get(key);
      if (id === undefined) {
        id = nodeIds.size;
        nodeIds.set(key, id);
        nodePositions.push(position);
      }
      return id;
    };
    segments.forEach((segment, index) => {
      const id = segment.id ?? index;
      this.segmentIds[index] = id;
      this.indexById.set(id, index);
      this.segmentStart[index] = nodeFor(segment.coordinates[0]!);
      this.segmentEnd[index] = nodeFor(segment.coordinates[segment.coordinates.length - 1]!);
      this.segmentLength[index] = segment.lengthMeters;
      this.addToGrid(index, segment.coordinates);
    });
    this.nodeCount = nodeIds.size;
    // Nodes numbered along a Hilbert curve: a walk's nodes are neighbours in the arrays too, so it
    // reads fewer cache lines (a walk after other work: 12 % faster, bench/search-ab.ts --walk --cold;
    // docs/benchmarks.md).
    const renumbered = spatialNodeNumbers(nodePositions);
    for (let index = 0; index < this.segmentCount; index += 1) {
      this.segmentStart[index] = renumbered[this.segmentStart[index]!]!;
      this.segmentEnd[index] = renumbered[this.segmentEnd[index]!]!;
    }
    const built = this.buildAdjacency();
    this.adjacencyOffsets = built.offsets;
    this.adjacencyTargets = built.targets;
    this.adjacencySegments = built.segments;
    this.adjacencyLengths = Float64Array.from(built.segments, (segment) => this.segmentLength[segment]!);
  }

  /** The index of a segment by its source id (undefined when it is not in this version). */
  indexOf(id: number): number | undefined {
    return this.indexById.get(id);
  }

  coordinatesOf(segmentIndex: number): readonly Position[] {
    return this.coordinates[segmentIndex]!;
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
            const distance = distanceToLineMeters(this.coordinates[segmentIndex]!, point, scale);
            if (distance > maxMeters) continue;
            if (!best || distance < best.offsetMeters) {
              const projection = projectOntoLine(this.coordinates[segmentIndex]!, point);
              const stretch = this.segmentLength[segmentIndex]! / (projection.lengthMeters || 1);
              best = { segmentIndex, offsetMeters: projection.distanceMeters, alongMeters: projection.alongMeters * stretch };
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
    return this.snapRememberedAt(point[0], point[1], maxMeters);
  }

  /** `snapRemembered` of the point (lon, lat): no array for a point snapped before. */
  snapRememberedAt(lon: number, lat: number, maxMeters = 300): SnappedPoint | null {
    // Keyed by the numbers themselves (longitude, then latitude): no string per lookup.
    if (maxMeters !== this.snapMemoryBound || this.snapMemorySize >= snapMemoryLimit) {
      this.snapMemory.clear();
      this.snapMemorySize = 0;
      this.snapMemoryBound = maxMeters;
    }
    let byLatitude = this.snapMemory.get(lon);
    if (byLatitude === undefined) {
      byLatitude = new Map();
      this.snapMemory.set(lon, byLatitude);
    }
    const known = byLatitude.get(lat);
    if (known !== undefined) return known;
    const snapped = this.snap([lon, lat], maxMeters);
    byLatitude.set(lat, snapped);
    this.snapMemorySize += 1;
    return snapped;
  }

  /**
   * The connected part of the network a segment belongs to (a label per node, from one sweep over
   * the adjacency on first use). No walk crosses from one part to another, so a walk need not
   * wait for targets in another part: it would search up to its bound for them.
   */
  componentOfSegment(segmentIndex: number): number {
    this.components ??= this.labelComponents();
    return this.components[this.segmentStart[segmentIndex]!]!;
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

  private labelComponents(): Int32Array {
    const label = new Int32Array(this.nodeCount).fill(-1);
    const stack = new Int32Array(this.nodeCount);
    for (let first = 0; first < this.nodeCount; first += 1) {
      if (label[first] !== -1) continue;
      label[first] = first;
      let size = 1;
      stack[0] = first;
      while (size > 0) {
        const node = stack[--size]!;
        for (let edge = this.adjacencyOffsets[node]!; edge < this.adjacencyOffsets[node + 1]!; edge += 1) {
          const next = this.adjacencyTargets[edge]!;
          if (label[next] !== -1) continue;
          label[next] = first;
          stack[size++] = next;
        }
      }
    }
    return label;
  }

  private buildAdjacency(): { offsets: Int32Array; targets: Int32Array; segments: Int32Array } {
    const degree = new Int32Array(this.nodeCount + 1);
    for (let index = 0; index < this.segmentCount; index += 1) {
      degree[this.segmentStart[index]!]! += 1;
      degree[this.segmentEnd[index]!]! += 1;
    }
    const offsets = new Int32Array(this.nodeCount + 1);
    for (let node = 0; node < this.nodeCount; node += 1) offsets[node + 1] = offsets[node]! + degree[node]!;
    const fill = offsets.slice(0, this.nodeCount);
    const targets = new Int32Array(this.segmentCount * 2);
    const segments = new Int32Array(this.segmentCount * 2);
    for (let index = 0; index < this.segmentCount; index += 1) {
      const start = this.segmentStart[index]!;
      const end = this.segmentEnd[index]!;
      targets[fill[start]!] = end;
      segments[fill[start]!] = index;
      fill[start]! += 1;
      targets[fill[end]!] = start;
      segments[fill[end]!] = index;
      fill[end]! += 1;
    }
    return { offsets, targets, segments };
  }

  private addToGrid(segmentIndex: number, coordinates: readonly Position[]): void {
    const [west, south, east, north] = boxOfPositions(coordinates);
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
