import type { Knex } from 'knex';
import { pointFromLonLat } from '../db/postgis.ts';
import { cityScope } from '../db/city-scope.ts';
import { whereVisibleOffer } from '../shared/visible-offers.ts';
import type {
  AreaLevel,
  AreaRef,
  CostKind,
  Offer,
  OfferLocation,
  OfferSort,
  OfferStatus,
  Publication,
  Reach,
} from './offers.schema.ts';
import { staleAfterMonths } from './offers.schema.ts';

type Executor = Knex | Knex.Transaction;

/** Everything the database needs to store an offer's content; ids and references already resolved. */
export interface OfferWrite {
  id: string;
  departmentId: string;
  organizationId: string | null;
  name: string;
  alternateName: string | null;
  description: string | null;
  status: OfferStatus;
  offerTypeId: string;
  minAge: number | null;
  maxAge: number | null;
  costKind: CostKind | null;
  costText: string | null;
  languages: string[];
  email: string | null;
  phone: string | null;
  website: string | null;
  openingHours: string | null;
  openingHoursNote: string | null;
  reachKind: 'walk' | 'radius' | 'area' | null;
  reachMeters: number | null;
  capacity: number | null;
  capacityUnit: string | null;
  source: string | null;
  externalId: string | null;
  terms: { taxonomy: 'target_group' | 'field_of_action' | 'accessibility'; termId: string }[];
  reachAreaIds: string[];
  locations: LocationWrite[];
}

export interface LocationWrite {
  id: string;
  name: string | null;
  street: string | null;
  houseNumber: string | null;
  postalCode: string | null;
  city: string | null;
  accessibilityNote: string | null;
  lon: number;
  lat: number;
}

/** The state fields that actions (publish, archive, verify) change. */
export interface OfferStateWrite {
  publication?: Publication;
  archivedAt?: Date | null;
  verifiedAt?: Date | null;
  verifiedBy?: string | null;
}

export interface OfferFilter {
  publicOnly: boolean;
  /** The city whose offers are listed (issue 13); the database's default city when left out. */
  cityId?: string | undefined;
  departmentCode?: string | undefined;
  offerTypeIds?: string[] | undefined;
  targetGroupIds?: string[] | undefined;
  statuses?: OfferStatus[] | undefined;
  publication?: Publication | undefined;
  archived: 'exclude' | 'only' | 'include';
  stale?: boolean | undefined;
  /** A prepared tsquery text (words with prefix markers), bound as a value. */
  tsquery?: string | undefined;
  areaId?: string | undefined;
  locationId?: string | undefined;
}

export interface OfferHead {
  id: string;
  version: number;
  departmentId: string;
  departmentCode: string;
  publication: Publication;
  status: OfferStatus;
  archivedAt: Date | null;
}

interface OfferRow {
  id: string;
  version: number;
  department_id: string;
  department_code: string;
  department_name: string;
  organization_id: string | null;
  organization_name: string | null;
  name: string;
  alternate_name: string | null;
  description: string | null;
  status: OfferStatus;
  publication: Publication;
  archived_at: Date | null;
  offer_type_code: string;
  offer_type_reach_kind: 'walk' | 'radius' | 'area' | null;
  offer_type_reach_meters: number | null;
  offer_type_reach_area_level: AreaLevel | null;
  min_age: number | null;
  max_age: number | null;
  cost_kind: CostKind | null;
  cost_text: string | null;
  languages: string[] | string;
  email: string | null;
  phone: string | null;
  website: string | null;
  opening_hours: string | null;
  opening_hours_note: string | null;
  reach_kind: 'walk' | 'radius' | 'area' | null;
  reach_meters: number | null;
  capacity: number | null;
  capacity_unit: string | null;
  verified_at: Date | null;
  verified_by: string | null;
  verified_by_email: string | null;
  stale: boolean;
  source: string | null;
  external_id: string | null;
  created_at: Date;
  updated_at: Date;
  created_by: string | null;
  created_by_email: string | null;
  updated_by: string | null;
  updated_by_email: string | null;
}

