import type { MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { attributionText, escapeHtml } from '../../client/map/attribution.ts';
import {
  bboxOfCollection,
  bboxOfGeometry,
  ensureExtent,
  isValidBbox,
  labelPoint,
  labelPoints,
  pointInPolygon,
  measuredPath,
  pathLengthMeters,
  reachCircles,
} from '../../client/map/geometry.ts';
import { earthDistanceMeters } from '../../server/streets/geodesic.ts';

const square = (x: number, y: number, size: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + size, y],
      [x + size, y + size],
      [x, y + size],
      [x, y],
    ],
  ],
});

// A "C" opening to the east: its centroid lies in the gap, outside the shape.
const cShape: Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [0, 0],
      [10, 0],
      [10, 2],
      [2, 2],
      [2, 8],
      [10, 8],
      [10, 10],
      [0, 10],
      [0, 0],
    ],
  ],
};

describe('isValidBbox', () => {
  it('accepts the Cologne bbox', () => {
    expect(isValidBbox([6.772, 50.83, 7.162, 51.085])).toBe(true);
  });

  it.each([
    ['three numbers', [1, 2, 3]],
    ['west east swapped', [7.1, 50.8, 6.7, 51]],
    ['latitude out of range', [6, 50, 7, 95]],
    ['not finite', [6, Number.NaN, 7, 51]],
    ['strings', ['6', '50', '7', '51']],
    ['null', null],
  ])('rejects %s', (_label, value) => {
    expect(isValidBbox(value)).toBe(false);
  });
});

describe('bbox helpers', () => {
  it('computes the bbox of a multipolygon', () => {
    const geometry: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [square(1, 2, 1).coordinates, square(5, -1, 2).coordinates],
    };
    expect(bboxOfGeometry(geometry)).toEqual([1, -1, 7, 3]);
  });

  it('joins the bboxes of a collection and skips features without geometry', () => {
    expect(
      bboxOfCollection({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: {}, geometry: square(0, 0, 1) },
          { type: 'Feature', properties: {}, geometry: null as unknown as Polygon },
          { type: 'Feature', properties: {}, geometry: square(3, 4, 1) },
        ],
      }),
    ).toEqual([0, 0, 4, 5]);
  });

  it('returns null for an empty collection', () => {
    expect(bboxOfCollection({ type: 'FeatureCollection', features: [] })).toBeNull();
  });

  it('gives a point a small extent so that fitBounds works', () => {
    const [west, south, east, north] = ensureExtent([7, 51, 7, 51], 0.01);
    expect(east - west).toBeCloseTo(0.01);
    expect(north - south).toBeCloseTo(0.01);
    expect((west + east) / 2).toBeCloseTo(7);
  });

  it('leaves a large bbox unchanged', () => {
    expect(ensureExtent([6.772, 50.83, 7.162, 51.085])).toEqual([6.772, 50.83, 7.162, 51.085]);
  });
});

describe('labelPoint', () => {
  it('uses the centroid of a convex polygon', () => {
    const [x, y] = labelPoint(square(0, 0, 2)) ?? [];
    expect(x).toBeCloseTo(1);
    expect(y).toBeCloseTo(1);
  });

  it('stays inside a concave polygon whose centroid is outside', () => {
    const point = labelPoint(cShape);
    expect(point).not.toBeNull();
    expect(pointInPolygon(point ?? [], cShape.coordinates)).toBe(true);
  });

  it('labels the largest part of a multipolygon', () => {
    const geometry: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [square(0, 0, 1).coordinates, square(10, 10, 4).coordinates],
    };
    const [x, y] = labelPoint(geometry) ?? [];
    expect(x).toBeCloseTo(12);
    expect(y).toBeCloseTo(12);
  });

  it('avoids a hole in the middle', () => {
    const withHole: Polygon = {
      type: 'Polygon',
      coordinates: [square(0, 0, 10).coordinates[0]!, square(3, 3, 4).coordinates[0]!.slice().reverse()],
    };
    const point = labelPoint(withHole);
    expect(pointInPolygon(point ?? [], withHole.coordinates)).toBe(true);
  });

  it('keeps id and properties in labelPoints and drops non-polygons', () => {
    const result = labelPoints({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 'a', properties: { name: 'Nippes' }, geometry: square(0, 0, 1) },
        { type: 'Feature', id: 'b', properties: { name: 'Punkt' }, geometry: { type: 'Point', coordinates: [1, 1] } },
      ],
    });
    expect(result.features).toHaveLength(1);
    expect(result.features[0]).toMatchObject({ id: 'a', properties: { name: 'Nippes' }, geometry: { type: 'Point' } });
  });
});

describe('attribution text', () => {
  it('escapes markup from server data', () => {
    expect(escapeHtml('<img src=x onerror="alert(1)">')).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  });

  it('joins distinct, non-empty attributions', () => {
    expect(attributionText(['Stadt Köln', ' ', 'Stadt Köln', 'A & B'])).toBe('Stadt Köln · A &amp; B');
  });
});

describe('reach circles of what-if offers', () => {
  it('puts every vertex at the chosen distance on the ground, measured independently of Turf', () => {
    const centers = [[6.958, 50.941], [7.05, 50.9]];
    const circles = reachCircles(centers, 800, 32);
    expect(circles.features).toHaveLength(2);
    circles.features.forEach((feature, index) => {
      const ring = feature.geometry.coordinates[0]!;
      expect(ring).toHaveLength(33);
      expect(ring[0]).toEqual(ring[32]);
      for (const vertex of ring) {
        const meters = earthDistanceMeters(centers[index]![0]!, centers[index]![1]!, vertex[0]!, vertex[1]!);
        expect(meters).toBeGreaterThan(800 * 0.995);
        expect(meters).toBeLessThan(800 * 1.005);
      }
      expect(feature.properties).toEqual({ index, meters: 800 });
    });
  });

  it('is wider east–west than north–south in degrees at Cologne’s latitude, as metres on the ground demand', () => {
    const [circle] = reachCircles([[6.958, 50.941]], 1000).features;
    const ring = circle!.geometry.coordinates[0]!;
    const longitudes = ring.map((vertex) => vertex[0]!);
    const latitudes = ring.map((vertex) => vertex[1]!);
    const width = Math.max(...longitudes) - Math.min(...longitudes);
    const height = Math.max(...latitudes) - Math.min(...latitudes);
    expect(width / height).toBeCloseTo(1 / Math.cos((50.941 * Math.PI) / 180), 1);
  });
});

describe('measuring on the map', () => {
  it('sums the legs of a path on the ground, as an independent earth distance does', () => {
    const points = [[6.95, 50.94], [6.96, 50.94], [6.96, 50.95]];
    const legs = earthDistanceMeters(6.95, 50.94, 6.96, 50.94) + earthDistanceMeters(6.96, 50.94, 6.96, 50.95);
    expect(pathLengthMeters(points)).toBeGreaterThan(legs * 0.999);
    expect(pathLengthMeters(points)).toBeLessThan(legs * 1.001);
    expect(pathLengthMeters(points.slice(0, 1))).toBe(0);
  });

  it('draws the path as one line through its points, and the points alone before the second click', () => {
    expect(measuredPath([[6.95, 50.94]]).features.map((feature) => feature.geometry.type)).toEqual(['Point']);
    const path = measuredPath([[6.95, 50.94], [6.96, 50.94]]);
    expect(path.features.map((feature) => feature.geometry.type)).toEqual(['LineString', 'Point', 'Point']);
    expect(path.features[0]!.geometry).toEqual({ type: 'LineString', coordinates: [[6.95, 50.94], [6.96, 50.94]] });
  });
});
