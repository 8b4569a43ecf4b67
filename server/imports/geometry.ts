import { z } from 'zod';
import type { ImportIssue } from './imports.schema.ts';

const coordinate = z.number({ error: 'coordinates must be finite numbers' });
const position = z.array(coordinate).min(2, 'a position needs x and y').max(4, 'a position has at most 4 numbers');

const ring = z
  .array(position)
  .min(4, 'a polygon ring needs at least 4 positions')
  .refine((positions) => {
    const first = positions[0]!;
    const last = positions[positions.length - 1]!;
    return first[0] === last[0] && first[1] === last[1];
  }, 'a polygon ring must end where it starts (the ring is not closed)');

const polygonCoordinates = z.array(ring).min(1, 'a polygon needs an outer ring');

export const pointSchema = z.object({ type: z.literal('Point'), coordinates: position });
export const lineStringSchema = z.object({
  type: z.literal('LineString'),
  coordinates: z.array(position).min(2, 'a line needs at least 2 positions'),
});
const polygonSchema = z.object({ type: z.literal('Polygon'), coordinates: polygonCoordinates });
const multiPolygonSchema = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(polygonCoordinates).min(1, 'a multipolygon needs at least one polygon'),
});
export const arealSchema = z.discriminatedUnion('type', [polygonSchema, multiPolygonSchema]);

export type GeometryKind = 'point' | 'line' | 'areal';

const schemas = { point: pointSchema, line: lineStringSchema, areal: arealSchema } as const;
const expected = { point: 'a Point', line: 'a LineString', areal: 'a Polygon or MultiPolygon' } as const;

export type ValidGeometry = GeoJSON.Point | GeoJSON.LineString | GeoJSON.Polygon | GeoJSON.MultiPolygon;

function* positionsOf(geometry: ValidGeometry): Generator<GeoJSON.Position> {
  switch (geometry.type) {
    case 'Point':
      yield geometry.coordinates;
      break;
    case 'LineString':
      yield* geometry.coordinates;
      break;
    case 'Polygon':
      for (const ringPositions of geometry.coordinates) yield* ringPositions;
      break;
    case 'MultiPolygon':
      for (const polygon of geometry.coordinates) for (const ringPositions of polygon) yield* ringPositions;
      break;
  }
}

/**
 * Checks the structure of a GeoJSON geometry (type, positions, closed rings) and, for
 * EPSG:4326, the coordinate range. Returns the geometry or an issue for the feature.
 */
export function checkGeometry(
  geometry: unknown,
  kind: GeometryKind,
  srid: number,
  feature: number,
  plausible?: { bounds: [number, number, number, number]; cityName: string },
): { geometry: ValidGeometry } | { issue: ImportIssue } {
  if (geometry === null || geometry === undefined) {
    return { issue: { feature, field: 'geometry', code: 'missing_geometry', message: `has no geometry; ${expected[kind]} is required.` } };
  }
  const type = (geometry as { type?: unknown }).type;
  const parsed = schemas[kind].safeParse(geometry);
  if (!parsed.success) {
    const wrongType = parsed.error.issues.some((issue) => issue.path.length === 1 && issue.path[0] === 'type');
    if (wrongType || (kind === 'areal' && type !== 'Polygon' && type !== 'MultiPolygon')) {
      return {
        issue: { feature, field: 'geometry', code: 'wrong_geometry_type', message: `is a ${String(type)}; ${expected[kind]} is required.` },
      };
    }
    const issue = parsed.error.issues[0]!;
    return {
      issue: { feature, field: 'geometry', code: 'invalid_geometry', message: `invalid geometry at ${['coordinates', ...issue.path.slice(1)].join('.')}: ${issue.message}.` },
    };
  }
  const valid = parsed.data as ValidGeometry;
  if (srid === 4326) {
    for (const [x, y] of positionsOf(valid)) {
      if (x! < -180 || x! > 180 || y! < -90 || y! > 90) {
        return {
          issue: {
            feature,
            field: 'geometry',
            code: 'coordinates_out_of_range',
            message: `coordinates (${x}, ${y}) are outside longitude −180…180 / latitude −90…90 of EPSG:4326; the file is probably in a projected CRS: name it (e.g. "crs": "EPSG:25833") in the manifest or mapping.`,
          },
        };
      }
    }
    // Projected files are checked after PostGIS has reprojected them; EPSG:4326 can be checked here,
    // so that a report lists these rows together with all other problems.
    if (plausible) {
      const [west, south, east, north] = plausible.bounds;
      let inside = false;
      for (const [x, y] of positionsOf(valid)) {
        if (x! >= west && x! <= east && y! >= south && y! <= north) {
          inside = true;
          break;
        }
      }
      if (!inside) {
        const [x, y] = positionsOf(valid).next().value as GeoJSON.Position;
        return {
          issue: {
            feature,
            field: 'geometry',
            code: 'outside_city',
            message: `lies at ${x}, ${y}, far outside ${plausible.cityName}: are longitude and latitude swapped, or is the CRS (EPSG:4326) wrong?`,
          },
        };
      }
    }
  }
  return { geometry: valid };
}
