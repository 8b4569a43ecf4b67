import { describe, expect, it } from 'vitest';
import { ShortestPaths, walkFrom } from '../../server/streets/dijkstra.ts';
import { distanceToLineMeters, lineLengthMeters, projectOntoLine, type Position } from '../../server/streets/line-geometry.ts';
import { hilbertIndex, StreetNetwork, type SnappedPoint } from '../../server/streets/street-network.ts';

// A ladder of streets: two parallel east–west streets 300 m apart, joined at the west end only.
const metersPerDegreeLon = 111_320 * Math.cos((50.94 * Math.PI) / 180);
const metersPerDegreeLat = 111_320;
const at = (x: number, y: number): Position => [6.9 + x / metersPerDegreeLon, 50.94 + y / metersPerDegreeLat];
const lines: Position[][] = [
  [at(0, 0), at(500, 0)], // south street
  [at(0, 300), at(500, 300)], // north street
  [at(0, 0), at(0, 300)], // the only link, at the west end
];
const network = new StreetNetwork(lines.map((coordinates) => ({ coordinates, lengthMeters: lineLengthMeters(coordinates) })));
const paths = new ShortestPaths(network);
// The walks of the street kernel (server/streets/dijkstra.ts), from one snapped point.
const walk = (from: SnappedPoint, bound: number, targets: SnappedPoint[]) => walkFrom(paths, from, bound, targets);

describe('street kernel: network, snapping and single-source walks', () => {
  it('builds nodes from shared end points', () => {
    expect(network.segmentCount).toBe(3);
    expect(network.nodeCount).toBe(4);
  });

  it('snaps a point to the nearest street with its offset and position', () => {
    const snapped = network.snap(at(200, 20));
    expect(snapped?.segmentIndex).toBe(0);
    expect(snapped?.offsetMeters).toBeCloseTo(20, 0);
    expect(snapped?.alongMeters).toBeCloseTo(200, 0);
    expect(network.snap(at(200, 1000), 300)).toBeNull();
  });

  it('walks around the block where the airline crosses it', () => {
    const from = network.snap(at(400, 0))!;
    const to = network.snap(at(400, 300))!;
    // 400 west + 300 north + 400 east, although the airline distance is 300
    expect(walk(from, 5000, [to]).distanceTo(to)).toBeCloseTo(1100, 0);
  });

  it('walks along one segment directly', () => {
    const from = network.snap(at(100, 10))!;
    const to = network.snap(at(350, -10))!;
    expect(walk(from, 5000, [to]).distanceTo(to)).toBeCloseTo(250 + 10 + 10, 0);
  });

  it('gives up beyond the bound', () => {
    const from = network.snap(at(400, 0))!;
    const to = network.snap(at(400, 300))!;
    // the junction at the west end of the north street lies 700 m away
    expect(walk(from, 600, [to]).distanceTo(to)).toBe(Number.POSITIVE_INFINITY);
  });

  it('stops once its targets are settled, with the distances of an exhaustive search', () => {
    // A 7 × 7 grid of junctions 100 m apart with a few streets missing (detours), and an island.
    const size = 7;
    const grid: Position[][] = [];
    for (let i = 0; i < size; i += 1) {
      for (let j = 0; j < size; j += 1) {
        if (i + 1 < size && !(j === 3 && i >= 1 && i <= 4)) grid.push([at(i * 100, j * 100), at((i + 1) * 100, j * 100)]);
        if (j + 1 < size && !(i === 2 && j <= 4)) grid.push([at(i * 100, j * 100), at(i * 100, (j + 1) * 100)]);
      }
    }
    grid.push([at(2000, 0), at(2100, 0)]);
    const streets = grid.map((coordinates) => ({ coordinates, lengthMeters: lineLengthMeters(coordinates) }));
    const city = new StreetNetwork(streets);
    const cityPaths = new ShortestPaths(city);
    // Exhaustive reference: Floyd–Warshall over the junctions.
    const key = (position: Position) => `${position[0].toFixed(6)},${position[1].toFixed(6)}`;
    const ids = new Map<string, number>();
    const ends = streets.map((street) =>
      [street.coordinates[0]!, street.coordinates.at(-1)!].map((end) => {
        if (!ids.has(key(end))) ids.set(key(end), ids.size);
        return ids.get(key(end))!;
      }),
    );
    const far = Number.POSITIVE_INFINITY;
    const between = Array.from({ length: ids.size }, (_row, a) => Array.from({ length: ids.size }, (_column, b) => (a === b ? 0 : far)));
    ends.forEach(([a, b], index) => {
      between[a!]![b!] = Math.min(between[a!]![b!]!, streets[index]!.lengthMeters);
      between[b!]![a!] = Math.min(between[b!]![a!]!, streets[index]!.lengthMeters);
    });
    for (let k = 0; k < ids.size; k += 1) {
      for (let a = 0; a < ids.size; a += 1) {
        for (let b = 0; b < ids.size; b += 1) between[a]![b] = Math.min(between[a]![b]!, between[a]![k]! + between[k]![b]!);
      }
    }
    const exact = (from: NonNullable<ReturnType<StreetNetwork['snap']>>, to: NonNullable<ReturnType<StreetNetwork['snap']>>) => {
      const [a, b] = ends[from.segmentIndex]!;
      const [c, d] = ends[to.segmentIndex]!;
      const fromLength = streets[from.segmentIndex]!.lengthMeters;
      const toLength = streets[to.segmentIndex]!.lengthMeters;
      let best = from.segmentIndex === to.segmentIndex ? Math.abs(from.alongMeters - to.alongMeters) : far;
      for (const [node, leave] of [[a!, from.alongMeters], [b!, fromLength - from.alongMeters]] as const) {
        for (const [other, enter] of [[c!, to.alongMeters], [d!, toLength - to.alongMeters]] as const) {
          best = Math.min(best, leave + between[node]![other]! + enter);
        }
      }
      return best + from.offsetMeters + to.offsetMeters;
    };
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const point = () => (random() < 0.05 ? at(2000 + random() * 100, 5) : at(random() * 600, random() * 600));
    for (let round = 0; round < 200; round += 1) {
      const from = city.snap(point(), 400)!;
      const targets = Array.from({ length: 1 + Math.floor(random() * 6) }, () => city.snap(point(), 400)!);
      const walk = walkFrom(cityPaths, from, 1e9, targets);
      for (const target of targets) {
        const expected = exact(from, target);
        if (Number.isFinite(expected)) expect(walk.distanceTo(target)).toBeCloseTo(expected, 6);
        else expect(walk.distanceTo(target)).toBe(far);
      }
    }
    // Answers only for the targets it was made for.
    const from = city.snap(at(0, 0), 400)!;
    const walk = walkFrom(cityPaths, from, 1e9, [city.snap(at(100, 0), 400)!]);
    expect(() => walk.distanceTo(city.snap(at(600, 600), 400)!)).toThrow(/not made for this target/);
  });

  it('remembers snapped points: the same answer as snapping again, for hits and misses', () => {
    const fresh = new StreetNetwork(lines.map((coordinates) => ({ coordinates, lengthMeters: lineLengthMeters(coordinates) })));
    for (const point of [at(200, 20), at(10, 150), at(480, 290), at(200, 1000)]) {
      const first = fresh.snapRemembered(point, 300);
      expect(first).toEqual(network.snap(point, 300));
      expect(fresh.snapRemembered(point, 300)).toBe(first);
    }
    // Another bound is another question.
    expect(fresh.snapRemembered(at(200, 1000), 300)).toBeNull();
    expect(fresh.snapRemembered(at(200, 1000), 800)?.segmentIndex).toBe(1);
  });
});

