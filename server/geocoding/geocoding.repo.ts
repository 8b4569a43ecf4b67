import type { Knex } from 'knex';
import type { AreaLevel } from '../areas/areas.schema.ts';
import type { Position } from '../streets/line-geometry.ts';
import type { AddressPointInput, PlaceInput, StreetSegmentInput } from './street-index.ts';

interface SegmentRow {
  id: number | string;
  street_name: string | null;
  street_key: string | null;
  house_from_left: number | null;
  house_to_left: number | null;
  house_from_right: number | null;
  house_to_right: number | null;
  length_m: number;
  geojson: string;
  area_name: string | null;
}

/**
 * All street segments with the Sozialraum they lie in: the importer's area_id when it names a
 * Sozialraum, otherwise the Sozialraum containing the segment's middle point.
 */
export async function listStreetSegments(db: Knex, cityId?: string): Promise<StreetSegmentInput[]> {
  const result = await db.raw<{ rows: SegmentRow[] }>(
    `select s.id, s.street_name, s.street_key, s.house_from_left, s.house_to_left, s.house_from_right, s.house_to_right,
            s.length_m, ST_AsGeoJSON(s.geom, 6) as geojson,
            coalesce(assigned.name, contained.name) as area_name
       from street_segments s
       left join areas assigned on assigned.id = s.area_id and assigned.level = 'sozialraum'
       left join lateral (
         select a.name from areas a
          where assigned.id is null and a.city_id = s.city_id and a.level = 'sozialraum' and a.valid_to is null
            and ST_Intersects(a.geom, ST_LineInterpolatePoint(s.geom, 0.5))
          order by a.code
          limit 1
       ) contained on true
      where s.city_id = coalesce(?::text, (select id from cities where is_default))
      order by s.id`,
    [cityId ?? null],
  );
  return result.rows.map((row) => ({
    id: Number(row.id),
    streetName: row.street_name,
    streetKey: row.street_key,
    houseFromLeft: row.house_from_left,
    houseToLeft: row.house_to_left,
    houseFromRight: row.house_from_right,
    houseToRight: row.house_to_right,
    lengthMeters: Number(row.length_m),
    coordinates: (JSON.parse(row.geojson) as { coordinates: Position[] }).coordinates,
    areaName: row.area_name,
  }));
}

interface PlaceRow {
  id: string;
  level: AreaLevel;
  code: string;
  name: string;
  lon: number;
  lat: number;
  west: number;
  south: number;
  east: number;
  north: number;
}

/** Stadtbezirke, Sozialräume and Viertel with a point inside each (not a centroid: Viertel can be concave). */
export async function listPlaces(db: Knex, cityId?: string): Promise<PlaceInput[]> {
  const result = await db.raw<{ rows: PlaceRow[] }>(
    `select id, level, code, name,
            ST_X(point) as lon, ST_Y(point) as lat,
            ST_XMin(geom) as west, ST_YMin(geom) as south, ST_XMax(geom) as east, ST_YMax(geom) as north
       from (select id, level, code, name, geom, ST_PointOnSurface(geom) as point
               from areas where city_id = coalesce(?::text, (select id from cities where is_default)) and level in (?, ?, ?) and valid_to is null) places
      order by level, code`,
    [cityId ?? null, 'district', 'sozialraum', 'quarter'],
  );
  return result.rows.map((row) => ({
    id: row.id,
    level: row.level,
    code: row.code,
    name: row.name,
    point: [Number(row.lon), Number(row.lat)],
    bbox: [Number(row.west), Number(row.south), Number(row.east), Number(row.north)],
  }));
}

/** Address points (OSM addr:*) with the Sozialraum they lie in, or their own place name where no area covers them. */
export async function listAddressPoints(db: Knex, cityId?: string): Promise<AddressPointInput[]> {
  const result = await db.raw<{ rows: Array<{ street_name: string; street_key: string; house_number: string; lon: number; lat: number; area_name: string | null }> }>(
    `select p.street_name, p.street_key, p.house_number, ST_X(p.geom) as lon, ST_Y(p.geom) as lat,
            coalesce(contained.name, p.city) as area_name
       from address_points p
       left join lateral (
         select a.name from areas a
          where a.city_id = p.city_id and a.level = 'sozialraum' and ST_Intersects(a.geom, p.geom)
          order by a.code
          limit 1
       ) contained on true
      where p.city_id = coalesce(?::text, default_city_id())
      order by p.id`,
    [cityId ?? null],
  );
  return result.rows.map((row) => ({
    streetName: row.street_name,
    streetKey: row.street_key,
    houseNumber: row.house_number,
    point: [Number(row.lon), Number(row.lat)],
    areaName: row.area_name,
  }));
}
