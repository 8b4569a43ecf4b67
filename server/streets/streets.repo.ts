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
  const result = await db.raw<{ rows: Array<Record<string, unknown>> }>(
    `with city as (select coalesce(?::text, (select id from cities where is_default)) as id),
          segments as (select id, length_m, area_id from street_segments where city_id = (select id from city)),
          city_areas as (select updated_at from areas where city_id = (select id from city))
     select (select count(*) from segments) as segments,
            (select coalesce(max(id), 0) from segments) as last_segment,
            (select coalesce(sum(length_m), 0) from segments) as total_length,
            (select count(area_id) from segments) as segments_with_area,
            (select count(*) from city_areas) as areas,
            (select max(updated_at)::text from city_areas) as areas_updated,
            (select max(finished_at)::text from import_runs where city_id = (select id from city) and kind in (?, ?)) as last_import,
            (select count(*) from address_points where city_id = (select id from city)) as address_points,
            (select coalesce(max(id), 0) from address_points where city_id = (select id from city)) as last_address_point`,
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
