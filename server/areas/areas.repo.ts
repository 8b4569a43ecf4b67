import type { Knex } from 'knex';
import { cityScope } from '../db/city-scope.ts';
import { postgis } from '../db/postgis.ts';
import { whereAreaValid } from '../shared/area-versions.ts';
import type { AreaFeature, ListedAreaLevel } from './areas.schema.ts';

interface AreaRow {
  id: string;
  code: string;
  name: string;
  level: ListedAreaLevel;
  parent_id: string | null;
  parent_name: string | null;
  area_m2: number;
  valid_from: string | null;
  valid_to: string | null;
  boundary_change: number | null;
  geometry: string;
}

function toAreaFeature(row: AreaRow): AreaFeature {
  return {
    type: 'Feature',
    id: row.id,
    properties: {
      id: row.id,
      code: row.code,
      name: row.name,
      level: row.level,
      parentId: row.parent_id,
      parentName: row.parent_name,
      areaKm2: Math.round(row.area_m2 / 10_000) / 100,
      validFrom: row.valid_from,
      validTo: row.valid_to,
      boundaryChange: row.boundary_change === null ? null : Number(row.boundary_change),
    },
    geometry: JSON.parse(row.geometry) as GeoJSON.MultiPolygon,
  };
}

export async function listAreaFeatures(
  executor: Knex | Knex.Transaction,
  cityId: string | undefined,
  filter: { level?: ListedAreaLevel | undefined; parentId?: string | undefined; at?: string | undefined; precision?: number },
): Promise<AreaFeature[]> {
  const query = cityScope(executor('areas as a'), cityId, 'a')
    .leftJoin('areas as p', 'p.id', 'a.parent_id')
    .select(
      'a.id',
      'a.code',
      'a.name',
      'a.level',
      'a.parent_id',
      'p.name as parent_name',
      'a.area_m2',
      executor.raw("to_char(a.valid_from, 'YYYY-MM-DD') as valid_from"),
      executor.raw("to_char(a.valid_to, 'YYYY-MM-DD') as valid_to"),
      'a.boundary_change',
      postgis(executor).asGeoJSONRounded('a.geom', filter.precision ?? 6).as('geometry'),
    )
    .orderBy([{ column: 'a.level' }, { column: 'a.code' }]);
  whereAreaValid(query, 'a', filter.at);
  if (filter.level) query.where('a.level', filter.level);
  if (filter.parentId) query.where('a.parent_id', filter.parentId);
  const rows = (await query) as AreaRow[];
  return rows.map(toAreaFeature);
}

/** Areas change only by imports, which set `updated_at`; their count and last change make their version. */
export async function readAreasVersion(executor: Knex | Knex.Transaction, cityId?: string): Promise<string> {
  const row = (await cityScope(executor('areas'), cityId).first(executor.raw('count(*)::int as count'), executor.raw("coalesce(to_char(max(updated_at), 'YYYYMMDDHH24MISSUS'), '0') as changed"))) as
    | { count: number; changed: string }
    | undefined;
  return `${row?.count ?? 0}-${row?.changed ?? '0'}`;
}
