import type { WriteCounts } from './imports.schema.ts';
import { expectRow, insertJsonBatches, toWriteCounts, type Executor } from './imports.repo.ts';

export interface StagedOsmSegmentRow {
  idx: number;
  external_id: string;
  street_name: string | null;
  street_key: string | null;
  geometry: string;
}

export interface StagedAddressPointRow {
  idx: number;
  external_id: string;
  street_name: string;
  street_key: string;
  house_number: string;
  postal_code: string | null;
  city: string | null;
  lon: number;
  lat: number;
}

const segmentStage = 'import_osm_segment_stage';
const addressStage = 'import_osm_address_stage';

/** Deletes the rows of this source whose OSM id the staged file no longer has; returns how many. */
async function deleteMissing(executor: Executor, table: 'street_segments' | 'address_points', source: string, stage: string): Promise<number> {
  const deleted = await executor.raw<{ rows: { count: number }[] }>(
    `with gone as (
       delete from ?? t
        where t.source = ? and not exists (select 1 from ?? s where s.external_id = t.external_id)
        returning 1
     )
     select count(*) as count from gone`,
    [table, source, stage],
  );
  return Number(expectRow(deleted.rows, 'a count').count);
}

/**
 * The OSM walking network goes into street_segments, the one table the street kernel reads: its own
 * `source`, no house-number ranges, the way's name where it has one. Segments of this source that
 * are no longer in the file are deleted (the network is rebuilt from the file as it is).
 */
export async function replaceOsmSegments(
  executor: Executor,
  cityId: string,
  source: string,
  rows: readonly StagedOsmSegmentRow[],
  onBatch: (done: number) => void,
): Promise<WriteCounts> {
  await executor.raw('drop table if exists ??', [segmentStage]);
  await executor.raw(
    'create temp table ?? (idx integer primary key, external_id text not null, street_name text, street_key text, geom geometry not null)',
    [segmentStage],
  );
  await insertJsonBatches(
    executor,
    `insert into ?? (idx, external_id, street_name, street_key, geom)
     select x.idx, x.external_id, x.street_name, x.street_key, ST_SetSRID(ST_GeomFromGeoJSON(x.geometry), 4326)
     from jsonb_to_recordset(?::jsonb) as x(idx integer, external_id text, street_name text, street_key text, geometry text)`,
    rows,
    { batchSize: 2000, bindings: (json) => [segmentStage, json], onBatch },
  );
  const deleted = await deleteMissing(executor, 'street_segments', source, segmentStage);
  const result = await executor.raw<{ rows: { inserted: number; updated: number }[] }>(
    `with upserted as (
       insert into street_segments (city_id, source, external_id, street_name, street_key, geom, length_m)
       select ?, ?, s.external_id, s.street_name, s.street_key, s.geom, ST_Length(s.geom::geography)
       from ?? s order by s.idx
       on conflict (source, external_id) do update set
         street_name = excluded.street_name, street_key = excluded.street_key, geom = excluded.geom, length_m = excluded.length_m
       where (street_segments.street_name, street_segments.street_key, street_segments.geom)
         is distinct from (excluded.street_name, excluded.street_key, excluded.geom)
       returning (xmax = 0) as inserted
     )
     select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated from upserted`,
    [cityId, source, segmentStage],
  );
  await executor.raw('drop table if exists ??', [segmentStage]);
  return { ...toWriteCounts(expectRow(result.rows, 'the street segments'), rows.length), deleted };
}

/** Address points of this source, replaced by the file's: updated by OSM id, the missing ones deleted. */
export async function replaceAddressPoints(
  executor: Executor,
  cityId: string,
  source: string,
  rows: readonly StagedAddressPointRow[],
  onBatch: (done: number) => void,
): Promise<WriteCounts> {
  await executor.raw('drop table if exists ??', [addressStage]);
  await executor.raw(
    `create temp table ?? (idx integer primary key, external_id text not null, street_name text not null, street_key text not null,
       house_number text not null, postal_code text, city text, geom geometry(Point, 4326) not null)`,
    [addressStage],
  );
  await insertJsonBatches(
    executor,
    `insert into ?? (idx, external_id, street_name, street_key, house_number, postal_code, city, geom)
     select x.idx, x.external_id, x.street_name, x.street_key, x.house_number, x.postal_code, x.city,
            ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326)
     from jsonb_to_recordset(?::jsonb) as x(idx integer, external_id text, street_name text, street_key text,
       house_number text, postal_code text, city text, lon double precision, lat double precision)`,
    rows,
    { batchSize: 2000, bindings: (json) => [addressStage, json], onBatch },
  );
  const deleted = await deleteMissing(executor, 'address_points', source, addressStage);
  const result = await executor.raw<{ rows: { inserted: number; updated: number }[] }>(
    `with upserted as (
       insert into address_points (city_id, source, external_id, street_name, street_key, house_number, postal_code, city, geom)
       select ?, ?, s.external_id, s.street_name, s.street_key, s.house_number, s.postal_code, s.city, s.geom
       from ?? s order by s.idx
       on conflict (source, external_id) do update set
         street_name = excluded.street_name, street_key = excluded.street_key, house_number = excluded.house_number,
         postal_code = excluded.postal_code, city = excluded.city, geom = excluded.geom
       where (address_points.street_name, address_points.street_key, address_points.house_number,
              address_points.postal_code, address_points.city, address_points.geom)
         is distinct from (excluded.street_name, excluded.street_key, excluded.house_number, excluded.postal_code,
              excluded.city, excluded.geom)
       returning (xmax = 0) as inserted
     )
     select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated from upserted`,
    [cityId, source, addressStage],
  );
  await executor.raw('drop table if exists ??', [addressStage]);
  return { ...toWriteCounts(expectRow(result.rows, 'the address points'), rows.length), deleted };
}