describe('street kernel: nodes numbered in space', () => {
  it('hilbertIndex visits every cell of a grid once, each step to a neighbouring cell', () => {
    // The curve over the 2^16 grid, read in its lowest 8 × 8 corner: the first 64 positions.
    const cells: Array<[number, number]> = [];
    for (let x = 0; x < 8; x += 1) for (let y = 0; y < 8; y += 1) cells.push([x, y]);
    const byIndex = new Map(cells.map(([x, y]) => [hilbertIndex(x, y), [x, y] as const]));
    expect([...byIndex.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, index) => index));
    for (let index = 1; index < 64; index += 1) {
      const [x0, y0] = byIndex.get(index - 1)!;
      const [x1, y1] = byIndex.get(index)!;
      expect(Math.abs(x1 - x0) + Math.abs(y1 - y0)).toBe(1);
    }
  });

  it('numbers nodes along the curve, so that nodes near each other have numbers near each other', () => {
    // A 20 × 20 grid of streets 100 m apart, its segments listed in a shuffled order.
    const segments: Position[][] = [];
    for (let i = 0; i < 20; i += 1) {
      for (let j = 0; j < 19; j += 1) {
        segments.push([at(100 * i, 100 * j), at(100 * i, 100 * (j + 1))]);
        segments.push([at(100 * j, 100 * i), at(100 * (j + 1), 100 * i)]);
      }
    }
    const shuffled = segments.map((line, index) => ({ line, key: (index * 7919) % segments.length })).sort((a, b) => a.key - b.key);
    const grid = new StreetNetwork(shuffled.map(({ line }) => ({ coordinates: line, lengthMeters: lineLengthMeters(line) })));
    expect(grid.nodeCount).toBe(400);
    // Each edge's length is its segment's, in the order of the edges.
    for (let edge = 0; edge < grid.adjacencySegments.length; edge += 1) expect(grid.adjacencyLengths[edge]).toBe(grid.segmentLength[grid.adjacencySegments[edge]!]);
    // Along a Hilbert curve the two ends of a street of the grid are 12.4 numbers apart on average;
    // numbered in the order the segments were listed, 80.
    let gaps = 0;
    for (let segment = 0; segment < grid.segmentCount; segment += 1) gaps += Math.abs(grid.segmentStart[segment]! - grid.segmentEnd[segment]!);
    expect(gaps / grid.segmentCount).toBeLessThan(20);
    // The walks are the same as on a network numbered in the listed order: 400 m east, 300 m north.
    const grid2Paths = new ShortestPaths(grid);
    const from = grid.snap(at(0, 0))!;
    const to = grid.snap(at(400, 300))!;
    expect(walkFrom(grid2Paths, from, 5000, [to]).distanceTo(to)).toBeCloseTo(700, 0);
  });
});

describe('distanceToLineMeters', () => {
  it('measures exactly what projectOntoLine measures, without building the projection', () => {
    const line: Position[] = [at(0, 0), at(120, 40), at(130, 200), at(130, 200), at(-50, 260)];
    for (let x = -100; x <= 250; x += 37) {
      for (let y = -80; y <= 320; y += 41) {
        expect(distanceToLineMeters(line, at(x, y))).toBe(projectOntoLine(line, at(x, y)).distanceMeters);
      }
    }
    expect(distanceToLineMeters([at(5, 5)], at(5, 25))).toBe(projectOntoLine([at(5, 5)], at(5, 25)).distanceMeters);
  });
});
