import { describe, expect, it } from 'vitest';
import { nearestSourceDistances, segmentsWithin, ShortestPaths } from '../../server/streets/dijkstra.ts';
import { MinHeap } from '../../server/streets/min-heap.ts';
import { StreetNetwork, type SnappedPoint, type WalkableSegment } from '../../server/streets/street-network.ts';

/**
 * A small hand-drawn network (lengths in metres, not geometry):
 *
 *   A ──100── B ──200── C ──300── D        E ──50── F   (E–F is not connected)
 *             │
 *            400
 *             │
 *             G
 */
function line(from: [number, number], to: [number, number], lengthMeters: number): WalkableSegment {
  return { coordinates: [from, to], lengthMeters };
}
const buildStreetNetwork = (input: WalkableSegment[]) => new StreetNetwork(input);
/** A point on segment `segmentIndex` at `fraction` of its length, `offsetMeters` off the street. */
function at(network: StreetNetwork, point: { segmentIndex: number; fraction: number; offsetMeters: number }): SnappedPoint {
  return { segmentIndex: point.segmentIndex, offsetMeters: point.offsetMeters, alongMeters: point.fraction * network.segmentLength[point.segmentIndex]! };
}
/** The catchment of one source (the kernel's bounded single-source run), reusing one workspace. */
class CatchmentSearch {
  private readonly paths: ShortestPaths;
  constructor(private readonly network: StreetNetwork) {
    this.paths = new ShortestPaths(network);
  }
  segmentsWithin(point: { segmentIndex: number; fraction: number; offsetMeters: number }, cutoff: number) {
    return segmentsWithin(this.paths, at(this.network, point), cutoff);
  }
}
const A: [number, number] = [0, 0];
const B: [number, number] = [0.001, 0];
const C: [number, number] = [0.002, 0];
const D: [number, number] = [0.003, 0];
const G: [number, number] = [0.001, -0.001];
const E: [number, number] = [0.01, 0.01];
const F: [number, number] = [0.011, 0.01];
const segments = [line(A, B, 100), line(B, C, 200), line(C, D, 300), line(B, G, 400), line(E, F, 50)];

describe('street kernel: graph, multi-source and bounded runs', () => {
  it('joins segments at shared end points', () => {
    const network = buildStreetNetwork(segments);
    expect(network.nodeCount).toBe(7);
    expect(network.segmentCount).toBe(5);
    // B has three segments
    const b = network.segmentEnd[0]!;
    expect(network.adjacencyOffsets[b + 1]! - network.adjacencyOffsets[b]!).toBe(3);
  });

  it('treats end points less than a centimetre apart as one node', () => {
    const network = buildStreetNetwork([line(A, [0.001, 0], 100), line([0.00100000003, 0], C, 200)]);
    expect(network.nodeCount).toBe(3);
  });

  it('measures midpoint distances from one snapped offer by hand', () => {
    const network = buildStreetNetwork(segments);
    // offer 10 m off segment B–C, a quarter along it (50 m from B)
    const { distance, nearest } = nearestSourceDistances(network, [at(network, { segmentIndex: 1, fraction: 0.25, offsetMeters: 10 })]);
    expect(distance[1]).toBeCloseTo(10 + 50, 9); // own segment: |0.25 − 0.5| · 200
    expect(distance[0]).toBeCloseTo(10 + 50 + 50, 9); // to B (50), then half of A–B
    expect(distance[2]).toBeCloseTo(10 + 150 + 150, 9); // to C (150), then half of C–D
    expect(distance[3]).toBeCloseTo(10 + 50 + 200, 9); // to B (50), then half of B–G
    expect(distance[4]).toBe(Number.POSITIVE_INFINITY);
    expect(Array.from(nearest)).toEqual([0, 0, 0, 0, -1]);
  });

  it('finds the nearest of several offers in one run', () => {
    const network = buildStreetNetwork(segments);
    const { distance, nearest } = nearestSourceDistances(network, [
      at(network, { segmentIndex: 0, fraction: 0, offsetMeters: 0 }), // at A
      at(network, { segmentIndex: 2, fraction: 1, offsetMeters: 5 }), // at D, 5 m off
      at(network, { segmentIndex: 4, fraction: 0.5, offsetMeters: 20 }), // on E–F
    ]);
    expect(distance[0]).toBeCloseTo(50, 9);
    expect(nearest[0]).toBe(0);
    expect(distance[1]).toBeCloseTo(200, 9); // from A: 100 + 100; from D: 5 + 300 + 100
    expect(nearest[1]).toBe(0);
    expect(distance[2]).toBeCloseTo(155, 9); // from D: 5 + 150
    expect(nearest[2]).toBe(1);
    expect(distance[3]).toBeCloseTo(300, 9); // A → B 100, + 200
    expect(distance[4]).toBeCloseTo(20, 9);
    expect(nearest[4]).toBe(2);
  });

  it('lists the segments within a catchment, and only those', () => {
    const network = buildStreetNetwork(segments);
    const search = new CatchmentSearch(network);
    const within = search.segmentsWithin({ segmentIndex: 0, fraction: 0, offsetMeters: 0 }, 250);
    expect(new Map([...within].map(([segment, value]) => [segment, Math.round(value * 1000) / 1000]))).toEqual(
      new Map([
        [0, 50],
        [1, 200],
      ]),
    );
    // reusing the search gives the same answer (the workspace is reset)
    expect(search.segmentsWithin({ segmentIndex: 0, fraction: 0, offsetMeters: 0 }, 250).size).toBe(2);
    expect(search.segmentsWithin({ segmentIndex: 0, fraction: 0, offsetMeters: 0 }, 10_000).size).toBe(4);
  });

  it('agrees with the multi-source run for every segment', () => {
    const network = buildStreetNetwork(segments);
    const source = { segmentIndex: 3, fraction: 0.9, offsetMeters: 3 };
    const all = nearestSourceDistances(network, [at(network, source)]);
    const within = new CatchmentSearch(network).segmentsWithin(source, 1e9);
    for (const [segment, value] of within) expect(value).toBeCloseTo(all.distance[segment]!, 9);
  });
});

