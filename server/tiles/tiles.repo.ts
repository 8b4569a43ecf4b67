import type { Knex } from 'knex';
import { cityScope } from '../db/city-scope.ts';
import { whereVisibleOffer } from '../shared/visible-offers.ts';
import { tileBuffer, tileExtent } from './tiles.schema.ts';

type Executor = Knex | Knex.Transaction;

/** A tile's frame in Web Mercator metres; `scale` turns metres into tile units. */
export interface TileFrame {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  size: number;
}

export interface OfferTileFilter {
  /** The city served (issue 13); the database's default city when left out. */
  cityId?: string | undefined;
  offerTypeIds?: string[];
  targetGroupIds?: string[];
  /** Each set: the offer carries one of its terms (one set per wanted feature: all are needed). */
  accessibilitySets?: string[][];
  free?: boolean;
  /** Any of these languages. */
  languages?: string[];
}

export interface OfferPointRow {
  id: string;
  offer_id: string;
  name: string;
  offer_type: string;
  tx: number;
  ty: number;
}

export interface OfferClusterRow {
  count: number;
  tx: number;
  ty: number;
  offer_id: string | null;
  name: string | null;
  offer_type: string | null;
}

const world = 20037508.342789244;

// The frame with its buffer, kept inside the Mercator world (a transform beyond it fails).
function bufferedEnvelope(executor: Executor, frame: TileFrame): Knex.Raw {
  const buffer = (frame.size / tileExtent) * tileBuffer;
  const clamp = (value: number) => Math.max(-world, Math.min(world, value));
  return executor.raw('ST_MakeEnvelope(?::float8, ?::float8, ?::float8, ?::float8, 3857)', [
    clamp(frame.xmin - buffer),
    clamp(frame.ymin - buffer),
    clamp(frame.xmax + buffer),
    clamp(frame.ymax + buffer),
  ]);
}

/**
 * The offer locations in a tile, in tile units. Positions leave the database already scaled
 * (no ST_AsMVTGeom: the embedded database lacks it, see docs/architecture.md).
 */
function offerPoints(executor: Executor, frame: TileFrame, filter: OfferTileFilter): Knex.QueryBuilder {
  const scale = tileExtent / frame.size;
  const query = executor('offer_locations as ol')
    .join('offers as o', 'o.id', 'ol.offer_id')
    .join('locations as l', 'l.id', 'ol.location_id')
    .join('taxonomy_terms as t', 't.id', 'o.offer_type_id')
    // The stored Mercator position (migration 20261204080100): the index picks the rows by the
    // tile's own box, and no candidate row is transformed.
    .whereRaw('l.geom_mercator && ?', [bufferedEnvelope(executor, frame)])
    .select(
      executor.raw('ol.id::text as id'),
      executor.raw('o.id::text as offer_id'),
      'o.name',
      't.code as offer_type',
      executor.raw('round((ST_X(l.geom_mercator) - ?::float8) * ?::float8)::int as tx', [frame.xmin, scale]),
      executor.raw('round((?::float8 - ST_Y(l.geom_mercator)) * ?::float8)::int as ty', [frame.ymax, scale]),
    );
  // The citizens' map shows what their search lists: raw imported records wait for a department.
  whereVisibleOffer(query).whereNull('o.raw_reason');
  cityScope(query, filter.cityId, 'o');
  if (filter.offerTypeIds) query.whereIn('o.offer_type_id', filter.offerTypeIds);
  const termSets: Array<['target_group' | 'accessibility', string[]]> = [];
  if (filter.targetGroupIds) termSets.push(['target_group', filter.targetGroupIds]);
  for (const ids of filter.accessibilitySets ?? []) termSets.push(['accessibility', ids]);
  for (const [taxonomy, ids] of termSets) {
    query.whereExists((terms) => terms.select(executor.raw('1')).from('offer_terms as ot').whereRaw('ot.offer_id = o.id').where('ot.taxonomy', taxonomy).whereIn('ot.term_id', ids));
  }
  if (filter.free) query.where('o.cost_kind', 'free');
  if (filter.languages) query.whereRaw('o.languages && ?::text[]', [`{${filter.languages.join(',')}}`]);
  return query;
}

export async function listOfferPoints(executor: Executor, frame: TileFrame, filter: OfferTileFilter, limit: number): Promise<OfferPointRow[]> {
  return (await offerPoints(executor, frame, filter).orderBy('ol.id').limit(limit)) as OfferPointRow[];
}

/** One public offer location with what the filters read: a row of the in-memory offer index. */
export interface OfferIndexRow {
  id: string;
  offer_id: string;
  name: string;
  offer_type_id: string;
  offer_type: string;
  cost_kind: string | null;
  /** Comma-separated language codes ('' for none): one plain text on either database driver. */
  languages: string;
  /** Comma-separated ids of the offer's target groups and accessibility features. */
  term_ids: string;
  x: number;
  y: number;
}

function visibleOfferLocations(executor: Executor, cityId: string | undefined): Knex.QueryBuilder {
  const query = executor('offer_locations as ol').join('offers as o', 'o.id', 'ol.offer_id').join('locations as l', 'l.id', 'ol.location_id');
  whereVisibleOffer(query).whereNull('o.raw_reason');
  cityScope(query, cityId, 'o');
  return query;
}

/** How many public offer locations the citizens' map shows (the index's expected size). */
export async function countVisibleOfferLocations(executor: Executor, cityId?: string): Promise<number> {
  const row = (await visibleOfferLocations(executor, cityId).first(executor.raw('count(*)::int as count'))) as { count: number } | undefined;
  return Number(row?.count ?? 0);
}

