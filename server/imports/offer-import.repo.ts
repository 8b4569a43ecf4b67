import type { BoundingBox } from './area-import.repo.ts';
import type { WriteCounts } from './imports.schema.ts';
import { expectRow, insertJsonBatches, toWriteCounts, type Executor } from './imports.repo.ts';

export interface StagedOfferRow {
  idx: number;
  external_id: string;
  name: string;
  description: string | null;
  phone: string | null;
  website: string | null;
  email: string | null;
  capacity: number | null;
  capacity_unit: string | null;
  street: string | null;
  house_number: string | null;
  postal_code: string | null;
  city: string | null;
  organization_key: string | null;
  organization_name: string | null;
  organization_website: string | null;
  /** Why citizens do not see the record until a department adopts it (rawRecordReason), or null. */
  raw_reason: string | null;
  geometry: string;
}

const stage = 'import_offer_stage';

export async function createOfferStage(executor: Executor): Promise<void> {
  await executor.raw('drop table if exists ??', [stage]);
  await executor.raw(
    `create temp table ?? (
      idx integer primary key,
      external_id text not null,
      name text not null,
      description text,
      phone text,
      website text,
      email text,
      capacity double precision,
      capacity_unit text,
      street text,
      house_number text,
      postal_code text,
      city text,
      organization_key text,
      organization_name text,
      organization_website text,
      raw_reason text,
      geom geometry not null
    )`,
    [stage],
  );
}

export async function dropOfferStage(executor: Executor): Promise<void> {
  await executor.raw('drop table if exists ??', [stage]);
}

export async function stageOffers(executor: Executor, rows: readonly StagedOfferRow[], srid: number, onBatch: (done: number) => void): Promise<void> {
  await insertJsonBatches(
    executor,
    `insert into ?? (idx, external_id, name, description, phone, website, email, capacity, capacity_unit, street, house_number,
                     postal_code, city, organization_key, organization_name, organization_website, raw_reason, geom)
     select x.idx, x.external_id, x.name, x.description, x.phone, x.website, x.email, x.capacity, x.capacity_unit, x.street,
            x.house_number, x.postal_code, x.city, x.organization_key, x.organization_name, x.organization_website, x.raw_reason,
            ST_Transform(ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON(x.geometry)), ?), 4326)
     from jsonb_to_recordset(?::jsonb) as x(
       idx integer, external_id text, name text, description text, phone text, website text, email text,
       capacity double precision, capacity_unit text, street text, house_number text, postal_code text, city text,
       organization_key text, organization_name text, organization_website text, raw_reason text, geometry text)`,
    rows,
    { batchSize: 1000, bindings: (json) => [stage, srid, json], onBatch },
  );
}

export async function findStagedOffersOutside(executor: Executor, bbox: BoundingBox): Promise<{ idx: number; x: number; y: number }[]> {
  const result = await executor.raw<{ rows: { idx: number; x: number; y: number }[] }>(
    `select idx, ST_X(geom) as x, ST_Y(geom) as y from ??
     where not ST_Intersects(geom, ST_MakeEnvelope(?, ?, ?, ?, 4326)) order by idx limit 1000`,
    [stage, ...bbox],
  );
  return result.rows;
}

/** Leaves out the points outside the area (the OSM extracts reach beyond the city). */
export async function removeStagedOffersOutsideArea(executor: Executor, areaId: string): Promise<number[]> {
  const result = await executor.raw<{ rows: { idx: number }[] }>(
    `delete from ?? s
     where not exists (select 1 from areas a where a.id = ? and ST_Covers(a.geom, s.geom))
     returning s.idx`,
    [stage, areaId],
  );
  return result.rows.map((row) => row.idx);
}

export async function countStagedOffers(executor: Executor): Promise<number> {
  const result = await executor.raw<{ rows: { count: number }[] }>('select count(*) as count from ??', [stage]);
  return Number(expectRow(result.rows, 'a count').count);
}