// Stale: not verified within the last staleAfterMonths months (offers.schema.ts, the one value).
// Written with coalesce so that counts of stale offers read offers_stale_idx alone.
function staleCondition(executor: Executor, stale: boolean): Knex.Raw {
  return stale
    ? executor.raw("coalesce(o.verified_at, '-infinity'::timestamptz) < now() - make_interval(months => ?::int)", [staleAfterMonths])
    : executor.raw("coalesce(o.verified_at, '-infinity'::timestamptz) >= now() - make_interval(months => ?::int)", [staleAfterMonths]);
}

function staleColumn(executor: Executor): Knex.Raw {
  return executor.raw("coalesce(o.verified_at, '-infinity'::timestamptz) < now() - make_interval(months => ?::int) as stale", [staleAfterMonths]);
}

const sortOrders: Record<OfferSort, string> = {
  name: 'lower(o.name) asc, o.id asc',
  '-name': 'lower(o.name) desc, o.id desc',
  updatedAt: 'o.updated_at asc, o.id asc',
  '-updatedAt': 'o.updated_at desc, o.id desc',
  createdAt: 'o.created_at asc, o.id asc',
  '-createdAt': 'o.created_at desc, o.id desc',
  verifiedAt: 'o.verified_at asc nulls first, o.id asc',
  '-verifiedAt': 'o.verified_at desc nulls last, o.id desc',
};

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

/** text[] arrives parsed from pg, as its text form from some drivers. */
function textArray(value: string[] | string | null): string[] {
  if (Array.isArray(value)) return value;
  if (!value || value === '{}') return [];
  return value.replace(/^\{|\}$/g, '').split(',').filter((part) => part !== '');
}

/** A text[] value for a binding: the codes are checked ([a-z]{2,3}) before they get here. */
function textArrayLiteral(values: readonly string[]): string {
  return `{${values.join(',')}}`;
}

function applyFilter(query: Knex.QueryBuilder, executor: Executor, filter: OfferFilter): Knex.QueryBuilder {
  cityScope(query, filter.cityId, 'o');
  if (filter.publicOnly) {
    whereVisibleOffer(query);
  } else if (filter.archived === 'exclude') {
    query.whereNull('o.archived_at');
  } else if (filter.archived === 'only') {
    query.whereNotNull('o.archived_at');
  }
  if (filter.departmentCode !== undefined) {
    query.whereIn('o.department_id', cityScope(executor('departments').select('id').where('code', filter.departmentCode), filter.cityId));
  }
  if (filter.offerTypeIds !== undefined) query.whereIn('o.offer_type_id', filter.offerTypeIds);
  if (filter.targetGroupIds !== undefined) {
    query.whereExists(
      executor('offer_terms as ft').select(executor.raw('1')).whereRaw('ft.offer_id = o.id').whereIn('ft.term_id', filter.targetGroupIds),
    );
  }
  if (filter.statuses !== undefined) query.whereIn('o.status', filter.statuses);
  if (filter.publication !== undefined) query.where('o.publication', filter.publication);
  if (filter.stale !== undefined) query.where(staleCondition(executor, filter.stale));
  if (filter.tsquery !== undefined) query.whereRaw("o.search_vector @@ to_tsquery('german', ?)", [filter.tsquery]);
  if (filter.areaId !== undefined) {
    // Driven from the area: its few locations (index-only), then their offers by index. Without the
    // materialized CTE the planner walks the name index probing every offer; without OFFSET 0 it
    // flattens the lateral probe into a hash join over all offer_locations.
    query
      .withMaterialized(
        'area_offers',
        executor('location_areas as fa')
          .joinRaw('cross join lateral (select ol.offer_id from offer_locations ol where ol.location_id = fa.location_id offset 0) as fl')
          .select('fl.offer_id')
          .where('fa.area_id', filter.areaId),
      )
      .whereIn('o.id', executor('area_offers').select('offer_id'));
  }
  if (filter.locationId !== undefined) {
    query.whereIn('o.id', executor('offer_locations').select('offer_id').where('location_id', filter.locationId));
  }
  return query;
}

