import type { AreaLevel } from '../areas/areas.schema.ts';
import type { WriteCounts } from './imports.schema.ts';
import { expectRow, insertJsonBatches, toWriteCounts, type Executor } from './imports.repo.ts';

export interface StagedAreaRow {
  idx: number;
  code: string;
  name: string;
  parent_code: string | null;
  group_key: string | null;
  geometry: string;
}

export type BoundingBox = [number, number, number, number];

const stage = 'import_area_stage';

/**
 * Derived areas are unions of hundreds of polygons whose shared edges differ in the last digit.
 * A plain ST_Union then fails with a GEOS topology error (which the embedded database even
 * swallows, returning no row); snap-rounding to 1e-7° (about 1 cm) makes it robust.
 */
const unionGridSize = 1e-7;

export async function createAreaStage(executor: Executor): Promise<void> {
  await executor.raw('drop table if exists ??', [stage]);
  await executor.raw(
    `create temp table ?? (
      idx integer primary key,
      code text not null,
      name text not null,
      parent_code text,
      group_key text,
      parent_id uuid,
      predecessor_id uuid,
      geom geometry not null
    )`,
    [stage],
  );
}

export async function dropAreaStage(executor: Executor): Promise<void> {
  await executor.raw('drop table if exists ??', [stage]);
}

/** Stages the features, reprojected from `srid` to EPSG:4326 by PostGIS. */
export async function stageAreas(
  executor: Executor,
  rows: readonly StagedAreaRow[],
  srid: number,
  onBatch: (done: number) => void,
): Promise<void> {
  await insertJsonBatches(
    executor,
    `insert into ?? (idx, code, name, parent_code, group_key, geom)
     select x.idx, x.code, x.name, x.parent_code, x.group_key,
            ST_Transform(ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON(x.geometry)), ?), 4326)
     from jsonb_to_recordset(?::jsonb) as x(idx integer, code text, name text, parent_code text, group_key text, geometry text)`,
    rows,
    { batchSize: 200, bindings: (json) => [stage, srid, json], onBatch },
  );
}

/** Invalid polygons with GEOS's reason, before repair. */
export async function findInvalidStagedAreas(executor: Executor): Promise<{ idx: number; reason: string }[]> {
  const result = await executor.raw<{ rows: { idx: number; reason: string }[] }>(
    'select idx, ST_IsValidReason(geom) as reason from ?? where not ST_IsValid(geom) order by idx',
    [stage],
  );
  return result.rows;
}

/**
 * Repairs with ST_MakeValid and keeps only the polygonal part (a repaired bow-tie may leave a
 * stray line). Returns the features that are empty or still invalid afterwards.
 */
export async function repairStagedAreas(executor: Executor): Promise<{ idx: number }[]> {
  await executor.raw(
    `update ?? set geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3))
     where not ST_IsValid(geom) or GeometryType(geom) <> 'MULTIPOLYGON'`,
    [stage],
  );
  const result = await executor.raw<{ rows: { idx: number }[] }>(
    'select idx from ?? where ST_IsEmpty(geom) or not ST_IsValid(geom) order by idx',
    [stage],
  );
  return result.rows;
}

export async function findStagedAreasOutside(executor: Executor, bbox: BoundingBox): Promise<{ idx: number; x: number; y: number }[]> {
  const result = await executor.raw<{ rows: { idx: number; x: number; y: number }[] }>(
    `select idx, ST_X(ST_PointOnSurface(geom)) as x, ST_Y(ST_PointOnSurface(geom)) as y from ??
     where not ST_Intersects(geom, ST_MakeEnvelope(?, ?, ?, ?, 4326)) order by idx`,
    [stage, ...bbox],
  );
  return result.rows;
}


