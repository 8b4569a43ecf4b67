import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { ListedAreaLevel } from '../../server/areas/areas.schema.ts';

export function uniqueCode(prefix = 'T'): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

/** A square polygon of `size` degrees with its south-west corner at (lon, lat). */
export function squarePolygon(lon: number, lat: number, size = 0.01): GeoJSON.MultiPolygon {
  return {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [lon, lat],
          [lon + size, lat],
          [lon + size, lat + size],
          [lon, lat + size],
          [lon, lat],
        ],
      ],
    ],
  };
}

export interface AreaInput {
  level?: ListedAreaLevel;
  code?: string;
  name?: string;
  parentId?: string | null;
  geometry?: GeoJSON.MultiPolygon | GeoJSON.Polygon;
}

export interface AreaRow {
  id: string;
  level: ListedAreaLevel;
  code: string;
  name: string;
  parent_id: string | null;
}

export async function insertArea(knex: Knex, input: AreaInput = {}): Promise<AreaRow> {
  const geometry = input.geometry ?? squarePolygon(6.95, 50.93);
  const [row] = (await knex('areas')
    .insert({
      level: input.level ?? 'sozialraum',
      code: input.code ?? uniqueCode(),
      name: input.name ?? 'Testviertel',
      parent_id: input.parentId ?? null,
      source: 'test',
      geom: knex.raw('ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))', [JSON.stringify(geometry)]),
      area_m2: knex.raw('ST_Area(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)::geography)', [JSON.stringify(geometry)]),
    })
    .returning(['id', 'level', 'code', 'name', 'parent_id'])) as AreaRow[];
  if (!row) throw new Error('area insert returned nothing');
  return row;
}