export async function countOffers(executor: Executor, filter: OfferFilter): Promise<number> {
  const row = (await applyFilter(executor('offers as o'), executor, filter).count({ count: '*' }).first()) as
    | { count: number | string }
    | undefined;
  return Number(row?.count ?? 0);
}

export async function listOfferIds(
  executor: Executor,
  filter: OfferFilter,
  paging: { sort: OfferSort; limit: number; offset: number },
): Promise<string[]> {
  const rows = (await applyFilter(executor('offers as o').select('o.id'), executor, filter)
    .orderByRaw(sortOrders[paging.sort])
    .limit(paging.limit)
    .offset(paging.offset)) as { id: string }[];
  return rows.map((row) => row.id);
}

/** Ids of all offers that match, in order; for exports. */
export async function listAllOfferIds(executor: Executor, filter: OfferFilter): Promise<string[]> {
  const rows = (await applyFilter(executor('offers as o').select('o.id'), executor, filter).orderByRaw(sortOrders.name)) as {
    id: string;
  }[];
  return rows.map((row) => row.id);
}

interface RelatedJson {
  terms: { taxonomy: string; code: string }[];
  locations: {
    id: string;
    name: string | null;
    street: string | null;
    house_number: string | null;
    postal_code: string | null;
    city: string | null;
    accessibility_note: string | null;
    lon: number;
    lat: number;
    areas: AreaRef[];
  }[];
  reach_areas: AreaRef[];
}

// Related rows come as JSON from correlated sub-selects: one round trip for a page of offers.
// Static SQL: the only values (the ids) are bound by whereIn.
const termsJson = `(select coalesce(json_agg(json_build_object('taxonomy', ot.taxonomy, 'code', t.code) order by t.sort_order, t.code), '[]'::json)
  from offer_terms ot join taxonomy_terms t on t.id = ot.term_id where ot.offer_id = o.id) as terms`;
const locationsJson = `(select coalesce(json_agg(json_build_object(
    'id', l.id, 'name', l.name, 'street', l.street, 'house_number', l.house_number, 'postal_code', l.postal_code,
    'city', l.city, 'accessibility_note', l.accessibility_note, 'lon', ST_X(l.geom), 'lat', ST_Y(l.geom),
    'areas', (select coalesce(json_agg(json_build_object('id', a.id, 'code', a.code, 'name', a.name, 'level', a.level)
        order by array_position(array['city','district','sozialraum','quarter']::text[], a.level), a.code), '[]'::json)
      from location_areas la join areas a on a.id = la.area_id where la.location_id = l.id)
  ) order by ol.position, l.id), '[]'::json)
  from offer_locations ol join locations l on l.id = ol.location_id where ol.offer_id = o.id) as locations`;
const reachAreasJson = `(select coalesce(json_agg(json_build_object('id', a.id, 'code', a.code, 'name', a.name, 'level', a.level) order by a.level, a.code), '[]'::json)
  from offer_reach_areas ra join areas a on a.id = ra.area_id where ra.offer_id = o.id) as reach_areas`;

function parsedJson<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

function toReach(row: OfferRow, areaIds: string[]): Reach | null {
  if ((row.reach_kind === 'walk' || row.reach_kind === 'radius') && row.reach_meters !== null) {
    return { kind: row.reach_kind, meters: row.reach_meters };
  }
  if (row.reach_kind === 'area') return { kind: 'area', areaIds };
  return null;
}

