import type { Knex } from 'knex';
import type { GeocodingService } from '../geocoding/geocoding.service.ts';
import { createStreetKernel, type StreetKernel } from '../streets/streets.service.ts';
import type { TaxonomiesService } from '../taxonomies/taxonomies.service.ts';
import type { OpeningHoursEvaluator } from '../shared/opening-hours.ts';
import { createAnswerCache } from './search-answer-cache.ts';
import { createSearchIndexCycle, type IndexInUse } from './search-index-cycle.ts';
import { createIndexPreparer } from './search-prepare.ts';
import { resultJsonParts, searchResponseBody, type RequestFields } from './search-json.ts';
import { offerDetail } from './search-offer-detail.ts';
import type { SearchIndex } from './search-index.ts';
import { findPage, type FoundPage, type PageRows } from './search-page.ts';
import { createTextRanks } from './search-text-rank.ts';
import { pickRows, walkingOrder, walkingOrderWindow } from './search-walking-order.ts';
import { windowPage, type WindowPage, type WindowWalk } from './search-window.ts';
import type { SearchThread } from './search-thread.ts';
import { createAreaNames } from './search-area-names.ts';
import { buildFilter, createTextWords, momentOf, resolveOrigin } from './search-question.ts';
import { createTermCodes, requestFieldsOf, resultOf, walkingSpeedKmh } from './search-results.ts';
import { createSearchTaxonomy, searchOptionsOf } from './search-taxonomy.ts';
import { listDistinctOpeningHours, listPublishedLanguages, type SearchFilter } from './search.repo.ts';
import {
  fewResultsThreshold,
  type OfferDetail,
  type SearchOptions,
  type SearchOrigin,
  type SearchQuery,
  type SearchResponse,
  type SearchResult,
  type WalkingDistanceMethod,
} from './search.schema.ts';

/** The widest radius a search may ask for (search.schema.ts); the nearest offers beyond are looked for within it. */
const maximumSearchRadius = 50_000;
/** The target group of offers open to everyone (geodata/taxonomies.json). */
const everyoneCode = 'everyone';

// The search service composes named parts: the question (search-question.ts), the taxonomy
// (search-taxonomy.ts), the index life cycle (search-index-cycle.ts), one page of rows
// (search-page.ts), the results (search-results.ts), the answer cache (search-answer-cache.ts) and
// the offer detail (search-offer-detail.ts).

export interface SearchService {
  search(query: SearchQuery): Promise<SearchResponse>;
  /** The same answer as UTF-8 JSON, written from parts kept per offer of the index (search-json.ts). */
  searchBody(query: SearchQuery): Promise<Buffer>;
  options(): Promise<SearchOptions>;
  offer(id: string): Promise<OfferDetail>;
  /** Builds the in-memory index now if it is missing or stale; resolves whether it is in use. */
  warmIndex(): Promise<boolean>;
  /** How many pages of results (a search's own, and those of its fallbacks) the index and SQL found so far. */
  pagesFound(): Readonly<{ index: number; sql: number }>;
}

export interface SearchServiceDependencies {
  db: Knex;
  geocoding: GeocodingService;
  /**
   * The street kernel (server/streets) for walking distances; app.ts passes the one of the process,
   * without it the service makes its own (tests).
   */
  streets?: StreetKernel;
  /** The only reader of taxonomy terms. */
  taxonomies: TaxonomiesService;
  openingHours: OpeningHoursEvaluator;
  now?: () => Date;
  /** How long the taxonomy (codes → ids, labels) is kept in memory, and how often the areas held for the origins' names (search-area-names.ts) are checked for a new version. */
  taxonomyTtlMs?: number;
  /**
   * The in-memory search index (docs/search.md): on unless `enabled` is false. Its change counter is
   * read at most every `checkIntervalMs` (default 1000), which bounds how stale an answer can be.
   * A stale index answers the searches no changed offer touches until its successor is in use
   * (`answerWhileStale`, default true), which starts `rebuildDelayMs` after the change (default 0).
   */
  index?: { enabled?: boolean; checkIntervalMs?: number; rebuildDelayMs?: number; answerWhileStale?: boolean };
  /** The city this process serves (issue 13); the database's default city when left out. */
  cityId?: string;
  /**
   * The thread that answers the walking-order window from a copy of the index (search-thread.ts);
   * the index cycle sends it each index it builds. Without one, or while it does not hold the
   * current index, the window is found on this thread.
   */
  thread?: SearchThread | undefined;
}