describe('binary heap', () => {
  it('settles nodes nearest first one at a time, its neighbours queued first', () => {
    const network = buildStreetNetwork(segments);
    const paths = new ShortestPaths(network);
    const source = at(network, { segmentIndex: 0, fraction: 0, offsetMeters: 0 });
    const seen: Array<[number, number]> = [];
    paths.start();
    paths.seed(source, 0, 10_000);
    // The caller stops at the node 300 m away (C): D (600 m) is queued by then, not settled.
    for (let node = paths.settleNext(10_000); node >= 0; node = paths.settleNext(10_000)) {
      seen.push([node, paths.distance[node]!]);
      if (paths.distance[node]! >= 300) break;
    }
    const [a, b, c, d] = [network.segmentStart[0]!, network.segmentEnd[0]!, network.segmentEnd[1]!, network.segmentEnd[2]!];
    expect(seen).toEqual([
      [a, 0],
      [b, 100],
      [c, 300],
    ]);
    expect(paths.distance[d]).toBe(600);
    // Without a stop, every node of the source's part of the network within the cutoff, in order, then -1.
    const all: number[] = [];
    paths.start();
    paths.seed(source, 0, 550);
    for (let node = paths.settleNext(550); node >= 0; node = paths.settleNext(550)) all.push(paths.distance[node]!);
    expect(all).toEqual([0, 100, 300, 500]);
    expect(paths.settleNext(550)).toBe(-1);
    // The run reached A, B, C and G (D lies beyond the cutoff), and nothing of E–F.
    expect([...paths.reached()].sort((left, right) => left - right)).toEqual([a, b, c, network.segmentEnd[3]!].sort((left, right) => left - right));
  });

  it('forgets every node of a run at the next start, however many it reached (its list grows and is kept)', () => {
    // A street of 3,000 segments of 10 m: more nodes than the list of reached nodes starts with.
    const chain = Array.from({ length: 3000 }, (_, index) => line([index * 0.0001, 0], [(index + 1) * 0.0001, 0], 10));
    const network = buildStreetNetwork(chain);
    const paths = new ShortestPaths(network);
    const first = at(network, { segmentIndex: 0, fraction: 0, offsetMeters: 0 });
    paths.start();
    paths.seed(first, 0, 1e9);
    paths.settle(1e9);
    expect(paths.reached()).toHaveLength(3001);
    expect(paths.distance[network.segmentEnd[2999]!]).toBe(30_000);
    // A second run from the far end, bounded at 100 m: only its 11 nodes are reached, every other distance is reset.
    const last = at(network, { segmentIndex: 2999, fraction: 1, offsetMeters: 0 });
    paths.start();
    paths.seed(last, 0, 100);
    paths.settle(100);
    expect(paths.reached()).toHaveLength(11);
    expect(paths.distance[network.segmentStart[0]!]).toBe(Number.POSITIVE_INFINITY);
    expect(paths.source[network.segmentStart[0]!]).toBe(-1);
    expect(paths.distance[network.segmentStart[2990]!]).toBe(100);
  });

  it('pops values in priority order and grows past its capacity', () => {
    const heap = new MinHeap(2);
    const priorities = [5, 3, 9, 1, 7, 3, 0, 8];
    priorities.forEach((priority, index) => heap.push(priority, index));
    const popped: number[] = [];
    while (heap.size > 0) {
      popped.push(heap.peekPriority());
      heap.pop();
    }
    expect(popped).toEqual([...priorities].sort((left, right) => left - right));
  });
});
