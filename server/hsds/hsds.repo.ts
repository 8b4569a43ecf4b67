import type { Knex } from 'knex';
import { geographyFromLonLat, postgis } from '../db/postgis.ts';
import { whereVisibleOffer } from '../shared/visible-offers.ts';

type Executor = Knex | Knex.Transaction;

/** What the HSDS list endpoints filter by; every list shows visible offers only. */
export interface HsdsOfferFilter {
  /** A German prefix tsquery (built by the offers feature's `toPrefixTsquery`). */
  tsquery?: string | undefined;
  /** For each set, offers that carry any of its terms (as offer type or as target group, field of action, …). */
  termIdSets?: string[][] | undefined;
  organizationId?: string | undefined;
  /** HSDS `modified_after`: changed on or after this moment. */
  modifiedAfter?: Date | undefined;
}

export interface HsdsPlaceFilter {
  /** Locations with this postal code (when no proximity is asked). */
  postcode?: string | undefined;
  /** Sort by distance to this point; with `meters`, keep only locations within them. */
  near?: { lon: number; lat: number; meters: number | undefined } | undefined;
}

export interface ServiceAtLocationRow {
  locationId: string;
  offerId: string;
  /** Metres on the sphere from the proximity point, null without one. */
  distanceMeters: number | null;
}

function applyOfferFilter(executor: Executor, query: Knex.QueryBuilder, filter: HsdsOfferFilter): Knex.QueryBuilder {
  whereVisibleOffer(query);
  if (filter.tsquery !== undefined) query.whereRaw("o.search_vector @@ to_tsquery('german', ?)", [filter.tsquery]);
  if (filter.organizationId !== undefined) query.where('o.organization_id', filter.organizationId);
  if (filter.modifiedAfter !== undefined) query.where('o.updated_at', '>=', filter.modifiedAfter);
  for (const termIds of filter.termIdSets ?? []) {
    query.where((inner) => {
      inner
        .whereIn('o.offer_type_id', termIds)
        .orWhereExists(executor('offer_terms as ft').select(executor.raw('1')).whereRaw('ft.offer_id = o.id').whereIn('ft.term_id', termIds));
    });
  }
  return query;
}

/** One page of visible offer ids, by name, and how many there are in all. */
export async function listServiceIds(
  executor: Executor,
  filter: HsdsOfferFilter,
  paging: { limit: number; offset: number },
): Promise<{ total: number; ids: string[] }> {
  const [countRow, rows] = await Promise.all([
    applyOfferFilter(executor, executor('offers as o'), filter).count({ count: '*' }).first() as Promise<{ count: string | number } | undefined>,
    applyOfferFilter(executor, executor('offers as o').select('o.id'), filter)
      .orderByRaw('lower(o.name) asc, o.id asc')
      .limit(paging.limit)
      .offset(paging.offset) as Promise<{ id: string }[]>,
  ]);
  return { total: Number(countRow?.count ?? 0), ids: rows.map((row) => row.id) };
}

/**
 * Every visible offer id that matches, by id, in batches: the bulk export streams them without
 * holding all ids, and keyset paging (id > last) costs the same for the last batch as the first.
 */
export async function* allServiceIds(executor: Executor, filter: HsdsOfferFilter, batchSize: number): AsyncGenerator<string[]> {
  let after: string | undefined;
  for (;;) {
    const query = applyOfferFilter(executor, executor('offers as o').select('o.id'), filter).orderBy('o.id', 'asc').limit(batchSize);
    if (after !== undefined) query.where('o.id', '>', after);
    const rows = (await query) as { id: string }[];
    if (rows.length === 0) return;
    yield rows.map((row) => row.id);
    if (rows.length < batchSize) return;
    after = rows.at(-1)!.id;
  }
}

/** The point whose proximity a postcode means: the centre of the visible locations with it. */
export async function postcodeCentre(executor: Executor, postcode: string): Promise<{ lon: number; lat: number } | undefined> {
  const query = executor('offer_locations as ol')
    .join('offers as o', 'o.id', 'ol.offer_id')
    .join('locations as l', 'l.id', 'ol.location_id')
    .where('l.postal_code', postcode)
    .select(
      postgis(executor).x(postgis(executor).centroid(executor.raw('ST_Collect(l.geom)'))).as('lon'),
      postgis(executor).y(postgis(executor).centroid(executor.raw('ST_Collect(l.geom)'))).as('lat'),
    );
  const row = (await whereVisibleOffer(query).first()) as { lon: number | null; lat: number | null } | undefined;
  return row && row.lon !== null && row.lat !== null ? { lon: Number(row.lon), lat: Number(row.lat) } : undefined;
}

function serviceAtLocationQuery(executor: Executor, filter: HsdsOfferFilter, place: HsdsPlaceFilter): Knex.QueryBuilder {
  const query = executor('offer_locations as ol').join('offers as o', 'o.id', 'ol.offer_id').join('locations as l', 'l.id', 'ol.location_id');
  applyOfferFilter(executor, query, filter);
  if (place.near?.meters !== undefined) {
    // On the indexed geography column, so that the GiST index picks the locations.
    query.where(postgis(executor).dwithin('l.geog', geographyFromLonLat(executor, place.near.lon, place.near.lat), place.near.meters));
  } else if (place.postcode !== undefined) {
    query.where('l.postal_code', place.postcode);
  }
  return query;
}

/**
 * One page of services at locations (a location belongs to one offer, so its id names the pair)
 * and how many there are. With a point: nearest first (KNN on the geography index), else by the
 * offer's name.
 */
export async function listServiceAtLocations(
  executor: Executor,
  filter: HsdsOfferFilter,
  place: HsdsPlaceFilter,
  paging: { limit: number; offset: number },
): Promise<{ total: number; rows: ServiceAtLocationRow[] }> {
  const near = place.near;
  const rowsQuery = serviceAtLocationQuery(executor, filter, place).select('l.id as location_id', 'o.id as offer_id');
  if (near) {
    const point = geographyFromLonLat(executor, near.lon, near.lat);
    rowsQuery
      .select(executor.raw('ST_Distance(l.geog, ?, false) as distance', [point]))
      .orderByRaw('l.geog <-> ?, l.id asc', [point]);
  } else {
    rowsQuery.orderByRaw('lower(o.name) asc, o.id asc, l.id asc');
  }
  const [countRow, rows] = await Promise.all([
    serviceAtLocationQuery(executor, filter, place).count({ count: '*' }).first() as Promise<{ count: string | number } | undefined>,
    rowsQuery.limit(paging.limit).offset(paging.offset) as Promise<{ location_id: string; offer_id: string; distance?: number | string | null }[]>,
  ]);
  return {
    total: Number(countRow?.count ?? 0),
    rows: rows.map((row) => ({
      locationId: row.location_id,
      offerId: row.offer_id,
      distanceMeters: row.distance === undefined || row.distance === null ? null : Number(row.distance),
    })),
  };
}