function toOffer(row: OfferRow & Partial<Record<keyof RelatedJson, unknown>>): Offer {
  const terms = parsedJson(row.terms as RelatedJson['terms'] | string);
  const reachAreas = parsedJson(row.reach_areas as RelatedJson['reach_areas'] | string);
  const locations: OfferLocation[] = parsedJson(row.locations as RelatedJson['locations'] | string).map((location) => ({
    id: location.id,
    name: location.name,
    address: { street: location.street, houseNumber: location.house_number, postalCode: location.postal_code, city: location.city },
    accessibilityNote: location.accessibility_note,
    geometry: { type: 'Point', coordinates: [Number(location.lon), Number(location.lat)] },
    areas: location.areas,
    sozialraum: location.areas.find((area) => area.level === 'sozialraum') ?? null,
  }));
  const codes = (taxonomy: string) => terms.filter((term) => term.taxonomy === taxonomy).map((term) => term.code);
  const reach = toReach(
    row,
    reachAreas.map((area) => area.id),
  );
  let effectiveReach: Offer['effectiveReach'] = null;
  if (reach?.kind === 'area') effectiveReach = { source: 'offer', kind: 'area', areaIds: reach.areaIds };
  else if (reach) effectiveReach = { source: 'offer', kind: reach.kind, meters: reach.meters };
  else if (row.offer_type_reach_kind === 'area' && row.offer_type_reach_area_level) {
    effectiveReach = { source: 'offer_type', kind: 'area', level: row.offer_type_reach_area_level };
  } else if ((row.offer_type_reach_kind === 'walk' || row.offer_type_reach_kind === 'radius') && row.offer_type_reach_meters !== null) {
    effectiveReach = { source: 'offer_type', kind: row.offer_type_reach_kind, meters: row.offer_type_reach_meters };
  }
  return {
    id: row.id,
    version: row.version,
    department: { id: row.department_id, code: row.department_code, name: row.department_name },
    organization: row.organization_id && row.organization_name ? { id: row.organization_id, name: row.organization_name } : null,
    name: row.name,
    alternateName: row.alternate_name,
    description: row.description,
    status: row.status,
    publication: row.publication,
    archivedAt: iso(row.archived_at),
    offerType: row.offer_type_code,
    targetGroups: codes('target_group'),
    fieldsOfAction: codes('field_of_action'),
    accessibility: codes('accessibility'),
    minAge: row.min_age,
    maxAge: row.max_age,
    cost: row.cost_kind ? { kind: row.cost_kind, text: row.cost_text } : null,
    languages: textArray(row.languages),
    email: row.email,
    phone: row.phone,
    website: row.website,
    openingHours: row.opening_hours,
    openingHoursNote: row.opening_hours_note,
    reach,
    reachAreas,
    effectiveReach,
    capacity: row.capacity === null ? null : { value: Number(row.capacity), unit: row.capacity_unit },
    locations,
    verifiedAt: iso(row.verified_at),
    verifiedBy: row.verified_by ? { id: row.verified_by, email: row.verified_by_email } : null,
    stale: row.stale,
    source: row.source,
    externalId: row.external_id,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    createdBy: row.created_by ? { id: row.created_by, email: row.created_by_email } : null,
    updatedBy: row.updated_by ? { id: row.updated_by, email: row.updated_by_email } : null,
  };
}

/** Full offers in the order of `ids`; unknown ids are left out. One query. */
export async function findOffers(executor: Executor, ids: readonly string[]): Promise<Offer[]> {
  if (ids.length === 0) return [];
  const rows = (await offerRows(executor).whereIn('o.id', ids)) as (OfferRow & Record<keyof RelatedJson, unknown>)[];
  const byId = new Map(rows.map((row) => [row.id, toOffer(row)] as const));
  return ids.map((id) => byId.get(id)).filter((offer): offer is Offer => offer !== undefined);
}

/**
 * One full offer, its row locked for the rest of the transaction (concurrent writers wait here):
 * the one read of a PATCH, which checks the version on what it read.
 */
export async function findOfferForUpdate(executor: Knex.Transaction, id: string): Promise<Offer | undefined> {
  const row = (await offerRows(executor).where('o.id', id).forUpdate('o').first()) as (OfferRow & Record<keyof RelatedJson, unknown>) | undefined;
  return row ? toOffer(row) : undefined;
}