/**
 * One page of the public offer locations, in Web Mercator metres with their filter fields, after
 * the location id `after` in location-id order: what the in-memory offer index
 * (tiles-offer-index.ts) is built from, page by page so that a million rows are never held at once.
 */
function offerIndexRows(executor: Executor, cityId: string | undefined): Knex.QueryBuilder {
  return visibleOfferLocations(executor, cityId)
    .join('taxonomy_terms as t', 't.id', 'o.offer_type_id')
    .select(
      executor.raw('ol.id::text as id'),
      executor.raw('o.id::text as offer_id'),
      'o.name',
      executor.raw('o.offer_type_id::text as offer_type_id'),
      't.code as offer_type',
      'o.cost_kind',
      executor.raw("array_to_string(o.languages, ',') as languages"),
      executor.raw(
        "coalesce((select string_agg(ot.term_id::text, ',') from offer_terms ot where ot.offer_id = o.id and ot.taxonomy in ('target_group', 'accessibility')), '') as term_ids",
      ),
      executor.raw('ST_X(l.geom_mercator) as x'),
      executor.raw('ST_Y(l.geom_mercator) as y'),
    )
    .orderBy('ol.id');
}

export async function listOfferIndexPage(executor: Executor, cityId: string | undefined, after: string | null, limit: number): Promise<OfferIndexRow[]> {
  const query = offerIndexRows(executor, cityId).limit(limit);
  if (after !== null) query.where('ol.id', '>', after);
  return (await query) as OfferIndexRow[];
}

/**
 * The same rows as listOfferIndexPage, all of them, through one server-side cursor in one
 * read-only snapshot (PostgreSQL): one plan for the whole table (hash joins and one sort instead of
 * an index probe per row and page: docs/benchmarks.md, "Vector tiles at a million offers"), handed
 * to `onPage` `pageSize` rows at a time, so the driver never holds more than a page. Takes a
 * connection for the whole read: not for the embedded database, whose one connection every request
 * shares (it reads pages).
 */
export async function readOfferIndexByCursor(db: Knex, cityId: string | undefined, pageSize: number, onPage: (rows: OfferIndexRow[]) => void): Promise<void> {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, not ${pageSize}`);
  await db.transaction(
    async (trx) => {
      // The whole result is read: plan for all of it, not for its first rows.
      await trx.raw('set local cursor_tuple_fraction = 1');
      const { sql, bindings } = offerIndexRows(trx, cityId).toSQL();
      await trx.raw(`declare offer_index_rows no scroll cursor for ${sql}`, bindings);
      for (;;) {
        // FETCH takes no bound parameter; the count is a checked integer.
        const result = (await trx.raw(`fetch forward ${pageSize} from offer_index_rows`)) as { rows: OfferIndexRow[] };
        onPage(result.rows);
        if (result.rows.length < pageSize) break;
      }
      await trx.raw('close offer_index_rows');
    },
    { isolationLevel: 'repeatable read', readOnly: true },
  );
}

/** Offers counted per grid cell of `cellUnits` tile units; a lone offer keeps its name. */
export async function listOfferClusters(executor: Executor, frame: TileFrame, filter: OfferTileFilter, cellUnits: number): Promise<OfferClusterRow[]> {
  const rows = (await executor
    .from(offerPoints(executor, frame, filter).as('p'))
    .groupByRaw('floor(p.tx / ?::float8), floor(p.ty / ?::float8)', [cellUnits, cellUnits])
    .select(
      executor.raw('count(*)::int as count'),
      executor.raw('round(avg(p.tx))::int as tx'),
      executor.raw('round(avg(p.ty))::int as ty'),
      executor.raw('case when count(*) = 1 then min(p.offer_id) end as offer_id'),
      executor.raw('case when count(*) = 1 then min(p.name) end as name'),
      executor.raw('case when count(*) = 1 then min(p.offer_type) end as offer_type'),
    )) as OfferClusterRow[];
  return rows;
}

export interface AreaTileRow {
  code: string;
  name: string;
  level: string;
  geometry: string | null;
}

/**
 * Area outlines simplified to a pixel of the zoom, clipped to the buffered tile and scaled to
 * tile units. Exterior rings counter-clockwise in metres become clockwise once y points down,
 * as the vector tile specification asks.
 */
export async function listAreaShapes(executor: Executor, frame: TileFrame, level: string, cityId?: string): Promise<AreaTileRow[]> {
  const scale = tileExtent / frame.size;
  const pixel = frame.size / tileExtent;
  const envelope = bufferedEnvelope(executor, frame);
  return (await cityScope(executor('areas as a'), cityId, 'a')
    .where('a.level', level)
    .whereNull('a.valid_to')
    .whereRaw('a.geom && ST_Transform(?, 4326)', [envelope])
    .select(
      'a.code',
      'a.name',
      'a.level',
      executor.raw(
        `ST_AsGeoJSON(ST_SnapToGrid(ST_TransScale(ST_CollectionExtract(ST_ClipByBox2D(ST_ForcePolygonCCW(ST_SimplifyPreserveTopology(
           ST_Transform(a.geom, 3857), ?::float8)), ?), 3), -?::float8, -?::float8, ?::float8, -?::float8), 1), 0) as geometry`,
        [pixel, envelope, frame.xmin, frame.ymax, scale, scale],
      ),
    )
    .orderBy('a.code')) as AreaTileRow[];
}

/** The number the search index watches: it moves with every committed change of the offers. */
export async function readDataGeneration(executor: Executor): Promise<number> {
  const row = (await executor('search_generation').first('generation')) as { generation: number | string } | undefined;
  return Number(row?.generation ?? 0);
}