/** An area that is the union of all staged features (a city made of its districts). */
export async function upsertUnionArea(
  executor: Executor,
  area: { cityId: string; level: AreaLevel; code: string; name: string; source: string; parentId: string | null },
): Promise<{ id: string; counts: WriteCounts }> {
  const result = await executor.raw<{ rows: { inserted: number; updated: number }[] }>(
    `with upserted as (
       insert into areas (city_id, level, code, name, parent_id, source, geom, area_m2)
       select ?, ?, ?, ?, ?::uuid, ?, u.geom, ST_Area(u.geom::geography)
       from (select ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(geom, ?::float8)), 3)) as geom from ??) u
       on conflict (city_id, level, code) where valid_to is null do update set
       name = excluded.name, parent_id = excluded.parent_id, source = excluded.source,
       geom = excluded.geom, area_m2 = excluded.area_m2, updated_at = now()
       where (areas.name, areas.parent_id, areas.source, areas.geom)
       is distinct from (excluded.name, excluded.parent_id, excluded.source, excluded.geom)
       returning (xmax = 0) as inserted
     )
     select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated from upserted`,
    [area.cityId, area.level, area.code, area.name, area.parentId, area.source, unionGridSize, stage],
  );
  const counts = toWriteCounts(expectRow(result.rows, `the union of the ${area.level} ${area.code}`), 1);
  const row = (await executor('areas').select('id').where({ city_id: area.cityId, level: area.level, code: area.code }).whereNull('valid_to').first()) as { id: string } | undefined;
  if (!row) throw new Error(`the ${area.level} area ${area.code} was not stored`);
  return { id: row.id, counts };
}

/** One area per value of the group field, the union of its features (Berlin's Bezirke). */
export async function upsertGroupAreas(
  executor: Executor,
  groups: { cityId: string; level: AreaLevel; names: Record<string, string>; source: string; parentId: string | null },
): Promise<WriteCounts> {
  const result = await executor.raw<{ rows: { inserted: number; updated: number; staged: number }[] }>(
    `with grouped as (
       select group_key as code, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(geom, ?::float8)), 3)) as geom
       from ?? group by group_key
     ),
     upserted as (
       insert into areas (city_id, level, code, name, parent_id, source, geom, area_m2)
       select ?, ?, g.code, n.value, ?::uuid, ?, g.geom, ST_Area(g.geom::geography)
       from grouped g join jsonb_each_text(?::jsonb) n on n.key = g.code
       order by g.code
       on conflict (city_id, level, code) where valid_to is null do update set
       name = excluded.name, parent_id = excluded.parent_id, source = excluded.source,
       geom = excluded.geom, area_m2 = excluded.area_m2, updated_at = now()
       where (areas.name, areas.parent_id, areas.source, areas.geom)
       is distinct from (excluded.name, excluded.parent_id, excluded.source, excluded.geom)
       returning (xmax = 0) as inserted
     )
     select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated,
            (select count(*) from grouped) as staged
     from upserted`,
    [unionGridSize, stage, groups.cityId, groups.level, groups.parentId, groups.source, JSON.stringify(groups.names)],
  );
  const row = expectRow(result.rows, `the ${groups.level} areas`);
  return toWriteCounts(row, Number(row.staged));
}

export async function setStagedParentsByCode(executor: Executor, cityId: string, parentLevel: AreaLevel, column: 'parent_code' | 'group_key'): Promise<void> {
  await executor.raw(
    'update ?? s set parent_id = a.id from areas a where a.city_id = ? and a.level = ? and a.code = s.?? and a.valid_to is null',
    [stage, cityId, parentLevel, column],
  );
}

/** The parent is the area of the level that covers a point on the feature's surface. */
export async function setStagedParentsByContainment(executor: Executor, cityId: string, parentLevel: AreaLevel): Promise<void> {
  await executor.raw(
    `update ?? s set parent_id = (
       select a.id from areas a
       where a.city_id = ? and a.level = ? and a.valid_to is null and ST_Covers(a.geom, ST_PointOnSurface(s.geom))
       order by a.area_m2, a.code limit 1
     )`,
    [stage, cityId, parentLevel],
  );
}

export async function setStagedParent(executor: Executor, parentId: string): Promise<void> {
  await executor.raw('update ?? set parent_id = ?', [stage, parentId]);
}

export async function findStagedWithoutParent(executor: Executor): Promise<{ idx: number; parent_code: string | null }[]> {
  const result = await executor.raw<{ rows: { idx: number; parent_code: string | null }[] }>(
    'select idx, parent_code from ?? where parent_id is null order by idx',
    [stage],
  );
  return result.rows;
}