/**
 * Polygons from the member ways of boundary relations: ST_BuildArea forms the faces of the noded
 * linework and tells holes (inner rings) from shells itself, whatever order or direction the ways
 * have. An empty result means the ways do not close.
 */
export async function buildBoundaryPolygons(
  executor: Executor,
  relations: ReadonlyArray<{ idx: number; lines: ReadonlyArray<ReadonlyArray<readonly [number, number]>> }>,
): Promise<Map<number, string | null>> {
  const payload = relations.map((relation) => ({
    idx: relation.idx,
    lines: relation.lines.map((coordinates) => ({ type: 'LineString', coordinates })),
  }));
  const result = await executor.raw<{ rows: { idx: number; geometry: string | null }[] }>(
    `select r.idx, ST_AsGeoJSON(ST_Multi(ST_BuildArea(ST_Collect(ST_SetSRID(ST_GeomFromGeoJSON(l.value::text), 4326)))), 7) as geometry
       from jsonb_to_recordset(?::jsonb) as r(idx integer, lines jsonb)
       cross join lateral jsonb_array_elements(r.lines) as l(value)
      group by r.idx`,
    [JSON.stringify(payload)],
  );
  return new Map(result.rows.map((row) => [Number(row.idx), row.geometry]));
}

/** Opening hours and the wheelchair tag of the OSM offers just imported (by OSM id). */
export async function setOsmOfferDetails(
  executor: Executor,
  source: string,
  rows: ReadonlyArray<{ external_id: string; opening_hours: string | null; step_free: boolean }>,
  stepFreeTermId: string | null,
): Promise<{ openingHours: number; accessibility: number }> {
  const json = JSON.stringify(rows);
  const hours = await executor.raw<{ rows: unknown[] }>(
    `update offers o set opening_hours = x.opening_hours, updated_at = now()
       from jsonb_to_recordset(?::jsonb) as x(external_id text, opening_hours text)
      where o.source = ? and o.external_id = x.external_id and o.opening_hours is distinct from x.opening_hours
      returning o.id`,
    [json, source],
  );
  let accessibility = 0;
  if (stepFreeTermId) {
    const linked = await executor.raw<{ rows: unknown[] }>(
      `insert into offer_terms (offer_id, taxonomy, term_id)
       select o.id, 'accessibility', ?::uuid
         from jsonb_to_recordset(?::jsonb) as x(external_id text, step_free boolean)
         join offers o on o.source = ? and o.external_id = x.external_id
        where x.step_free
       on conflict do nothing
       returning offer_id`,
      [stepFreeTermId, json, source],
    );
    accessibility = linked.rows.length;
  }
  return { openingHours: hours.rows.length, accessibility };
}

/**
 * Offers of this OSM source that the file no longer has: archived (kept with their history, out of
 * every search), never deleted. Returns what disappeared, for the report.
 */
export async function archiveMissingOsmOffers(
  executor: Executor,
  source: string,
  presentExternalIds: readonly string[],
): Promise<Array<{ id: string; externalId: string; name: string }>> {
  const result = await executor.raw<{ rows: { id: string; external_id: string; name: string }[] }>(
    `update offers o set archived_at = now(), updated_at = now(), version = o.version + 1
      where o.source = ? and o.archived_at is null
        and not exists (select 1 from jsonb_array_elements_text(?::jsonb) as p(external_id) where p.external_id = o.external_id)
      returning o.id, o.external_id, o.name`,
    [source, JSON.stringify(presentExternalIds)],
  );
  return result.rows.map((row) => ({ id: row.id, externalId: row.external_id, name: row.name }));
}

/**
 * The OSM imports whose rows are in the database (by source, "osm-<city>…"), with their latest
 * run: the portal footer names OpenStreetMap (ODbL) for them even without a dataset manifest.
 */
export async function listOsmImportsInUse(executor: Executor, cityId?: string): Promise<Array<{ source: string; finishedAt: string | null }>> {
  const result = await executor.raw<{ rows: { source: string; finished_at: string | null }[] }>(
    `with city as (select coalesce(?::text, default_city_id()) as id),
     sources as (
       select distinct source from street_segments where city_id = (select id from city) and source >= 'osm-' and source < 'osm.'
       union select distinct source from address_points where city_id = (select id from city) and source >= 'osm-' and source < 'osm.'
       union select distinct source from areas where city_id = (select id from city) and source >= 'osm-' and source < 'osm.'
       union select distinct source from offers where city_id = (select id from city) and source >= 'osm-' and source < 'osm.' and archived_at is null
     )
     select s.source,
            (select max(r.finished_at)::date::text from import_runs r
              where r.city_id = (select id from city) and r.status = 'succeeded' and r.dataset like s.source || '%') as finished_at
       from sources s order by s.source`,
    [cityId ?? null],
  );
  return result.rows.map((row) => ({ source: row.source, finishedAt: row.finished_at }));
}