/** One organisation per provider key; the first name seen wins when a provider is spelled two ways. */
export async function upsertStagedOrganizations(executor: Executor, source: string): Promise<WriteCounts> {
  const result = await executor.raw<{ rows: { inserted: number; updated: number; staged: number }[] }>(
    `with providers as (
       select distinct on (organization_key) organization_key, organization_name, organization_website
       from ?? where organization_key is not null
       order by organization_key, idx
     ),
     upserted as (
       insert into organizations (source, external_id, name, website)
       select ?, p.organization_key, p.organization_name, p.organization_website from providers p
       on conflict (source, external_id) where source is not null do update set
         name = excluded.name, website = coalesce(excluded.website, organizations.website), updated_at = now()
       where (organizations.name, organizations.website) is distinct from (excluded.name, coalesce(excluded.website, organizations.website))
       returning (xmax = 0) as inserted
     )
     select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated,
            (select count(*) from providers) as staged
     from upserted`,
    [stage, source],
  );
  const row = expectRow(result.rows, 'the organisations');
  return toWriteCounts(row, Number(row.staged));
}

export async function upsertStagedOffers(
  executor: Executor,
  offer: { cityId: string; source: string; departmentId: string; offerTypeId: string; organizationSource: string },
  staged: number,
): Promise<WriteCounts> {
  const result = await executor.raw<{ rows: { inserted: number; updated: number }[] }>(
    `with upserted as (
       insert into offers (city_id, source, external_id, department_id, organization_id, name, description, status, publication,
                           offer_type_id, phone, website, email, capacity, capacity_unit, raw_reason)
       select ?, ?, s.external_id, ?::uuid, o.id, s.name, s.description, 'active', 'published',
              ?::uuid, s.phone, s.website, s.email, s.capacity, s.capacity_unit, s.raw_reason
       from ?? s
       left join organizations o on o.source = ? and o.external_id = s.organization_key
       order by s.idx
       on conflict (source, external_id) where source is not null do update set
         department_id = excluded.department_id, organization_id = excluded.organization_id, name = excluded.name,
         description = excluded.description, offer_type_id = excluded.offer_type_id, phone = excluded.phone,
         website = excluded.website, email = excluded.email, capacity = excluded.capacity,
         capacity_unit = excluded.capacity_unit, raw_reason = excluded.raw_reason, version = offers.version + 1, updated_at = now()
       where (offers.department_id, offers.organization_id, offers.name, offers.description, offers.offer_type_id,
              offers.phone, offers.website, offers.email, offers.capacity, offers.capacity_unit, offers.raw_reason)
         is distinct from (excluded.department_id, excluded.organization_id, excluded.name, excluded.description,
              excluded.offer_type_id, excluded.phone, excluded.website, excluded.email, excluded.capacity, excluded.capacity_unit,
              excluded.raw_reason)
       returning (xmax = 0) as inserted
     )
     select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated from upserted`,
    [offer.cityId, offer.source, offer.departmentId, offer.offerTypeId, stage, offer.organizationSource],
  );
  return toWriteCounts(expectRow(result.rows, 'the rows'), staged);
}

/** Adds the file's fixed target groups; terms an editor added later stay. */
export async function linkStagedOfferTerms(executor: Executor, source: string, termIds: readonly string[]): Promise<number> {
  if (termIds.length === 0) return 0;
  const result = await executor.raw<{ rows: unknown[] }>(
    `insert into offer_terms (offer_id, taxonomy, term_id)
     select o.id, 'target_group', t.id
     from ?? s
     join offers o on o.source = ? and o.external_id = s.external_id
     join taxonomy_terms t on t.taxonomy = 'target_group' and t.id in (select (jsonb_array_elements_text(?::jsonb))::uuid)
     on conflict do nothing
     returning offer_id`,
    [stage, source, JSON.stringify(termIds)],
  );
  return result.rows.length;
}