/** An answer before its results are written out: as objects (`search`) or as JSON (`searchBody`). */
interface SearchAnswer {
  envelope: Omit<SearchResponse, 'results'>;
  page: PageRows;
  fields: RequestFields[];
}

/** One method for the whole answer: the results' own, 'mixed' when they differ, else what is available. */
function answerMethod(
  origin: SearchOrigin | null,
  fields: readonly RequestFields[],
  networkAvailable: boolean,
): SearchResponse['walkingDistanceMethod'] {
  if (!origin) return null;
  const methods = new Set(fields.map((item) => item.walkingDistanceMethod).filter((method) => method !== null));
  if (methods.size > 1) return 'mixed';
  return (methods.values().next().value as WalkingDistanceMethod | undefined) ?? (networkAvailable ? 'network' : 'detour_factor');
}

/** Distinct opening-hours values, refreshed every minute (a new value waits at most that long). */
function cachedDistinctOpeningHours(db: Knex): () => Promise<string[]> {
  let cached: { loadedAt: number; values: Promise<string[]> } | null = null;
  return () => {
    if (!cached || Date.now() - cached.loadedAt > 60_000) {
      const values = listDistinctOpeningHours(db);
      cached = { loadedAt: Date.now(), values };
      values.catch(() => {
        cached = null;
      });
    }
    return cached.values;
  };
}

