import type { Knex } from 'knex';
import type { Position } from './line-geometry.ts';
import type { WalkableSegment } from './street-network.ts';

/** Every walkable segment of the city, ordered by id (the network's order). Today the city's street segments. */
export async function listWalkableSegments(db: Knex, cityId?: string): Promise<WalkableSegment[]> {
  const result = await db.raw<{ rows: Array<{ id: number | string; length_m: number | string; geojson: string }> }>(
    `select s.id, s.length_m, ST_AsGeoJSON(s.geom, 6) as geojson from street_segments s
      where s.city_id = coalesce(?::text, default_city_id()) order by s.id`,
    [cityId ?? null],
  );
  return result.rows.map((row) => ({
    id: Number(row.id),
    lengthMeters: Number(row.length_m),
    coordinates: (JSON.parse(row.geojson) as { coordinates: Position[] }).coordinates,
  }));
}

/**
 * The one change signature of the street and area data: when it changes, the network, the
 * geocoder's index and the coverage model are rebuilt. Imports insert or upsert rows and record an
 * import run; counts, the highest id, the total length, the areas' last update and the last import
 * together notice every import.
 */
export async function readStreetSignature(db: Knex, cityId?: string): Promise<string> {
  const result = await db.raw<{ rows: Array<Record<string, unknown>> }>(
    `with city as (select coalesce(?::text, default_city_id()) as id),
          segments as (select id, length_m, area_id from street_segments where city_id = (select id from city)),
          city_areas as (select updated_at from areas where city_id = (select id from city))
     select (select count(*) from segments) as segments,
            (select coalesce(max(id), 0) from segments) as last_segment,
            (select coalesce(sum(length_m), 0) from segments) as total_length,
            (select count(area_id) from segments) as segments_with_area,
            (select count(*) from city_areas) as areas,
            (select max(updated_at)::text from city_areas) as areas_updated,
            (select max(finished_at)::text from import_runs where city_id = (select id from city) and kind in (?, ?)) as last_import`,
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
  ]);
}
