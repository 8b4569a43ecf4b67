// Pure geometry helpers for the map (lon/lat degrees). No maplibre-gl and no DOM here: unit-tested in node.
import { bbox as turfBbox, booleanPointInPolygon, circle as turfCircle, length as turfLength, lineString } from '@turf/turf';
import type {
  Feature,
  FeatureCollection,
  GeoJsonProperties,
  Geometry,
  MultiPolygon,
  Point,
  Polygon,
  Position,
} from 'geojson';

export type Bbox = [west: number, south: number, east: number, north: number];

export function isValidBbox(value: unknown): value is Bbox {
  if (!Array.isArray(value) || value.length !== 4) return false;
  const [west, south, east, north] = value as unknown[];
  if (![west, south, east, north].every((part) => typeof part === 'number' && Number.isFinite(part))) {
    return false;
  }
  const [w, s, e, n] = value as Bbox;
  return w >= -180 && e <= 180 && s >= -90 && n <= 90 && w < e && s < n;
}

// Bounding boxes and point-in-polygon come from Turf (@turf/turf), the maintained library for geometry
// in JavaScript; the label point below stays our own, because no Turf function guarantees a point
// inside a concave part near its centroid (centroid and centerOfMass may fall outside, pointOnFeature
// picks any vertex-adjacent point).

/** The bounding box of a geometry, or null when it has no position. */
export function bboxOfGeometry(geometry: Geometry | null): Bbox | null {
  if (!geometry) return null;
  return finiteBbox(turfBbox(geometry));
}

/** The bounding box of every feature's geometry, or null when there is none. */
export function bboxOfCollection(collection: FeatureCollection): Bbox | null {
  return finiteBbox(turfBbox(collection));
}

function finiteBbox(box: number[]): Bbox | null {
  const [west = Infinity, south = Infinity, east = -Infinity, north = -Infinity] = box;
  return Number.isFinite(west) && Number.isFinite(south) && west <= east && south <= north ? [west, south, east, north] : null;
}

// A single point has no extent; fitBounds needs one, so it gets a small box around it.
export function ensureExtent(bbox: Bbox, minimumDegrees = 0.005): Bbox {
  const widen = (low: number, high: number): [number, number] => {
    if (high - low >= minimumDegrees) return [low, high];
    const middle = (low + high) / 2;
    return [middle - minimumDegrees / 2, middle + minimumDegrees / 2];
  };
  const [west, east] = widen(bbox[0], bbox[2]);
  const [south, north] = widen(bbox[1], bbox[3]);
  return [west, south, east, north];
}

function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let index = 0, previous = ring.length - 1; index < ring.length; previous = index++) {
    const [x1 = 0, y1 = 0] = ring[previous] ?? [];
    const [x2 = 0, y2 = 0] = ring[index] ?? [];
    sum += x1 * y2 - x2 * y1;
  }
  return sum / 2;
}

function ringCentroid(ring: Position[]): Position | null {
  const area = ringArea(ring);
  if (area === 0) return null;
  let cx = 0;
  let cy = 0;
  for (let index = 0, previous = ring.length - 1; index < ring.length; previous = index++) {
    const [x1 = 0, y1 = 0] = ring[previous] ?? [];
    const [x2 = 0, y2 = 0] = ring[index] ?? [];
    const cross = x1 * y2 - x2 * y1;
    cx += (x1 + x2) * cross;
    cy += (y1 + y2) * cross;
  }
  return [cx / (6 * area), cy / (6 * area)];
}

/** Whether a point lies inside a polygon (outer ring, holes) or on its edge. */
export function pointInPolygon(point: Position, polygon: Position[][]): boolean {
  if (!polygon[0] || point.length < 2) return false;
  return booleanPointInPolygon(point, { type: 'Polygon', coordinates: polygon });
}

