import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type pg from 'pg';
import type { AreaLevel } from '../areas/areas.schema.ts';
import { cityScope } from '../db/city-scope.ts';
import { geographyFromLonLat, postgis } from '../db/postgis.ts';
import { whereVisibleOffer } from '../shared/visible-offers.ts';
import type { SearchAddress } from './search.schema.ts';
import type { TextWord } from './search-text.ts';
import type { MultiPolygon, Polygon } from 'geojson';

// The citizens' read model over offers, locations and terms. Only published, active,
// non-archived offers are ever visible here.

interface PoolClient {
  config: { client?: unknown };
  acquireConnection(): Promise<pg.Client>;
  releaseConnection(connection: pg.Client): Promise<void>;
}

/**
 * Runs the hot search statement as a named prepared statement on node-postgres, so that
 * PostgreSQL parses and plans it once per connection instead of on every request (planning is
 * about as long as executing it). The embedded database runs it as usual.
 */
async function preparedRows<T>(db: Knex, query: Knex.QueryBuilder): Promise<T[]> {
  const client = db.client as unknown as PoolClient;
  if (client.config.client !== 'pg') return (await query) as T[];
  const { sql, bindings } = query.toSQL().toNative();
  const name = `search_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
  const connection = await client.acquireConnection();
  try {
    const result = await connection.query({ name, text: sql, values: bindings as unknown[] });
    return result.rows as T[];
  } finally {
    await client.releaseConnection(connection);
  }
}

/**
 * `websearch`: operators as typed. `prefix`: every word must match, each as a prefix of a word
 * (`term`, e.g. "beratung:*") or as the end of a compound (`word`, see migration 20261124150000);
 * `text` is all terms together, for ranking.
 */
export type TextQuery =
  | { kind: 'websearch'; text: string }
  | { kind: 'prefix'; text: string; words: Array<{ term: string; word: string }> };

export interface SearchFilter {
  /** The city whose offers are searched (issue 13); the database's default city when left out. */
  cityId?: string | undefined;
  origin: { lon: number; lat: number } | null;
  radiusMeters: number;
  offerTypeIds: string[] | null;
  targetGroupIds: string[] | null;
  fieldOfActionIds: string[] | null;
  /** Every one of these accessibility features is required. */
  accessibilityIds: string[];
  languages: string[] | null;
  free: boolean;
  age: number | null;
  text: TextQuery | null;
  /** Only offers that state opening hours (the open-now filter needs them). */
  withOpeningHours: boolean;
  /** Only offers whose opening-hours value is one of these (the values open at the asked time). */
  openingHoursIn: string[] | null;
  /** `text` as the database stems its words, for the in-memory index (search-text.ts); the SQL reads `text`. */
  textWords?: readonly TextWord[] | null;
}

export interface SearchRow {
  id: string;
  offerId: string;
  locationId: string;
  name: string;
  summary: string | null;
  offerTypeCode: string;
  offerTypeLabelDe: string;
  offerTypeLabelEn: string;
  organization: string | null;
  address: SearchAddress;
  lon: number;
  lat: number;
  distanceMeters: number | null;
  openingHours: string | null;
  costKind: 'free' | 'reduced' | 'paid' | null;
  languages: string[];
  /** All taxonomy term ids of the offer (target groups, fields of action, accessibility). */
  termIds: string[];
  minAge: number | null;
  maxAge: number | null;
}

export interface SearchPage {
  rows: SearchRow[];
  /** Matches among the candidates looked at (all matches when `complete`). */
  matched: number;
  /** True when every matching offer was looked at; otherwise `matched` is a lower bound. */
  complete: boolean;
}

interface SearchRowRecord {
  id: string;
  offer_id: string;
  location_id: string;
  name: string;
  summary: string | null;
  offer_type_code: string;
  offer_type_label_de: string;
  offer_type_label_en: string;
  organization_name: string | null;
  location_name: string | null;
  street: string | null;
  house_number: string | null;
  postal_code: string | null;
  city: string | null;
  lon: number;
  lat: number;
  distance: number | null;
  opening_hours: string | null;
  cost_kind: SearchRow['costKind'];
  languages: string[] | string | null;
  term_ids: string[] | string | null;
  min_age: number | null;
  max_age: number | null;
  matched: number | string;
}

/** Arrays arrive as JS arrays from node-postgres and PGlite; "{a,b}" text is read defensively. */
function textArray(value: string[] | string | null): string[] {
  if (!value) return [];
  if (Array.isArray(value)) return value;
  return value.replace(/^\{|\}$/g, '').split(',').filter((part) => part.length > 0);
}

function toSearchRow(row: SearchRowRecord): SearchRow {
  return {
    id: row.id,
    offerId: row.offer_id,
    locationId: row.location_id,
    name: row.name,
    summary: row.summary,
    offerTypeCode: row.offer_type_code,
    offerTypeLabelDe: row.offer_type_label_de,
    offerTypeLabelEn: row.offer_type_label_en,
    organization: row.organization_name,
    address: {
      name: row.location_name,
      street: row.street,
      houseNumber: row.house_number,
      postalCode: row.postal_code,
      city: row.city,
    },
    lon: Number(row.lon),
    lat: Number(row.lat),
    distanceMeters: row.distance === null ? null : Number(row.distance),
    openingHours: row.opening_hours,
    costKind: row.cost_kind,
    languages: textArray(row.languages),
    termIds: textArray(row.term_ids),
    minAge: row.min_age,
    maxAge: row.max_age,
  };
}

// SQL fragments are composed as nested knex.raw bindings, never by string interpolation.
function originGeography(db: Knex, origin: { lon: number; lat: number }): Knex.Raw {
  return geographyFromLonLat(db, origin.lon, origin.lat);
}

/** German stemming on both sides, so "Begegnungsstaette" finds "Begegnungsstätte". */
function textSearchQuery(db: Knex, text: TextQuery): Knex.Raw {
  return text.kind === 'websearch'
    ? db.raw("websearch_to_tsquery('german', ?)", [text.text])
    : db.raw("to_tsquery('german', ?)", [text.text]);
}

/** The offer filters (everything but the place), on offers "o" and organizations "org". */
function applyOfferFilters(db: Knex, query: Knex.QueryBuilder, filter: SearchFilter): Knex.QueryBuilder {
  // Raw imported records (raw_reason) wait for a department to adopt them before citizens see them.
  whereVisibleOffer(query).whereNull('o.raw_reason');
  cityScope(query, filter.cityId, 'o');
  if (filter.offerTypeIds) query.whereIn('o.offer_type_id', filter.offerTypeIds);
  for (const termIds of [filter.targetGroupIds, filter.fieldOfActionIds]) {
    if (!termIds) continue;
    query.whereExists((sub) => {
      sub.select(db.raw('1')).from('offer_terms as ot').whereRaw('ot.offer_id = o.id').whereIn('ot.term_id', termIds);
    });
  }
  for (const termId of filter.accessibilityIds) {
    query.whereExists((sub) => {
      sub.select(db.raw('1')).from('offer_terms as ot').whereRaw('ot.offer_id = o.id').where('ot.term_id', termId);
    });
  }
  if (filter.languages) {
    const languages = filter.languages;
    query.whereExists((sub) => {
      sub.select(db.raw('1')).fromRaw('unnest(o.languages) as offer_language').whereIn('offer_language', languages);
    });
  }
  if (filter.free) query.where('o.cost_kind', 'free');
  if (filter.age !== null) {
    const age = filter.age;
    query.where((sub) => sub.whereNull('o.min_age').orWhere('o.min_age', '<=', age));
    query.where((sub) => sub.whereNull('o.max_age').orWhere('o.max_age', '>=', age));
  }
  // A query of stop words only ("die") has no lexemes and is ignored rather than matching nothing.
  // The provider's name is searched through its own expression index (migration 20261124130000).
  if (filter.text?.kind === 'websearch') {
    const tsquery = textSearchQuery(db, filter.text);
    query.whereRaw(
      "(numnode(?) = 0 or o.search_vector @@ ? or o.organization_id in (select id from organizations where to_tsvector('german', name) @@ ?))",
      [tsquery, tsquery, tsquery],
    );
  } else if (filter.text?.kind === 'prefix') {
    // Each word: the beginning of a word, the end of a compound ("Beratung" → "Schuldnerberatung",
    // migration 20261124150000) or the provider's name.
    for (const { term, word } of filter.text.words) {
      const tsquery = db.raw("to_tsquery('german', ?)", [term]);
      query.whereRaw(
        "(numnode(?) = 0 or o.search_vector @@ ? or o.search_endings @@ word_ending_query(?) or o.organization_id in (select id from organizations where to_tsvector('german', name) @@ ?))",
        [tsquery, tsquery, word, tsquery],
      );
    }
  }
  if (filter.withOpeningHours) query.whereNotNull('o.opening_hours');
  // One array binding, so that the statement text (and its prepared plan) does not depend on the list.
  if (filter.openingHoursIn) query.whereRaw('o.opening_hours = any(?::text[])', [filter.openingHoursIn as unknown as string]);
  return query;
}

const resultColumns = [
  'ol.id',
  'ol.offer_id',
  'ol.location_id',
  'o.name',
  't.code as offer_type_code',
  't.label_de as offer_type_label_de',
  't.label_en as offer_type_label_en',
  'org.name as organization_name',
  'o.opening_hours',
  'o.cost_kind',
  'o.languages',
  'o.min_age',
  'o.max_age',
] as const;

function detailColumns(db: Knex, locationAlias: string): Knex.Raw[] {
  return [
    db.raw('left(o.description, 280) as summary'),
    db.raw('??.name as location_name, ??.street, ??.house_number, ??.postal_code, ??.city', Array(5).fill(locationAlias)),
    postgis(db).x(`${locationAlias}.geom`).as('lon'),
    postgis(db).y(`${locationAlias}.geom`).as('lat'),
    db.raw('array(select ot.term_id from offer_terms ot where ot.offer_id = o.id) as term_ids'),
  ];
}

type NearbyFilter = SearchFilter & { origin: { lon: number; lat: number } };

/**
 * The nearest `candidates` locations (a KNN scan of the geography index: ORDER BY <-> LIMIT) and
 * among them the matching offer locations within the radius. ST_DWithin is not used here because
 * PostGIS underestimates it on geography by orders of magnitude (10 rows for 6,000), which makes
 * the planner join and sort every offer in the radius; the KNN scan stops after `candidates`
 * locations, and the caller widens `candidates` until enough matches are found or the radius is
 * exhausted. The cut at the radius is a prefix of the nearest-first order.
 */
function nearbyMatches(db: Knex, filter: NearbyFilter, candidates: number) {
  const origin = originGeography(db, filter.origin);
  const near = db('locations as l')
    .select('l.id', db.raw('l.geog <-> ? as distance', [origin]))
    .orderByRaw('l.geog <-> ?', [origin])
    .limit(candidates);
  const matches = applyOfferFilters(
    db,
    db
      .from('near')
      .join('offer_locations as ol', 'ol.location_id', 'near.id')
      .join('offers as o', 'o.id', 'ol.offer_id')
      .where('near.distance', '<=', filter.radiusMeters),
    filter,
  ).select('ol.id', 'near.distance');
  return { near, matches };
}

export interface NearbyStats {
  /** Locations looked at (fewer than asked: the city has no more). */
  scanned: number;
  /** Distance of the farthest location looked at. */
  horizonMeters: number | null;
}

function nearbyComplete(stats: NearbyStats, candidates: number, radiusMeters: number): boolean {
  return stats.scanned < candidates || (stats.horizonMeters !== null && stats.horizonMeters > radiusMeters);
}

/** One page of the nearest matches with all their columns, the match count and the scan's reach, in one statement. */
export async function searchNearby(
  db: Knex,
  filter: NearbyFilter,
  page: { candidates: number; limit: number; offset: number },
): Promise<SearchPage & NearbyStats> {
  const { near, matches } = nearbyMatches(db, filter, page.candidates);
  const pageIds = db.from('matches').select('id', 'distance').orderBy([{ column: 'distance' }, { column: 'id' }]).limit(page.limit).offset(page.offset);
  const records = await preparedRows<SearchRowRecord & { scanned: number | string; horizon: number | null }>(
    db,
    db
      .with('near', near)
      .with('matches', matches)
      .with('page', pageIds)
      .select(
        'stats.scanned',
        'stats.horizon',
        'stats.matched',
        'page.distance',
        ...resultColumns,
        ...detailColumns(db, 'l'),
      )
      .from(
        db.raw(
          '(select (select count(*) from near) as scanned, (select max(distance) from near) as horizon, (select count(*) from matches) as matched) as stats',
        ),
      )
      .leftJoin('page', (join) => join.on(db.raw('true')))
      .leftJoin('offer_locations as ol', 'ol.id', 'page.id')
      .leftJoin('offers as o', 'o.id', 'ol.offer_id')
      .leftJoin('locations as l', 'l.id', 'ol.location_id')
      .leftJoin('taxonomy_terms as t', 't.id', 'o.offer_type_id')
      .leftJoin('organizations as org', 'org.id', 'o.organization_id')
      .orderBy([{ column: 'page.distance' }, { column: 'page.id' }]),
  );
  const stats = records[0];
  const scanned = Number(stats?.scanned ?? 0);
  const horizonMeters = stats?.horizon === null || stats?.horizon === undefined ? null : Number(stats.horizon);
  return {
    rows: records.filter((record) => record.id !== null).map(toSearchRow),
    matched: Number(stats?.matched ?? 0),
    complete: nearbyComplete({ scanned, horizonMeters }, page.candidates, filter.radiusMeters),
    scanned,
    horizonMeters,
  };
}

/**
 * Matches without the KNN scan: within the radius via ST_DWithin (full text, whose GIN index
 * narrows better than distance), or the whole city without an origin. Ordered by distance, by
 * text rank or by name; counted up to `cap`.
 */
export async function searchByFilter(
  db: Knex,
  filter: SearchFilter,
  page: { limit: number; offset: number; cap: number },
): Promise<SearchPage> {
  const query = applyOfferFilters(
    db,
    db('offer_locations as ol')
      .join('offers as o', 'o.id', 'ol.offer_id')
      .join('locations as l', 'l.id', 'ol.location_id')
      .join('taxonomy_terms as t', 't.id', 'o.offer_type_id')
      .leftJoin('organizations as org', 'org.id', 'o.organization_id'),
    filter,
  ).select(...resultColumns, ...detailColumns(db, 'l'));
  if (filter.origin) {
    const origin = originGeography(db, filter.origin);
    query.where(postgis(db).dwithin('l.geog', origin, filter.radiusMeters));
    query.select(db.raw('ST_Distance(l.geog, ?, false) as distance', [origin]));
    query.orderByRaw('l.geog <-> ?, ol.id', [origin]);
  } else if (filter.text) {
    query.select(db.raw('null as distance'));
    query.orderByRaw('ts_rank(o.search_vector, ?) desc, lower(o.name), ol.id', [textSearchQuery(db, filter.text)]);
  } else {
    query.select(db.raw('null as distance'));
    query.orderByRaw('lower(o.name), ol.id');
  }
  // Counting stops at the cap: a search of the whole city never counts every offer.
  query.limit(page.cap + 1);
  const records = (await db
    .select('*', db.raw('count(*) over () as matched'))
    .from(query.as('capped'))
    .limit(page.limit)
    .offset(page.offset)) as SearchRowRecord[];
  let matched = Number(records[0]?.matched ?? 0);
  if (records.length === 0 && page.offset > 0) {
    const counted = (await db.from(query.clone().clearSelect().select(db.raw('1')).as('capped')).first(db.raw('count(*) as n'))) as
      | { n: number | string }
      | undefined;
    matched = Number(counted?.n ?? 0);
  }
  return { rows: records.map(toSearchRow), matched: Math.min(matched, page.cap), complete: matched <= page.cap };
}

/** A visible offer at one of its locations, with everything a result shows (the in-memory index). */
export interface SearchIndexRow extends SearchRow {
  offerTypeId: string;
  /**
   * The lexemes of `offers.search_vector` (full text in memory, search-text.ts), joined by U+001F
   * as the statement reads them: the index build splits them, a row at a time. Kept joined until
   * then, the rows of a load hold one string here instead of an array and a dozen strings, which
   * the collections during the load copy (docs/benchmarks.md, "The index load in slices").
   */
  lexemes?: string;
  /** The lexemes of `offers.search_endings` (the reversed stems, migration 20261124150000), joined alike. */
  endings?: string;
  /** The lexemes of `to_tsvector('german', organizations.name)`, joined alike. */
  organizationLexemes?: string;
}

/** A page of the index rows: the first `limit` rows by id after `afterId` (keyset paging). */
export interface SearchIndexRowsPage {
  afterId: string | null;
  limit: number;
}

/**
 * Every published, active, non-archived offer at each of its locations, with the columns of a
 * search result (the same expressions as the SQL path, so both answer alike); in one statement, or
 * one page of them by id, so that a reader of 1M rows can let other work run between the pages.
 */
export async function listSearchIndexRows(db: Knex, cityId?: string, page?: SearchIndexRowsPage | { offerIds: readonly string[] }): Promise<SearchIndexRow[]> {
  const query = applyOfferFilters(
    db,
    db('offer_locations as ol')
      .join('offers as o', 'o.id', 'ol.offer_id')
      .join('locations as l', 'l.id', 'ol.location_id')
      .join('taxonomy_terms as t', 't.id', 'o.offer_type_id')
      .leftJoin('organizations as org', 'org.id', 'o.organization_id'),
    { ...noFilter, cityId },
  ).select(
    ...resultColumns,
    ...detailColumns(db, 'l'),
    'o.offer_type_id',
    db.raw('null as distance'),
    // Joined by a control character (no lexeme holds one: the parser splits there) and split
    // here, which is much cheaper than the drivers' array parsing for 100k rows.
    db.raw('array_to_string(tsvector_to_array(o.search_vector), chr(31)) as lexemes'),
    db.raw('array_to_string(tsvector_to_array(o.search_endings), chr(31)) as endings'),
    db.raw("array_to_string(tsvector_to_array(to_tsvector('german', org.name)), chr(31)) as organization_lexemes"),
  );
  if (page && 'offerIds' in page) {
    // The rows of the offers changed since an index was built (search-index-changes.ts).
    query.whereIn('o.id', [...page.offerIds]).orderByRaw('lower(o.name), ol.id');
  } else if (page) {
    // Pages by id (keyset); the index cycle puts them in name order (listSearchIndexOrder).
    query.orderBy('ol.id').limit(page.limit);
    if (page.afterId !== null) query.where('ol.id', '>', page.afterId);
  } else {
    // The order of a search without a place (searchByFilter): the index keeps the rows in it.
    query.orderByRaw('lower(o.name), ol.id');
  }
  const records = (await query) as SearchIndexRecord[];
  return records.map(toSearchIndexRow);
}

/** The record of one index row, with its stored lexemes (listSearchIndexRows). */
export type SearchIndexRecord = SearchRowRecord & { offer_type_id: string; lexemes: string | null; endings: string | null; organization_lexemes: string | null };

/**
 * One index row: the result row with the index's fields added to it, not spread into a new
 * object. A spread copies the row's hidden class, and once a field's kind has changed (a null age,
 * then a number) V8 gives nearly every copy a class of its own: 100k classes and descriptor arrays
 * (≈ 65 MB) at 100k offers, all marked by every full collection (docs/benchmarks.md, "Fewer
 * objects per index row"; tests/unit/search-index-row-shape.test.ts).
 */
export function toSearchIndexRow(record: SearchIndexRecord): SearchIndexRow {
  return Object.assign(toSearchRow(record), {
    offerTypeId: record.offer_type_id,
    lexemes: record.lexemes ?? '',
    endings: record.endings ?? '',
    organizationLexemes: record.organization_lexemes ?? '',
  });
}

/**
 * The ids of the index rows (offer locations) in the order of a search without a place
 * (`lower(o.name), ol.id`, the database's collation): the paged read of the index comes by id and
 * is put in this order, one light statement instead of a sort per page.
 */
export async function listSearchIndexOrder(db: Knex, cityId?: string): Promise<string[]> {
  const records = (await applyOfferFilters(
    db,
    // The joins of listSearchIndexRows, so that both read the same rows.
    db('offer_locations as ol')
      .join('offers as o', 'o.id', 'ol.offer_id')
      .join('locations as l', 'l.id', 'ol.location_id')
      .join('taxonomy_terms as t', 't.id', 'o.offer_type_id'),
    { ...noFilter, cityId },
  )
    .select('ol.id')
    .orderByRaw('lower(o.name), ol.id')) as Array<{ id: string }>;
  return records.map((record) => record.id);
}

/**
 * What the database makes of one word of a prefix query (search-question.ts `buildTextQuery`): its
 * query as the SQL path asks it, whether that has any lexeme (stop words have none), and the query on
 * the reversed stems. Constant expressions: no table is read.
 */
export async function describeTextWord(db: Knex, word: { term: string; word: string }): Promise<{ query: string; nodes: number; ending: string | null }> {
  const result = (await db
    .select(
      db.raw("to_tsquery('german', ?)::text as query", [word.term]),
      db.raw("numnode(to_tsquery('german', ?)) as nodes", [word.term]),
      db.raw('word_ending_query(?)::text as ending', [word.word]),
    )
    .first()) as { query: string; nodes: number | string; ending: string | null };
  return { query: result.query, nodes: Number(result.nodes), ending: result.ending };
}

/**
 * The text rank of a full-text search without a place as the SQL path orders by it
 * (`ts_rank(o.search_vector, to_tsquery('german', text))`), for the in-memory index
 * (search-text-rank.ts): the rank of every offer whose text holds any word of the query (the GIN
 * index finds them), and `otherRank`, the rank of a text that holds none of them — the same for
 * every such text (0, or 1e-20 for words joined by `&`, as ts_rank computes it), asked of a text of
 * one lexeme no query word matches (a space: the parser never makes one). An empty text ranks 0.
 */
export async function listTextRanks(
  db: Knex,
  text: { text: string; terms: string[] },
  statementTimeoutMs: number,
  limit: number,
): Promise<{ ranks: Map<string, number>; otherRank: number }> {
  return db.transaction(async (trx) => {
    // Cancelled after the limit (57014 → 503 query_timeout): a visitor's text must not hold a session.
    await trx.raw(`set local statement_timeout = ${Math.max(1, Math.round(statementTimeoutMs))}`);
    const query = trx.raw("to_tsquery('german', ?)", [text.text]);
    // Any word: the words' queries joined by the tsquery "or" operator.
    const anyWord = trx.raw(text.terms.map(() => "to_tsquery('german', ?)").join(' || '), text.terms);
    const records = (await trx
      .from('offers as o')
      .where(trx.raw('o.search_vector @@ (?)', [anyWord]))
      .select('o.id', trx.raw('ts_rank(o.search_vector, ?) as rank', [query]))
      // The best `limit` only (the database sorts; Node receives a bounded answer): the order of the
      // SQL path, rank then name, so that ties at the cut are the same offers.
      .orderByRaw('rank desc, lower(o.name), o.id')
      .limit(limit)) as Array<{ id: string; rank: number | string }>;
    const other = (await trx.select(trx.raw("ts_rank(array_to_tsvector(array[' ']), ?) as rank", [query])).first()) as { rank: number | string };
    return { ranks: new Map(records.map((record) => [record.id, Number(record.rank)])), otherRank: Number(other.rank) };
  });
}

/** A filter every visible offer passes (what the index loads; tests start from it). */
export const noFilter: Readonly<SearchFilter> = {
  origin: null,
  radiusMeters: 0,
  offerTypeIds: null,
  targetGroupIds: null,
  fieldOfActionIds: null,
  accessibilityIds: [],
  languages: null,
  free: false,
  age: null,
  text: null,
  withOpeningHours: false,
  openingHoursIn: null,
};

/** The change counter of everything the search shows (bumped by triggers, migration 20261124140000). */
export async function readSearchGeneration(db: Knex): Promise<number> {
  const row = (await db('search_generation').first('generation')) as { generation: number | string } | undefined;
  return Number(row?.generation ?? 0);
}

/** What changed since a generation of the change counter (migration 20261206130000). */
export interface SearchChanges {
  /** The counter now (read in the same statement as the changes). */
  generation: number;
  /** The offers changed after the generation asked; null: the log cannot say (any offer may have changed, or too many did). */
  offerIds: string[] | null;
}

/**
 * The offers changed after `afterGeneration`, up to `limit` of them: null beyond, when a change
 * may touch any offer (a row without an offer), or when the log does not reach back that far.
 */
export async function readSearchChanges(db: Knex, afterGeneration: number, limit: number): Promise<SearchChanges> {
  // One statement, one snapshot: the counter and the log agree (both are written by the same
  // transactions). A row without an offer reads as '*'.
  const row = (await db
    .from('search_generation as g')
    .where('g.singleton', true)
    .first(
      'g.generation',
      'g.changes_logged_after',
      db.raw(
        `(select array_to_string(array_agg(coalesce(c.offer_id::text, '*')), ',') from (
           select distinct offer_id from search_changes where generation > ? limit ?
         ) c) as offer_ids`,
        [afterGeneration, limit + 1],
      ),
    )) as { generation: number | string; changes_logged_after: number | string | null; offer_ids: string | null } | undefined;
  const generation = Number(row?.generation ?? 0);
  const loggedAfter = row?.changes_logged_after === null || row?.changes_logged_after === undefined ? null : Number(row.changes_logged_after);
  const offerIds = row?.offer_ids ? row.offer_ids.split(',') : [];
  const readable = loggedAfter !== null && afterGeneration >= loggedAfter && generation - afterGeneration < searchChangesKeptGenerations;
  if (!readable || offerIds.length > limit || offerIds.includes('*')) return { generation, offerIds: null };
  return { generation, offerIds };
}

/** Generations whose changed offers the log keeps (migration 20261206130000 prunes older rows). */
export const searchChangesKeptGenerations = 1000;

/** The distinct opening-hours values of visible offers (the open-now filter evaluates each once). */
export async function listDistinctOpeningHours(db: Knex): Promise<string[]> {
  const rows = (await whereVisibleOffer(db('offers'), null)
    .distinct('opening_hours')
    .whereNotNull('opening_hours')) as Array<{ opening_hours: string }>;
  return rows.map((row) => row.opening_hours);
}

export async function listPublishedLanguages(db: Knex): Promise<string[]> {
  const used = whereVisibleOffer(db('offers'), null).select(db.raw('unnest(languages) as language'));
  const rows = (await db
    .from(used.as('used'))
    .select('language')
    .groupBy('language')
    .orderByRaw('count(*) desc, language')
    .limit(60)) as Array<{ language: string }>;
  return rows.map((row) => row.language);
}

export interface OfferDetailRecord {
  id: string;
  name: string;
  alternateName: string | null;
  description: string | null;
  status: 'active' | 'inactive' | 'temporarily_closed' | 'defunct';
  offerTypeId: string;
  minAge: number | null;
  maxAge: number | null;
  costKind: 'free' | 'reduced' | 'paid' | null;
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
  verifiedAt: Date | null;
  updatedAt: Date;
  source: { source: string; externalId: string } | null;
  organization: { name: string; website: string | null; email: string | null; phone: string | null } | null;
  department: { name: string; email: string | null; phone: string | null };
  termIds: string[];
}

interface OfferDetailRow {
  id: string;
  name: string;
  alternate_name: string | null;
  description: string | null;
  status: OfferDetailRecord['status'];
  offer_type_id: string;
  min_age: number | null;
  max_age: number | null;
  cost_kind: OfferDetailRecord['costKind'];
  cost_text: string | null;
  languages: string[] | string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  opening_hours: string | null;
  opening_hours_note: string | null;
  reach_kind: OfferDetailRecord['reachKind'];
  reach_meters: number | null;
  capacity: number | null;
  capacity_unit: string | null;
  verified_at: Date | string | null;
  updated_at: Date | string;
  source: string | null;
  external_id: string | null;
  organization_name: string | null;
  organization_website: string | null;
  organization_email: string | null;
  organization_phone: string | null;
  department_name: string;
  department_email: string | null;
  department_phone: string | null;
  term_ids: string[] | string | null;
}

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** A published, active, non-archived offer, or undefined. */
export async function findPublicOffer(db: Knex, id: string, cityId?: string): Promise<OfferDetailRecord | undefined> {
  const row = (await cityScope(db('offers as o'), cityId, 'o')
    .join('departments as d', 'd.id', 'o.department_id')
    .leftJoin('organizations as org', 'org.id', 'o.organization_id')
    .where('o.id', id)
    .where((visible) => whereVisibleOffer(visible))
    .whereNull('o.raw_reason')
    .first(
      'o.id',
      'o.name',
      'o.alternate_name',
      'o.description',
      'o.status',
      'o.offer_type_id',
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
      'o.updated_at',
      'o.source',
      'o.external_id',
      'org.name as organization_name',
      'org.website as organization_website',
      'org.email as organization_email',
      'org.phone as organization_phone',
      'd.name as department_name',
      'd.email as department_email',
      'd.phone as department_phone',
      db.raw('array(select ot.term_id from offer_terms ot where ot.offer_id = o.id) as term_ids'),
    )) as OfferDetailRow | undefined;
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    alternateName: row.alternate_name,
    description: row.description,
    status: row.status,
    offerTypeId: row.offer_type_id,
    minAge: row.min_age,
    maxAge: row.max_age,
    costKind: row.cost_kind,
    costText: row.cost_text,
    languages: textArray(row.languages),
    email: row.email,
    phone: row.phone,
    website: row.website,
    openingHours: row.opening_hours,
    openingHoursNote: row.opening_hours_note,
    reachKind: row.reach_kind,
    reachMeters: row.reach_meters,
    capacity: row.capacity === null ? null : Number(row.capacity),
    capacityUnit: row.capacity_unit,
    verifiedAt: row.verified_at === null ? null : toDate(row.verified_at),
    updatedAt: toDate(row.updated_at),
    source: row.source !== null && row.external_id !== null ? { source: row.source, externalId: row.external_id } : null,
    organization: row.organization_name
      ? {
          name: row.organization_name,
          website: row.organization_website,
          email: row.organization_email,
          phone: row.organization_phone,
        }
      : null,
    department: { name: row.department_name, email: row.department_email, phone: row.department_phone },
    termIds: textArray(row.term_ids),
  };
}

export interface OfferLocationRecord {
  id: string;
  address: SearchAddress;
  accessibilityNote: string | null;
  lon: number;
  lat: number;
  areas: Array<{ level: AreaLevel; name: string }>;
}

export async function listOfferLocations(db: Knex, offerId: string): Promise<OfferLocationRecord[]> {
  const rows = (await db('offer_locations as ol')
    .join('locations as l', 'l.id', 'ol.location_id')
    .where('ol.offer_id', offerId)
    .select(
      'l.id',
      'l.name',
      'l.street',
      'l.house_number',
      'l.postal_code',
      'l.city',
      'l.accessibility_note',
      postgis(db).x('l.geom').as('lon'),
      postgis(db).y('l.geom').as('lat'),
      db.raw(
        `coalesce((select json_agg(json_build_object('level', a.level, 'name', a.name)
                     order by array_position(array['city','district','sozialraum','quarter'], a.level))
                     from location_areas la join areas a on a.id = la.area_id
                    where la.location_id = l.id), '[]'::json) as areas`,
      ),
    )
    .orderBy('l.name')
    .orderBy('l.id')) as Array<{
    id: string;
    name: string | null;
    street: string | null;
    house_number: string | null;
    postal_code: string | null;
    city: string | null;
    accessibility_note: string | null;
    lon: number;
    lat: number;
    areas: Array<{ level: AreaLevel; name: string }> | string;
  }>;
  return rows.map((row) => ({
    id: row.id,
    address: {
      name: row.name,
      street: row.street,
      houseNumber: row.house_number,
      postalCode: row.postal_code,
      city: row.city,
    },
    accessibilityNote: row.accessibility_note,
    lon: Number(row.lon),
    lat: Number(row.lat),
    areas: typeof row.areas === 'string' ? (JSON.parse(row.areas) as OfferLocationRecord['areas']) : row.areas,
  }));
}

/**
 * The exact number of matches within the radius (the KNN scan counts only its candidates). The same
 * filter as the index and the page, so that a search gives one count whichever path answers it.
 */
export async function countWithinRadius(db: Knex, filter: SearchFilter & { origin: { lon: number; lat: number } }): Promise<number> {
  const query = applyOfferFilters(
    db,
    db('offer_locations as ol')
      .join('offers as o', 'o.id', 'ol.offer_id')
      .join('locations as l', 'l.id', 'ol.location_id')
      .leftJoin('organizations as org', 'org.id', 'o.organization_id'),
    filter,
  ).where(postgis(db).dwithin('l.geog', originGeography(db, filter.origin), filter.radiusMeters));
  const row = (await query.first(db.raw('count(*) as n'))) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/** The Stadtteil (Sozialraum) and Stadtbezirk a point lies in, by name; null where none covers it. */
/** The city's current Sozialräume and districts, by name: what a search origin is placed in (search-area-names.ts). */
export async function listOriginAreaShapes(
  db: Knex,
  cityId?: string,
): Promise<Array<{ level: 'sozialraum' | 'district'; name: string; geometry: Polygon | MultiPolygon }>> {
  // Every digit a double holds (the default is 9): the test against the boundary stays the stored one.
  const rows = (await cityScope(db('areas'), cityId)
    .select('level', 'name', postgis(db).asGeoJSONRounded('geom', 15).as('geometry'))
    .whereIn('level', ['sozialraum', 'district'])
    .whereNull('valid_to')
    .orderBy('name')
    .orderBy('id')) as Array<{ level: 'sozialraum' | 'district'; name: string; geometry: string }>;
  return rows.map((row) => ({ level: row.level, name: row.name, geometry: JSON.parse(row.geometry) as Polygon | MultiPolygon }));
}
