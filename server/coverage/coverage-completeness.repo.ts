import type { Knex } from 'knex';
import { cityScope } from '../db/city-scope.ts';
import { whereVisibleOffer } from '../shared/visible-offers.ts';
import type { CompletenessLevel } from './coverage-completeness.schema.ts';

type Executor = Knex | Knex.Transaction;

export interface CompletenessArea {
  id: string;
  code: string;
  name: string;
}

export interface CompletenessGroup {
  areaId: string;
  source: string | null;
  departmentCode: string;
  departmentName: string;
  records: number;
  rawRecords: number;
  verifiedRecords: number;
  recentlyVerifiedRecords: number;
  lastVerifiedAt: string | null;
}

export async function listAreasOfLevel(executor: Executor, level: CompletenessLevel, cityId?: string): Promise<CompletenessArea[]> {
  return (await cityScope(executor('areas'), cityId).select('id', 'code', 'name').where({ level }).whereNull('valid_to').orderBy('code')) as CompletenessArea[];
}

/**
 * Visible offers per area of the level and per origin (dataset `source`, or the department for
 * records kept by hand). An offer has one origin, so the groups of an area add up to its offers;
 * an offer with two locations in one area counts once.
 */
export async function countRecordsPerAreaAndSource(
  executor: Executor,
  filter: { level: CompletenessLevel; offerTypeIds: readonly string[] | null; verificationMonths: number; cityId?: string | undefined },
): Promise<CompletenessGroup[]> {
  const recent = executor.raw(`now() - make_interval(months => ?::integer)`, [filter.verificationMonths]);
  const query = executor('offers as o')
    .join('departments as d', 'd.id', 'o.department_id')
    .join('offer_locations as ol', 'ol.offer_id', 'o.id')
    .join('locations as l', 'l.id', 'ol.location_id')
    // The area that covers the point now (as the coverage places supply), not a stored assignment
    // that a newer boundary version could have outdated.
    .joinRaw('join areas as a on ST_Covers(a.geom, l.geom) and a.city_id = o.city_id and a.valid_to is null')
    .where('a.level', filter.level)
    .where((visible) => whereVisibleOffer(visible))
    .groupBy('a.id', 'o.source', 'd.code', 'd.name')
    .select(
      'a.id as area_id',
      'o.source',
      'd.code as department_code',
      'd.name as department_name',
      executor.raw('count(distinct o.id)::integer as records'),
      executor.raw('count(distinct o.id) filter (where o.raw_reason is not null)::integer as raw_records'),
      executor.raw('count(distinct o.id) filter (where o.verified_at is not null)::integer as verified_records'),
      executor.raw('count(distinct o.id) filter (where o.verified_at >= ?)::integer as recently_verified_records', [recent]),
      executor.raw('max(o.verified_at) as last_verified_at'),
    );
  if (filter.offerTypeIds) query.whereIn('o.offer_type_id', filter.offerTypeIds);
  cityScope(query, filter.cityId, 'o');
  return ((await query) as (GroupRow & { area_id: string })[]).map(toGroup);
}

interface GroupRow {
  source: string | null;
  department_code: string;
  department_name: string;
  records: number;
  raw_records: number;
  verified_records: number;
  recently_verified_records: number;
  last_verified_at: Date | string | null;
}

function toGroup(row: GroupRow & { area_id: string }): CompletenessGroup {
  return {
    areaId: row.area_id,
    source: row.source,
    departmentCode: row.department_code,
    departmentName: row.department_name,
    records: row.records,
    rawRecords: row.raw_records,
    verifiedRecords: row.verified_records,
    recentlyVerifiedRecords: row.recently_verified_records,
    lastVerifiedAt: row.last_verified_at === null ? null : new Date(row.last_verified_at).toISOString(),
  };
}

/** The same groups for the whole inventory, areas aside (an offer in two areas counts once). */
export async function countRecordsPerSource(
  executor: Executor,
  filter: { offerTypeIds: readonly string[] | null; verificationMonths: number; cityId?: string | undefined },
): Promise<Omit<CompletenessGroup, 'areaId'>[]> {
  const recent = executor.raw(`now() - make_interval(months => ?::integer)`, [filter.verificationMonths]);
  const query = executor('offers as o')
    .join('departments as d', 'd.id', 'o.department_id')
    .where((visible) => whereVisibleOffer(visible))
    .groupBy('o.source', 'd.code', 'd.name')
    .select(
      'o.source',
      'd.code as department_code',
      'd.name as department_name',
      executor.raw('count(*)::integer as records'),
      executor.raw('count(*) filter (where o.raw_reason is not null)::integer as raw_records'),
      executor.raw('count(*) filter (where o.verified_at is not null)::integer as verified_records'),
      executor.raw('count(*) filter (where o.verified_at >= ?)::integer as recently_verified_records', [recent]),
      executor.raw('max(o.verified_at) as last_verified_at'),
    );
  if (filter.offerTypeIds) query.whereIn('o.offer_type_id', filter.offerTypeIds);
  cityScope(query, filter.cityId, 'o');
  return ((await query) as GroupRow[]).map((row) => toGroup({ ...row, area_id: '' }));
}