// Midpoint of the widest inside stretch of a horizontal line through the polygon at latitude y.
function widestInteriorMidpoint(polygon: Position[][], y: number): Position | null {
  const crossings: number[] = [];
  for (const ring of polygon) {
    for (let index = 0, previous = ring.length - 1; index < ring.length; previous = index++) {
      const [xi = 0, yi = 0] = ring[index] ?? [];
      const [xj = 0, yj = 0] = ring[previous] ?? [];
      if (yi > y !== yj > y) crossings.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
    }
  }
  crossings.sort((a, b) => a - b);
  let best: Position | null = null;
  let bestWidth = 0;
  for (let index = 0; index + 1 < crossings.length; index += 2) {
    const start = crossings[index] ?? 0;
    const end = crossings[index + 1] ?? 0;
    if (end - start > bestWidth) {
      bestWidth = end - start;
      best = [(start + end) / 2, y];
    }
  }
  return best;
}

// Where a polygon's name goes: the area centroid of its largest part when that lies inside,
// otherwise a point that is guaranteed to be inside (concave shapes such as a "C").
// One label point per area avoids the duplicate labels MapLibre draws for polygons cut by tiles.
export function labelPoint(geometry: Polygon | MultiPolygon): Position | null {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let largest: Position[][] | null = null;
  let largestArea = 0;
  for (const polygon of polygons) {
    const outer = polygon[0];
    if (!outer) continue;
    const area = Math.abs(ringArea(outer));
    if (area > largestArea) {
      largestArea = area;
      largest = polygon;
    }
  }
  if (!largest || !largest[0]) return null;
  const centroid = ringCentroid(largest[0]);
  if (centroid && pointInPolygon(centroid, largest)) return centroid;
  const box = bboxOfGeometry({ type: 'Polygon', coordinates: largest });
  if (!box) return null;
  const middle = centroid?.[1] ?? (box[1] + box[3]) / 2;
  // Try the centroid latitude first, then lines spread over the height of the part.
  const candidates = [middle, ...[0.5, 0.35, 0.65, 0.2, 0.8].map((share) => box[1] + (box[3] - box[1]) * share)];
  for (const y of candidates) {
    const point = widestInteriorMidpoint(largest, y);
    if (point) return point;
  }
  return null;
}

export function labelPoints<P extends GeoJsonProperties>(
  collection: FeatureCollection<Geometry | null, P>,
): FeatureCollection<Point, P> {
  const features: Array<Feature<Point, P>> = [];
  for (const feature of collection.features) {
    const geometry = feature.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) continue;
    const point = labelPoint(geometry);
    if (!point) continue;
    features.push({
      type: 'Feature',
      ...(feature.id === undefined ? {} : { id: feature.id }),
      properties: feature.properties,
      geometry: { type: 'Point', coordinates: point },
    });
  }
  return { type: 'FeatureCollection', features };
}

/**
 * The reach of offers as circles on the ground (geodesic, `steps` vertices each): a what-if
 * offer's airline radius, or the bound of its walking reach (a walk is never shorter than the
 * airline distance). Turf's circle, so the radius is metres on the earth, not degrees.
 */
export function reachCircles(centers: readonly Position[], meters: number, steps = 64): FeatureCollection<Polygon> {
  return {
    type: 'FeatureCollection',
    features: centers.map((center, index) => {
      const polygon = turfCircle([center[0]!, center[1]!], meters / 1000, { units: 'kilometers', steps });
      return { type: 'Feature', id: index, properties: { index, meters }, geometry: polygon.geometry };
    }),
  };
}

/** The length on the ground of a path through `points` (metres, geodesic); 0 below two points. */
export function pathLengthMeters(points: readonly Position[]): number {
  if (points.length < 2) return 0;
  return turfLength(lineString(points.map((point) => [point[0]!, point[1]!])), { units: 'kilometers' }) * 1000;
}

/** A measured path for the map: its line and its points. */
export function measuredPath(points: readonly Position[]): FeatureCollection {
  const vertices: Feature<Point>[] = points.map((point, index) => ({ type: 'Feature', id: index, properties: { index }, geometry: { type: 'Point', coordinates: [point[0]!, point[1]!] } }));
  const line: Feature[] = points.length >= 2 ? [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: points.map((point) => [point[0]!, point[1]!]) } }] : [];
  return { type: 'FeatureCollection', features: [...line, ...vertices] };
}
