import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Knex } from 'knex';
import { readAreasVersion } from '../areas/areas.service.ts';
import { boxOfPositions } from '../streets/line-geometry.ts';
import { listOriginAreaShapes } from './search.repo.ts';

// The Sozialraum and district a search origin lies in, for the answer's "in Ehrenfeld". Each
// search from a new place asked the database (one ST_Covers statement: a pool session and a round
// trip per citizen, as citizens' origins rarely repeat); the city's current areas are now held in
// memory and the point is tested against them (Turf's point-in-polygon, the boundary counting as
// inside as ST_Covers counts it). The areas are read again when their version moves (count and last
// change, the version the area tiles use), looked at at most every `checkIntervalMs`.

export type AreaNames = { sozialraum: string | null; district: string | null };

/** How many origins keep their names per version of the areas: a citizen asks again from the same place (another filter, the next page). */
const namedPointsLimit = 10_000;

interface AreaShape {
  level: 'sozialraum' | 'district';
  name: string;
  geometry: Polygon | MultiPolygon;
  /** The bounding box, [west, south, east, north]: most areas are left out by it alone. */
  box: [number, number, number, number];
}

function boxOf(geometry: Polygon | MultiPolygon): [number, number, number, number] {
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  return boxOfPositions(rings.flat());
}

/** The names of the areas a point lies in: the first by name per level, as the statement ordered them. */
function areaNamesIn(shapes: readonly AreaShape[], point: { lon: number; lat: number }): AreaNames {
  const names: AreaNames = { sozialraum: null, district: null };
  for (const shape of shapes) {
    if (names[shape.level] !== null) continue;
    const [west, south, east, north] = shape.box;
    if (point.lon < west || point.lon > east || point.lat < south || point.lat > north) continue;
    if (booleanPointInPolygon([point.lon, point.lat], shape.geometry)) names[shape.level] = shape.name;
  }
  return names;
}

/** The areas of one version, and the names of the points asked so far. */
interface HeldAreas {
  version: string;
  checkedAt: number;
  shapes: AreaShape[];
  named: Map<string, AreaNames>;
}

export function createAreaNames(db: Knex, cityId: string | undefined, checkIntervalMs: number): (point: { lon: number; lat: number }) => Promise<AreaNames> {
  let held: HeldAreas | null = null;
  let reading: Promise<HeldAreas> | null = null;
  const read = async (): Promise<HeldAreas> => {
    const version = await readAreasVersion(db, cityId);
    if (held?.version === version) {
      held.checkedAt = Date.now();
      return held;
    }
    const rows = await listOriginAreaShapes(db, cityId);
    held = {
      version,
      checkedAt: Date.now(),
      shapes: rows.map((row) => ({ level: row.level, name: row.name, geometry: row.geometry, box: boxOf(row.geometry) })),
      named: new Map(),
    };
    return held;
  };
  const current = (): Promise<HeldAreas> => {
    if (held && Date.now() - held.checkedAt <= checkIntervalMs) return Promise.resolve(held);
    // One reading at a time; the searches meanwhile wait for it.
    reading ??= read().finally(() => {
      reading = null;
    });
    return reading;
  };
  return async (point) => {
    const { shapes, named } = await current();
    // A point tested against Cologne's boundaries costs ≈ 50 µs (thousands of vertices near it); the
    // same place asked again reads its names back.
    const key = `${point.lon},${point.lat}`;
    let names = named.get(key);
    if (!names) {
      names = areaNamesIn(shapes, point);
      if (named.size >= namedPointsLimit) named.delete(named.keys().next().value!);
      named.set(key, names);
    }
    return names;
  };
}