function offerRows(executor: Executor): Knex.QueryBuilder {
  return executor('offers as o')
    .join('departments as d', 'd.id', 'o.department_id')
    .join('taxonomy_terms as tt', 'tt.id', 'o.offer_type_id')
    .leftJoin('organizations as org', 'org.id', 'o.organization_id')
    .leftJoin('users as vu', 'vu.id', 'o.verified_by')
    .leftJoin('users as cu', 'cu.id', 'o.created_by')
    .leftJoin('users as uu', 'uu.id', 'o.updated_by')
    .select(
      'o.id',
      'o.version',
      'o.department_id',
      'd.code as department_code',
      'd.name as department_name',
      'o.organization_id',
      'org.name as organization_name',
      'o.name',
      'o.alternate_name',
      'o.description',
      'o.status',
      'o.publication',
      'o.archived_at',
      'tt.code as offer_type_code',
      'tt.default_reach_kind as offer_type_reach_kind',
      'tt.default_reach_meters as offer_type_reach_meters',
      'tt.default_reach_area_level as offer_type_reach_area_level',
      'o.min_age',
      'o.max_age',
      'o.cost_kind',
      'o.cost_text',
      'o.languages',
      'o.email',
      'o.phone',
      'o.website',
      'o.opening_hours',
      'o.opening_hours_note',
      'o.reach_kind',
      'o.reach_meters',
      'o.capacity',
      'o.capacity_unit',
      'o.verified_at',
      'o.verified_by',
      'vu.email as verified_by_email',
      staleColumn(executor),
      'o.source',
      'o.external_id',
      'o.created_at',
      'o.updated_at',
      'o.created_by',
      'cu.email as created_by_email',
      'o.updated_by',
      'uu.email as updated_by_email',
      executor.raw(termsJson),
      executor.raw(locationsJson),
      executor.raw(reachAreasJson),
    );
}

/** Locks the offer row for the rest of the transaction; concurrent writers wait here. */
export async function lockOfferHead(executor: Executor, id: string): Promise<OfferHead | undefined> {
  const row = (await executor('offers as o')
    .join('departments as d', 'd.id', 'o.department_id')
    .select('o.id', 'o.version', 'o.department_id', 'd.code as department_code', 'o.publication', 'o.status', 'o.archived_at')
    .where('o.id', id)
    .forUpdate('o')
    .first()) as
    | { id: string; version: number; department_id: string; department_code: string; publication: Publication; status: OfferStatus; archived_at: Date | null }
    | undefined;
  if (!row) return undefined;
  return {
    id: row.id,
    version: row.version,
    departmentId: row.department_id,
    departmentCode: row.department_code,
    publication: row.publication,
    status: row.status,
    archivedAt: row.archived_at,
  };
}

function offerColumns(offer: OfferWrite): Record<string, unknown> {
  return {
    department_id: offer.departmentId,
    organization_id: offer.organizationId,
    name: offer.name,
    alternate_name: offer.alternateName,
    description: offer.description,
    status: offer.status,
    offer_type_id: offer.offerTypeId,
    min_age: offer.minAge,
    max_age: offer.maxAge,
    cost_kind: offer.costKind,
    cost_text: offer.costText,
    languages: textArrayLiteral(offer.languages),
    email: offer.email,
    phone: offer.phone,
    website: offer.website,
    opening_hours: offer.openingHours,
    opening_hours_note: offer.openingHoursNote,
    reach_kind: offer.reachKind,
    reach_meters: offer.reachMeters,
    capacity: offer.capacity,
    capacity_unit: offer.capacityUnit,
  };
}

function locationColumns(executor: Executor, location: LocationWrite): Record<string, unknown> {
  return {
    name: location.name,
    street: location.street,
    house_number: location.houseNumber,
    postal_code: location.postalCode,
    city: location.city,
    accessibility_note: location.accessibilityNote,
    geom: pointFromLonLat(executor, location.lon, location.lat),
  };
}

async function insertInChunks(executor: Executor, table: string, rows: Record<string, unknown>[], chunkSize = 500): Promise<void> {
  for (let start = 0; start < rows.length; start += chunkSize) {
    await executor(table).insert(rows.slice(start, start + chunkSize));
  }
}