/** Current versions that are newer than the import's `validFrom`: an older file cannot follow a newer one. */
export async function findStagedOlderThanCurrent(
  executor: Executor,
  cityId: string,
  level: AreaLevel,
  validFrom: string,
): Promise<{ idx: number; code: string; valid_from: string }[]> {
  const result = await executor.raw<{ rows: { idx: number; code: string; valid_from: string }[] }>(
    `select s.idx, s.code, to_char(a.valid_from, 'YYYY-MM-DD') as valid_from from ?? s
     join areas a on a.city_id = ? and a.level = ? and a.code = s.code and a.valid_to is null
     where a.valid_from > ?::date order by s.idx`,
    [stage, cityId, level, validFrom],
  );
  return result.rows;
}

/**
 * A new boundary version: the current version of each staged code whose name or geometry differs
 * and that began before `validFrom` is closed at `validFrom` (it keeps its id and statistics);
 * the staged row then becomes the open version with a link to it. Current areas of the level
 * that the file no longer has are closed as well. Returns how many versions were closed.
 */
export async function closeSupersededAreas(
  executor: Executor,
  cityId: string,
  level: AreaLevel,
  validFrom: string,
): Promise<{ replaced: number; retired: number }> {
  await executor.raw(
    `update ?? s set predecessor_id = a.id from areas a
     where a.city_id = ? and a.level = ? and a.code = s.code and a.valid_to is null
       and (a.valid_from is null or a.valid_from < ?::date)
       and not (a.name = s.name and ST_Equals(a.geom, s.geom))`,
    [stage, cityId, level, validFrom],
  );
  const replaced = await executor.raw<{ rows: { count: number }[] }>(
    `with closed as (update areas a set valid_to = ?::date, updated_at = now() from ?? s where a.id = s.predecessor_id returning a.id)
     select count(*)::int as count from closed`,
    [validFrom, stage],
  );
  const retired = await executor.raw<{ rows: { count: number }[] }>(
    `with closed as (
       update areas a set valid_to = ?::date, updated_at = now()
       where a.city_id = ? and a.level = ? and a.valid_to is null and (a.valid_from is null or a.valid_from < ?::date)
         and not exists (select 1 from ?? s where s.code = a.code)
       returning a.id)
     select count(*)::int as count from closed`,
    [validFrom, cityId, level, validFrom, stage],
  );
  return { replaced: Number(expectRow(replaced.rows, 'the closed versions').count), retired: Number(expectRow(retired.rows, 'the retired areas').count) };
}

/** Current areas whose parent was just replaced by a new version follow it to the new version. */
export async function followReplacedParents(executor: Executor): Promise<void> {
  await executor.raw(
    `update areas c set parent_id = n.id, updated_at = now()
     from ?? s join areas n on n.predecessor_id = s.predecessor_id and n.valid_to is null
     where c.parent_id = s.predecessor_id and c.valid_to is null`,
    [stage],
  );
}

export async function upsertStagedAreas(
  executor: Executor,
  cityId: string,
  level: AreaLevel,
  source: string,
  staged: number,
  validFrom: string | null,
): Promise<WriteCounts> {
  const result = await executor.raw<{ rows: { inserted: number; updated: number }[] }>(
    `with upserted as (
       insert into areas (city_id, level, code, name, parent_id, source, geom, area_m2, valid_from, predecessor_id, boundary_change)
       select ?, ?, s.code, s.name, s.parent_id, ?, s.geom, ST_Area(s.geom::geography), ?::date, s.predecessor_id,
              case when p.id is null then null
                   else ST_Area(ST_SymDifference(p.geom, s.geom)::geography) / ST_Area(s.geom::geography) end
       from ?? s left join areas p on p.id = s.predecessor_id
       order by s.idx
       on conflict (city_id, level, code) where valid_to is null do update set
       name = excluded.name, parent_id = excluded.parent_id, source = excluded.source,
       geom = excluded.geom, area_m2 = excluded.area_m2, updated_at = now()
       where (areas.name, areas.parent_id, areas.source, areas.geom)
       is distinct from (excluded.name, excluded.parent_id, excluded.source, excluded.geom)
       returning (xmax = 0) as inserted
     )
     select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated from upserted`,
    [cityId, level, source, validFrom, stage],
  );
  return toWriteCounts(expectRow(result.rows, 'the areas'), staged);
}