// eslint-disable-next-line max-lines-per-function -- a service factory: a closure over its injected dependencies; each method is counted on its own
export function createSearchService(deps: SearchServiceDependencies): SearchService {
  const { db, geocoding, openingHours } = deps;
  const now = deps.now ?? (() => new Date());
  const streets = deps.streets ?? createStreetKernel({ db, ...(deps.cityId === undefined ? {} : { cityId: deps.cityId }) });
  const taxonomy = createSearchTaxonomy(deps.taxonomies, deps.taxonomyTtlMs ?? 60_000);
  const indexCycle = createSearchIndexCycle(db, {
    enabled: deps.index?.enabled !== false,
    checkIntervalMs: deps.index?.checkIntervalMs ?? 1000,
    ...(deps.index?.rebuildDelayMs === undefined ? {} : { rebuildDelayMs: deps.index.rebuildDelayMs }),
    ...(deps.index?.answerWhileStale === undefined ? {} : { answerWhileStale: deps.index.answerWhileStale }),
    cityId: deps.cityId,
    onRows: deps.thread ? (rows) => deps.thread!.copyRows(rows) : undefined,
  });
  // A search thread that stopped while it held the index in use gets a new copy with a new build.
  deps.thread?.onCopyLost(() => indexCycle.refresh());
  const answerCache = createAnswerCache();
  const codesOf = createTermCodes();
  const distinctOpeningHours = cachedDistinctOpeningHours(db);
  const textWordsOf = createTextWords(db);
  const textRanks = createTextRanks(db);
  const prepareIndex = createIndexPreparer();
  const areaNamesAt = createAreaNames(db, deps.cityId, deps.taxonomyTtlMs ?? 60_000);
  /**
   * The opening-hours values open at one moment, of the index's rows and of the offers changed
   * since (the SQL path then asks for every value an offer has now): one list per index, its
   * changes and minute.
   */
  let openValues: { all: readonly string[]; at: number; values: string[] } | null = null;
  const openValuesOf = ({ index, changes }: IndexInUse, at: Date): string[] => {
    const all = changes ? changes.openingHoursValues : index.openingHoursValues;
    if (openValues?.all !== all || openValues.at !== at.getTime()) {
      openValues = { all, at: at.getTime(), values: all.filter((value) => openingHours.state(value, at).status === 'open') };
    }
    return openValues.values;
  };

  /**
   * The index for one page: the one in use when it is current, or when no offer changed since it
   * was built touches the page; else null (SQL answers). A page of the walking-order window comes
   * from the nearest `walkingOrderWindow` matches alone (search-window.ts): changed rows farther
   * than the farthest of them leave it as it is and change only its total, by `totalChange`.
   */
  async function indexFor(
    inUse: IndexInUse | null,
    filter: SearchFilter,
    origin: SearchOrigin | null,
    page: { limit: number; offset: number },
  ): Promise<{ index: SearchIndex; totalChange: number } | null> {
    if (!inUse) return null;
    const { index, changes } = inUse;
    if (!changes) return { index, totalChange: 0 };
    await prepareIndex(index, filter, { byName: false });
    if (!changes.touches(filter)) return { index, totalChange: 0 };
    if (origin && filter.origin && page.offset + page.limit <= walkingOrderWindow) {
      const nearest = index.nearest({ ...filter, origin: filter.origin }, walkingOrderWindow);
      // Fewer matches than the window within the radius: all of them are in it (touched, as above).
      const count = nearest.distances.length;
      if (count === walkingOrderWindow && !changes.touches(filter, nearest.distances[count - 1]!)) return { index, totalChange: changes.totalChange(filter) };
    }
    return null;
  }

  /** Walks of the window on the street kernel (in the walking thread where there is one). */
  const walkOnStreets: WindowWalk = (origin, lons, lats, listed, needed) => streets.walkingMeters(origin, lons, lats, { listed, needed });

  /**
   * A page of the walking-order window: from the search thread when it holds this index (and the
   * filter's preparation then runs there), else here.
   */
  async function windowOf(index: SearchIndex, filter: SearchFilter & { origin: { lon: number; lat: number } }, page: { limit: number; offset: number }): Promise<WindowPage> {
    const network = deps.thread ? await streets.current() : null;
    const fromThread = network ? await deps.thread!.window(index, network, filter, page) : null;
    if (fromThread) return fromThread;
    await prepareIndex(index, filter, { byName: false });
    return windowPage(index, filter, page, walkOnStreets);
  }

  const pagesFound = { index: 0, sql: 0 };

  /** The rows of one page in the order shown, with their request fields. */
  async function orderedPage(
    inUse: IndexInUse | null,
    filter: SearchFilter,
    origin: SearchOrigin | null,
    at: Date,
    page: { limit: number; offset: number },
  ): Promise<{ found: FoundPage; fields: RequestFields[]; sortedBy: SearchResponse['sortedBy'] }> {
    const source = await indexFor(inUse, filter, origin, page);
    const index = source?.index ?? null;
    if (index) pagesFound.index += 1;
    else pagesFound.sql += 1;
    if (origin && filter.origin && source && page.offset + page.limit <= walkingOrderWindow) {
      // From the index: the window's places and airline distances only; rows and request fields
      // for the page's rows alone (the same answer as below, without 200 rows and fields per search).
      const window = await windowOf(source.index, { ...filter, origin: filter.origin }, page);
      const { ordinals, distances, meters, overNetwork } = window;
      const total = window.total + source.totalChange;
      const { rows, positions, openingHours: hours } = source.index.pageAt(ordinals, total);
      const pageRows: PageRows = { rows, distances, positions, openingHours: hours, fromIndex: { index: source.index, ordinals } };
      const fields = await requestFieldsOf({ streets, openingHours }, pageRows, origin, at, { meters, overNetwork });
      return { found: { page: pageRows, total, totalIsCapped: false }, fields, sortedBy: 'walking' };
    }
    // A filter the index has not kept yet is made now, in slices and taking turns; the index's
    // methods below then find it kept.
    if (index) await prepareIndex(index, filter, { byName: !filter.origin });
    if (origin && page.offset + page.limit <= walkingOrderWindow) {
      const window = await findPage(db, index, filter, { limit: walkingOrderWindow, offset: 0 }, textRanks);
      const windowFields = await requestFieldsOf({ streets, openingHours }, window.page, origin, at);
      const chosen = walkingOrder(window.page.rows, windowFields).slice(page.offset, page.offset + page.limit);
      return {
        found: { ...window, page: pickRows(window.page, chosen) },
        fields: chosen.map((position) => windowFields[position]!),
        sortedBy: 'walking',
      };
    }
    const found = await findPage(db, index, filter, page, textRanks);
    const fields = await requestFieldsOf({ streets, openingHours }, found.page, origin, at);
    return { found, fields, sortedBy: origin ? 'distance' : filter.text ? 'relevance' : 'name' };
  }

  /**
   * A search that finds few offers within the radius does not end there: the nearest matches beyond
   * it, and, for a target group, offers open to everyone within it (docs/search.md).
   */
  async function fallbacks(
    inUse: IndexInUse | null,
    filter: SearchFilter,
    origin: SearchOrigin,
    at: Date,
    query: SearchQuery,
    shownIds: ReadonlySet<string>,
  ): Promise<{ beyondRadius: SearchResult[]; openToEveryone: SearchResult[] }> {
    const cache = await taxonomy.current();
    const results = (found: FoundPage, fields: RequestFields[], positions: number[]) =>
      positions.map((position) => resultOf(found.page.rows[position]!, fields[position]!, codesOf(cache, found.page.rows[position]!.termIds)));
    let beyondRadius: SearchResult[] = [];
    if (query.radius < maximumSearchRadius) {
      const wideFilter = { ...filter, radiusMeters: maximumSearchRadius };
      const wide = await orderedPage(inUse, wideFilter, origin, at, { limit: 50, offset: 0 });
      const outside = wide.fields
        .map((field, position) => ({ field, position }))
        .filter(({ field, position }) => (field.distanceMeters ?? 0) > query.radius && !shownIds.has(wide.found.page.rows[position]!.id))
        .slice(0, 3)
        .map(({ position }) => position);
      beyondRadius = results(wide.found, wide.fields, outside);
    }
    let openToEveryone: SearchResult[] = [];
    if (query.targetGroup && !query.targetGroup.includes(everyoneCode)) {
      const everyone = await taxonomy.resolveCodes('target_group', [everyoneCode], 'query.targetGroup', false, []);
      if (everyone && everyone.length > 0) {
        const everyoneFilter = { ...filter, targetGroupIds: everyone };
        const open = await orderedPage(inUse, everyoneFilter, origin, at, { limit: 10, offset: 0 });
        const positions = open.found.page.rows
          .map((row, position) => ({ row, position }))
          .filter(({ row }) => !shownIds.has(row.id))
          .slice(0, 5)
          .map(({ position }) => position);
        openToEveryone = results(open.found, open.fields, positions);
      }
    }
    return { beyondRadius, openToEveryone };
  }

  async function answer(query: SearchQuery): Promise<SearchAnswer> {
    const at = momentOf(query, openingHours, now);
    const resolved = await resolveOrigin(geocoding, query);
    const areaNames = resolved ? await areaNamesAt(resolved) : null;
    // Written out field by field: in V8 (Node 20) an object spread followed by a field the source
    // lacks gets a map of its own, every time. Each such object then took a new map and descriptor
    // array, its garbage survived the young generation's collections, and the code reading it saw
    // a new shape per search (docs/benchmarks.md, "Spread objects and the young generation").
    const origin: SearchOrigin | null = resolved
      ? {
          lon: resolved.lon,
          lat: resolved.lat,
          label: resolved.label,
          source: resolved.source,
          precision: resolved.precision,
          areaName: areaNames?.sozialraum ?? null,
          districtName: areaNames?.district ?? null,
        }
      : null;
    const filter: SearchFilter = await buildFilter(taxonomy, query, origin, deps.cityId);
    const offset = (query.page - 1) * query.pageSize;
    // The index answers the filters with or without a place, and full text (its words stemmed by
    // the database, kept; without a place ordered by the database's ts_rank, search-text-rank.ts);
    // SQL answers websearch syntax.
    if (filter.text) filter.textWords = await textWordsOf(filter.text);
    const indexable = !filter.text || filter.textWords !== null;
    const inUse = indexable ? await indexCycle.current() : null;
    if (query.openNow === true || query.at !== undefined) {
      // Opening hours are rules, not columns: each distinct value is evaluated once per minute (and
      // index), and the search keeps the offers whose value is open at that moment.
      filter.openingHoursIn = inUse ? openValuesOf(inUse, at) : (await distinctOpeningHours()).filter((value) => openingHours.state(value, at).status === 'open');
    }
    const { found, fields, sortedBy } = await orderedPage(inUse, filter, origin, at, { limit: query.pageSize, offset });
    const { page, total, totalIsCapped } = found;
    const extra =
      origin && total < fewResultsThreshold
        ? await fallbacks(inUse, filter, origin, at, query, new Set(page.rows.map((row) => row.id)))
        : { beyondRadius: [], openToEveryone: [] };
    const networkAvailable = (await streets.current()).network !== null;
    const count = page.rows.length;
    const envelope: Omit<SearchResponse, 'results'> = {
      origin,
      at: openingHours.formatInstant(at),
      radiusMeters: origin ? query.radius : null,
      walkingDistanceMethod: answerMethod(origin, fields, networkAvailable),
      walking: { detourFactor: streets.detourFactor, speedKmh: walkingSpeedKmh, networkAvailable },
      page: query.page,
      pageSize: query.pageSize,
      total,
      totalIsCapped,
      hasMore: offset + count < total || (totalIsCapped && count === query.pageSize),
      sortedBy,
      beyondRadius: extra.beyondRadius,
      openToEveryone: extra.openToEveryone,
    };
    return { envelope, page, fields };
  }

  return {
    async search(query) {
      const { envelope, page, fields } = await answer(query);
      const cache = await taxonomy.current();
      return { ...envelope, results: page.rows.map((row, position) => resultOf(row, fields[position]!, codesOf(cache, row.termIds))) };
    },

    async searchBody(query) {
      const { envelope, page, fields } = await answer(query);
      const cache = await taxonomy.current();
      const memory = page.fromIndex ? answerCache.memoryOf(page.fromIndex.index, cache) : null;
      const results = page.rows.map((row, position) => {
        const ordinal = page.fromIndex?.ordinals[position];
        let parts = memory && ordinal !== undefined ? memory.byOrdinal[ordinal] : undefined;
        if (!parts) {
          parts = resultJsonParts(resultOf(row, fields[position]!, codesOf(cache, row.termIds)));
          if (memory && ordinal !== undefined) answerCache.remember(memory, ordinal, parts);
        }
        return { fields: fields[position]!, parts };
      });
      return searchResponseBody(envelope, results);
    },

    async options() {
      const [cache, languages] = await Promise.all([taxonomy.current(), listPublishedLanguages(db)]);
      return searchOptionsOf(cache, languages);
    },

    warmIndex() {
      return indexCycle.warm();
    },

    pagesFound() {
      return { ...pagesFound };
    },

    offer(id) {
      return offerDetail({ db, cityId: deps.cityId, openingHours, taxonomy: () => taxonomy.current(), now }, id);
    },
  };
}