/** Computes the areas each location lies in (point in polygon, all imported levels; area sets are unions of those), among the areas of its offers' city. */
export async function assignLocationAreas(executor: Executor, locationIds: readonly string[]): Promise<void> {
  const chunkSize = 1000;
  for (let start = 0; start < locationIds.length; start += chunkSize) {
    const chunk = locationIds.slice(start, start + chunkSize);
    await executor('location_areas').whereIn('location_id', chunk).delete();
    await executor
      .into(executor.raw('?? (??, ??)', ['location_areas', 'location_id', 'area_id']))
      .insert(
        executor('locations as l')
          .joinRaw(
            `join areas as a on ST_Covers(a.geom, l.geom) and a.valid_to is null and a.level <> 'area_set'
               and a.city_id in (select o.city_id from offer_locations ol join offers o on o.id = ol.offer_id where ol.location_id = l.id)`,
          )
          .select('l.id', 'a.id')
          .whereIn('l.id', chunk),
      );
  }
}

/** Inserts new offers with their terms, reach areas and locations; version 1. */
export async function insertOffers(
  executor: Executor,
  offers: readonly OfferWrite[],
  meta: { actorId: string | null; publication?: Publication; cityId?: string },
): Promise<void> {
  await insertInChunks(
    executor,
    'offers',
    offers.map((offer) => ({
      id: offer.id,
      // Without a city the column default applies: the database's default city.
      ...(meta.cityId === undefined ? {} : { city_id: meta.cityId }),
      ...offerColumns(offer),
      source: offer.source,
      external_id: offer.externalId,
      publication: meta.publication ?? 'draft',
      created_by: meta.actorId,
      updated_by: meta.actorId,
    })),
    250,
  );
  await insertInChunks(
    executor,
    'offer_terms',
    offers.flatMap((offer) => offer.terms.map((term) => ({ offer_id: offer.id, taxonomy: term.taxonomy, term_id: term.termId }))),
    1000,
  );
  await insertInChunks(
    executor,
    'offer_reach_areas',
    offers.flatMap((offer) => offer.reachAreaIds.map((areaId) => ({ offer_id: offer.id, area_id: areaId }))),
    1000,
  );
  const locations = offers.flatMap((offer) => offer.locations);
  await insertInChunks(
    executor,
    'locations',
    locations.map((location) => ({ id: location.id, ...locationColumns(executor, location) })),
    500,
  );
  await insertInChunks(
    executor,
    'offer_locations',
    offers.flatMap((offer) => offer.locations.map((location, position) => ({ offer_id: offer.id, location_id: location.id, position }))),
    1000,
  );
  await assignLocationAreas(
    executor,
    locations.map((location) => location.id),
  );
}

/** Replaces the content of an existing offer; the caller holds the row lock. Returns the new version. */
export async function updateOfferContent(executor: Executor, offer: OfferWrite, meta: { actorId: string | null; expectedVersion: number }): Promise<number | undefined> {
  const [updated] = (await executor('offers')
    .where({ id: offer.id, version: meta.expectedVersion })
    .update({
      ...offerColumns(offer),
      // A department editing an imported raw record adopts it: citizens see it from now on.
      raw_reason: null,
      version: executor.raw('version + 1'),
      updated_at: executor.fn.now(),
      updated_by: meta.actorId,
    })
    .returning('version')) as { version: number }[];
  if (!updated) return undefined;

  await executor('offer_terms').where({ offer_id: offer.id }).delete();
  if (offer.terms.length > 0) {
    await executor('offer_terms').insert(offer.terms.map((term) => ({ offer_id: offer.id, taxonomy: term.taxonomy, term_id: term.termId })));
  }
  await executor('offer_reach_areas').where({ offer_id: offer.id }).delete();
  if (offer.reachAreaIds.length > 0) {
    await executor('offer_reach_areas').insert(offer.reachAreaIds.map((areaId) => ({ offer_id: offer.id, area_id: areaId })));
  }

  const existing = (await executor('offer_locations').select('location_id').where({ offer_id: offer.id })) as { location_id: string }[];
  const existingIds = new Set(existing.map((row) => row.location_id));
  const keptIds = new Set(offer.locations.map((location) => location.id));
  const removed = [...existingIds].filter((id) => !keptIds.has(id));
  if (removed.length > 0) {
    await executor('offer_locations').where({ offer_id: offer.id }).whereIn('location_id', removed).delete();
    // A location belongs to the offer that created it; drop it unless another offer uses it too.
    await executor('locations')
      .whereIn('id', removed)
      .whereNotExists(executor('offer_locations as other').select(executor.raw('1')).whereRaw('other.location_id = locations.id'))
      .delete();
  }
  for (const location of offer.locations) {
    if (existingIds.has(location.id)) {
      await executor('locations')
        .where({ id: location.id })
        .update({ ...locationColumns(executor, location), updated_at: executor.fn.now() });
    } else {
      await executor('locations').insert({ id: location.id, ...locationColumns(executor, location) });
    }
  }
  await executor('offer_locations').where({ offer_id: offer.id }).delete();
  if (offer.locations.length > 0) {
    await executor('offer_locations').insert(
      offer.locations.map((location, position) => ({ offer_id: offer.id, location_id: location.id, position })),
    );
  }
  await assignLocationAreas(
    executor,
    offer.locations.map((location) => location.id),
  );
  return updated.version;
}

