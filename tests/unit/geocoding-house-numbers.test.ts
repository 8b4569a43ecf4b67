import { describe, expect, it } from 'vitest';
import { pointAlongLine, rangeContains, rangeFraction, rangeGap, sideOfLine } from '../../server/geocoding/house-numbers.ts';
import { earthDistanceBetween } from '../../server/streets/geodesic.ts';
import { edgeLengthMeters, projectOntoLine, type Position } from '../../server/streets/line-geometry.ts';

// A 200 m street running due east at Cologne's latitude.
const start: Position = [6.95, 50.94];
const end: Position = [6.95 + 200 / (111_320 * Math.cos((50.94 * Math.PI) / 180)), 50.94];
const street: Position[] = [start, end];

describe('house-number ranges', () => {
  const odd = { side: 'left' as const, from: 1, to: 21 };

  it('holds the numbers of its parity between its ends, in either direction', () => {
    expect(rangeContains(odd, 1)).toBe(true);
    expect(rangeContains(odd, 21)).toBe(true);
    expect(rangeContains(odd, 12)).toBe(false);
    expect(rangeContains(odd, 23)).toBe(false);
    expect(rangeContains({ side: 'right', from: 30, to: 2 }, 16)).toBe(true);
  });

  it('accepts any number in a mixed-parity range', () => {
    expect(rangeContains({ side: 'left', from: 1, to: 10 }, 4)).toBe(true);
  });

  it('measures how far outside a number lies, parity mismatches counting as far', () => {
    expect(rangeGap(odd, 25)).toBe(4);
    expect(rangeGap(odd, 12)).toBeGreaterThan(1000);
  });

  it('maps the ends of a range to the ends of the segment', () => {
    expect(rangeFraction(odd, 1)).toBe(0);
    expect(rangeFraction(odd, 21)).toBe(1);
    expect(rangeFraction(odd, 11)).toBe(0.5);
    expect(rangeFraction({ side: 'left', from: 7, to: 7 }, 7)).toBe(0.5);
  });
});

describe('pointAlongLine', () => {
  it('interpolates by length and offsets to the left (north of an eastbound street)', () => {
    const point = pointAlongLine(street, 0.25, 'left', 8);
    const projection = projectOntoLine(street, point);
    expect(projection.alongMeters).toBeCloseTo(50, 0);
    expect(projection.distanceMeters).toBeCloseTo(8, 1);
    expect(point[1]).toBeGreaterThan(50.94);
    expect(sideOfLine(street, point)).toBe('left');
  });

  it('offsets to the right (south) for the other side', () => {
    const point = pointAlongLine(street, 0.5, 'right', 8);
    expect(point[1]).toBeLessThan(50.94);
    expect(sideOfLine(street, point)).toBe('right');
  });

  it('walks over several vertices', () => {
    const bent: Position[] = [start, end, [end[0], end[1] + 100 / 111_320]];
    const point = pointAlongLine(bent, 250 / 300, null);
    expect(edgeLengthMeters(end, point)).toBeCloseTo(50, 0);
  });
});

describe('earthDistanceBetween (the one earth distance, replacing haversineMeters)', () => {
  it('agrees with the spherical distance PostGIS uses', () => {
    // 0.01° of latitude on a sphere of radius 6,371,008.8 m
    expect(earthDistanceBetween([6.95, 50.94], [6.95, 50.95])).toBeCloseTo(1111.95, 1);
  });
});
