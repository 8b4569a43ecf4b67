import type { Knex } from 'knex';
import type { GeocodingService } from '../geocoding/geocoding.service.ts';
import { walkingDetourFactor } from '../geocoding/street-network.ts';
import type { OpeningHoursEvaluator } from './opening-hours.ts';
import { createAnswerCache } from './search-answer-cache.ts';
import { createSearchIndexCycle } from './search-index-cycle.ts';
import { resultJsonParts, searchResponseBody, type RequestFields } from './search-json.ts';
import { offerDetail } from './search-offer-detail.ts';
import { findPage, type PageRows } from './search-page.ts';
import { buildFilter, momentOf, resolveOrigin } from './search-question.ts';
import { createTermCodes, requestFieldsOf, resultOf, walkingSpeedKmh } from './search-results.ts';
import { createSearchTaxonomy, type Taxonomy } from './search-taxonomy.ts';
import { listDistinctOpeningHours, listPublishedLanguages } from './search.repo.ts';
import type {
  OfferDetail,
  SearchOptionTerm,
  SearchOptions,
  SearchOrigin,
  SearchQuery,
  SearchResponse,
  WalkingDistanceMethod,
} from './search.schema.ts';

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
}

export interface SearchServiceDependencies {
  db: Knex;
  geocoding: GeocodingService;
  openingHours: OpeningHoursEvaluator;
  now?: () => Date;
  /** How long the taxonomy (codes → ids, labels) is kept in memory. */
  taxonomyTtlMs?: number;
  /**
   * The in-memory search index (docs/search.md): on unless `enabled` is false. Its change counter is
   * read at most every `checkIntervalMs` (default 1000), which bounds how stale an answer can be.
   */
  index?: { enabled?: boolean; checkIntervalMs?: number };
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

export function createSearchService(deps: SearchServiceDependencies): SearchService {
  const { db, geocoding, openingHours } = deps;
  const now = deps.now ?? (() => new Date());
  const taxonomy = createSearchTaxonomy(db, deps.taxonomyTtlMs ?? 60_000);
  const indexCycle = createSearchIndexCycle(db, {
    enabled: deps.index?.enabled !== false,
    checkIntervalMs: deps.index?.checkIntervalMs ?? 1000,
  });
  const answerCache = createAnswerCache();
  const codesOf = createTermCodes();
  let openingHoursValues: { loadedAt: number; values: Promise<string[]> } | null = null;

  /** Distinct opening-hours values, refreshed every minute (a new value waits at most that long). */
  function distinctOpeningHours(): Promise<string[]> {
    if (!openingHoursValues || Date.now() - openingHoursValues.loadedAt > 60_000) {
      const values = listDistinctOpeningHours(db);
      openingHoursValues = { loadedAt: Date.now(), values };
      values.catch(() => {
        openingHoursValues = null;
      });
    }
    return openingHoursValues.values;
  }

  async function answer(query: SearchQuery): Promise<SearchAnswer> {
    const at = momentOf(query, openingHours, now);
    const origin = await resolveOrigin(geocoding, query);
    const filter = await buildFilter(taxonomy, query, origin);
    const offset = (query.page - 1) * query.pageSize;
    // The index answers what has a place and no full text; the SQL path everything else.
    const index = filter.origin && !filter.text ? await indexCycle.current() : null;
    if (query.openNow === true || query.at !== undefined) {
      // Opening hours are rules, not columns: each distinct value is evaluated here once, and the
      // search keeps the offers whose value is open at that moment.
      const values = index ? index.openingHoursValues : await distinctOpeningHours();
      filter.openingHoursIn = values.filter((value) => openingHours.state(value, at).status === 'open');
    }
    const { page, total, totalIsCapped } = await findPage(db, index, filter, { limit: query.pageSize, offset });
    const fields = await requestFieldsOf({ geocoding, openingHours }, page, origin, at);
    const networkAvailable = await geocoding.hasNetwork();
    const count = page.rows.length;
    const envelope: Omit<SearchResponse, 'results'> = {
      origin,
      at: openingHours.formatInstant(at),
      radiusMeters: origin ? query.radius : null,
      walkingDistanceMethod: answerMethod(origin, fields, networkAvailable),
      walking: { detourFactor: walkingDetourFactor, speedKmh: walkingSpeedKmh, networkAvailable },
      page: query.page,
      pageSize: query.pageSize,
      total,
      totalIsCapped,
      hasMore: offset + count < total || (totalIsCapped && count === query.pageSize),
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
      const terms = (kind: Taxonomy): SearchOptionTerm[] =>
        [...(cache.byCode.get(kind)?.values() ?? [])]
          .sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code))
          .map((term) => ({
            code: term.code,
            parent: term.parentId ? (cache.byId.get(term.parentId)?.code ?? null) : null,
            label: { de: term.labelDe, en: term.labelEn },
          }));
      return {
        offerTypes: terms('offer_type'),
        targetGroups: terms('target_group'),
        fieldsOfAction: terms('field_of_action'),
        accessibility: terms('accessibility'),
        languages,
      };
    },

    warmIndex() {
      return indexCycle.warm();
    },

    offer(id) {
      return offerDetail({ db, openingHours, taxonomy: () => taxonomy.current(), now }, id);
    },
  };
}