export async function updateOfferState(
  executor: Executor,
  id: string,
  state: OfferStateWrite,
  meta: { actorId: string | null; expectedVersion: number },
): Promise<number | undefined> {
  const columns: Record<string, unknown> = {};
  if (state.publication !== undefined) columns.publication = state.publication;
  if (state.archivedAt !== undefined) columns.archived_at = state.archivedAt;
  if (state.verifiedAt !== undefined) columns.verified_at = state.verifiedAt;
  if (state.verifiedBy !== undefined) columns.verified_by = state.verifiedBy;
  const [updated] = (await executor('offers')
    .where({ id, version: meta.expectedVersion })
    .update({ ...columns, version: executor.raw('version + 1'), updated_at: executor.fn.now(), updated_by: meta.actorId })
    .returning('version')) as { version: number }[];
  return updated?.version;
}

/** Location ids that belong to the offer (to tell edits of existing locations from foreign ids). */
export async function findOfferLocationIds(executor: Executor, offerId: string): Promise<string[]> {
  const rows = (await executor('offer_locations').select('location_id').where({ offer_id: offerId })) as { location_id: string }[];
  return rows.map((row) => row.location_id);
}

export async function findExistingAreaIds(executor: Executor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = (await executor('areas').select('id').whereIn('id', ids)) as { id: string }[];
  return new Set(rows.map((row) => row.id));
}

/** Offers already stored under these (source, external id) pairs, for imports that update. */
export async function findOffersBySourceKeys(
  executor: Executor,
  keys: readonly { source: string; externalId: string }[],
): Promise<Map<string, { id: string; version: number; departmentId: string }>> {
  const result = new Map<string, { id: string; version: number; departmentId: string }>();
  const chunkSize = 500;
  for (let start = 0; start < keys.length; start += chunkSize) {
    const chunk = keys.slice(start, start + chunkSize);
    const rows = (await executor('offers')
      .select('id', 'version', 'department_id', 'source', 'external_id')
      .whereIn(
        ['source', 'external_id'],
        chunk.map((key) => [key.source, key.externalId]),
      )) as { id: string; version: number; department_id: string; source: string; external_id: string }[];
    for (const row of rows) result.set(`${row.source}\u0000${row.external_id}`, { id: row.id, version: row.version, departmentId: row.department_id });
  }
  return result;
}

/** Locks several offer rows at once, in id order so that two bulk writers never deadlock. */
export async function lockOfferHeads(executor: Executor, ids: readonly string[]): Promise<OfferHead[]> {
  if (ids.length === 0) return [];
  const rows = (await executor('offers as o')
    .join('departments as d', 'd.id', 'o.department_id')
    .select('o.id', 'o.version', 'o.department_id', 'd.code as department_code', 'o.publication', 'o.status', 'o.archived_at')
    .whereIn('o.id', ids)
    .orderBy('o.id')
    .forUpdate('o')) as { id: string; version: number; department_id: string; department_code: string; publication: Publication; status: OfferStatus; archived_at: Date | null }[];
  return rows.map((row) => ({
    id: row.id,
    version: row.version,
    departmentId: row.department_id,
    departmentCode: row.department_code,
    publication: row.publication,
    status: row.status,
    archivedAt: row.archived_at,
  }));
}