export async function upsertStagedLocations(executor: Executor, source: string, staged: number): Promise<WriteCounts> {
  const result = await executor.raw<{ rows: { inserted: number; updated: number }[] }>(
    `with upserted as (
       insert into locations (source, external_id, name, street, house_number, postal_code, city, geom)
       select ?, s.external_id, s.name, s.street, s.house_number, s.postal_code, s.city, s.geom
       from ?? s order by s.idx
       on conflict (source, external_id) where source is not null do update set
         name = excluded.name, street = excluded.street, house_number = excluded.house_number,
         postal_code = excluded.postal_code, city = excluded.city, geom = excluded.geom, updated_at = now()
       where (locations.name, locations.street, locations.house_number, locations.postal_code, locations.city, locations.geom)
         is distinct from (excluded.name, excluded.street, excluded.house_number, excluded.postal_code, excluded.city, excluded.geom)
       returning (xmax = 0) as inserted
     )
     select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated from upserted`,
    [source, stage],
  );
  return toWriteCounts(expectRow(result.rows, 'the rows'), staged);
}

/** HSDS service_at_location: each imported offer runs at its imported location. */
export async function linkStagedOfferLocations(executor: Executor, source: string): Promise<number> {
  const result = await executor.raw<{ rows: unknown[] }>(
    `insert into offer_locations (offer_id, location_id)
     select o.id, l.id
     from ?? s
     join offers o on o.source = ? and o.external_id = s.external_id
     join locations l on l.source = ? and l.external_id = s.external_id
     on conflict (offer_id, location_id) do nothing
     returning id`,
    [stage, source, source],
  );
  return result.rows.length;
}

/**
 * Assigns each location to the one area per level that covers it (a point on a shared boundary
 * goes to the smaller area); stale links are removed. Also counts the points in no area at all.
 */
export async function assignStagedLocationAreas(
  executor: Executor,
  cityId: string,
  source: string,
): Promise<{ added: number; removed: number; total: number; withoutArea: number }> {
  const result = await executor.raw<{ rows: { added: number; removed: number; total: number }[] }>(
    `with wanted as (
       select distinct on (l.id, a.level) l.id as location_id, a.id as area_id
       from ?? s
       join locations l on l.source = ? and l.external_id = s.external_id
       join areas a on a.city_id = ? and ST_Covers(a.geom, l.geom) and a.valid_to is null and a.level <> 'area_set'
       order by l.id, a.level, a.area_m2, a.code
     ),
     removed as (
       delete from location_areas la
       using locations l, ?? s
       where la.location_id = l.id and l.source = ? and l.external_id = s.external_id
         and not exists (select 1 from wanted w where w.location_id = la.location_id and w.area_id = la.area_id)
       returning la.location_id
     ),
     added as (
       insert into location_areas (location_id, area_id)
       select location_id, area_id from wanted
       on conflict (location_id, area_id) do nothing
       returning location_id
     )
     select (select count(*) from added) as added, (select count(*) from removed) as removed, (select count(*) from wanted) as total`,
    [stage, source, cityId, stage, source],
  );
  const orphans = await executor.raw<{ rows: { count: number }[] }>(
    'select count(*) as count from ?? s where not exists (select 1 from areas a where a.city_id = ? and a.valid_to is null and ST_Covers(a.geom, s.geom))',
    [stage, cityId],
  );
  const row = expectRow(result.rows, 'the location areas');
  return {
    added: Number(row.added),
    removed: Number(row.removed),
    total: Number(row.total),
    withoutArea: Number(expectRow(orphans.rows, 'a count').count),
  };
}

/**
 * Offers of this source inserted or changed by the running transaction: their `updated_at` is
 * the transaction's `now()`, which stays constant for the whole transaction.
 */
export async function findOffersChangedInTransaction(executor: Executor, source: string): Promise<string[]> {
  const rows = (await executor('offers').select('id').where({ source }).andWhere('updated_at', executor.raw('now()'))) as { id: string }[];
  return rows.map((row) => row.id);
}
