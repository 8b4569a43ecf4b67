import { describe, expect, it } from 'vitest';
import { distanceToLineMeters, lineLengthMeters, projectOntoLine, type Position } from '../../server/geocoding/house-numbers.ts';
import { StreetNetwork } from '../../server/geocoding/street-network.ts';

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

describe('StreetNetwork', () => {
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
    expect(network.walkFrom(from, 5000).distanceTo(to)).toBeCloseTo(1100, 0);
  });

  it('walks along one segment directly', () => {
    const from = network.snap(at(100, 10))!;
    const to = network.snap(at(350, -10))!;
    expect(network.walkFrom(from, 5000).distanceTo(to)).toBeCloseTo(250 + 10 + 10, 0);
  });

  it('gives up beyond the bound', () => {
    const from = network.snap(at(400, 0))!;
    const to = network.snap(at(400, 300))!;
    // the junction at the west end of the north street lies 700 m away
    expect(network.walkFrom(from, 600).distanceTo(to)).toBe(Number.POSITIVE_INFINITY);
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
