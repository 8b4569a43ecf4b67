import type { Knex } from 'knex';
import { cityScope } from '../db/city-scope.ts';
import { postgis } from '../db/postgis.ts';
import type { Position } from './line-geometry.ts';
import type { WalkableSegment } from './street-network.ts';

/**
 * Every walkable segment of the city, ordered by id (the network's order): the city's street
 * segments and the OSM walking network alike (an OSM import writes its ways into street_segments
 * with its own source).
 */
export async function listWalkableSegments(db: Knex, cityId?: string): Promise<WalkableSegment[]> {
  const rows = (await cityScope(db('street_segments as s'), cityId, 's')
    .select('s.id', 's.length_m', postgis(db).asGeoJSONRounded('s.geom', 6).as('geojson'))
    .orderBy('s.id')) as Array<{ id: number | string; length_m: number | string; geojson: string }>;
  return rows.map((row) => ({
    id: Number(row.id),
    lengthMeters: Number(row.length_m),
    coordinates: (JSON.parse(row.geojson) as { coordinates: Position[] }).coordinates,
  }));
}

/**
 * The one change signature of the street and area data: when it changes, the network, the
 * geocoder's index and the coverage model are rebuilt. Imports insert or upsert rows and record an
 * import run; counts, the highest id, the total length, the areas' last update and the last import
 * together notice every import. Address points (OSM addr:*) count too: the geocoder's index holds them.
 */
export async function readStreetSignature(db: Knex, cityId?: string): Promise<string> {
  // One pass over each table with all its aggregates (a CTE read four times is materialized and
  // scanned four times: 2× the time per coverage question, docs/benchmarks.md).
  const result = await db.raw<{ rows: Array<Record<string, unknown>> }>(
    `select s.segments, s.last_segment, s.total_length, s.segments_with_area, a.areas, a.areas_updated, i.last_import,
            p.address_points, p.last_address_point
       from (select coalesce(?::text, (select id from cities where is_default)) as id) city
       cross join lateral (select count(*) as segments, coalesce(max(id), 0) as last_segment, coalesce(sum(length_m), 0) as total_length,
                                  count(area_id) as segments_with_area
                             from street_segments where city_id = city.id) s
       cross join lateral (select count(*) as areas, max(updated_at)::text as areas_updated from areas where city_id = city.id) a
       cross join lateral (select max(finished_at)::text as last_import from import_runs where city_id = city.id and kind in (?, ?)) i
       cross join lateral (select count(*) as address_points, coalesce(max(id), 0) as last_address_point
                             from address_points where city_id = city.id) p`,
    [cityId ?? null, 'street_segments', 'areas'],
  );
  const row = result.rows[0] ?? {};
  return JSON.stringify([
    Number(row.segments),
    Number(row.last_segment),
    Number(row.total_length),
    Number(row.segments_with_area),
    Number(row.areas),
    row.areas_updated ?? null,
    row.last_import ?? null,
    Number(row.address_points),
    Number(row.last_address_point),
  ]);
}
