import type { Knex } from 'knex';
import type { GeocodingService } from '../geocoding/geocoding.service.ts';
import { walkingDetourFactor } from '../geocoding/street-network.ts';
import { NotFoundError, ValidationError, type FieldError } from '../http/errors.ts';
import type { OpeningHoursEvaluator, OpeningState } from '../shared/opening-hours.ts';
import { buildSearchIndex, type SearchIndex } from './search-index.ts';
import { resultJsonParts, searchResponseBody, type RequestFields, type ResultJsonParts } from './search-json.ts';
import {
  findPublicOffer,
  listDistinctOpeningHours,
  listOfferLocations,
  listPublishedLanguages,
  listSearchIndexRows,
  listTaxonomyTerms,
  readSearchGeneration,
  searchByFilter,
  searchNearby,
  type SearchFilter,
  type SearchRow,
  type TaxonomyTermRow,
  type TextQuery,
} from './search.repo.ts';
import {
  searchResultCap,
  type OfferDetail,
  type OpeningSummary,
  type SearchOptionTerm,
  type SearchOptions,
  type SearchOrigin,
  type SearchQuery,
  type SearchResponse,
  type SearchResult,
  type TermRef,
  type WalkingDistanceMethod,
} from './search.schema.ts';

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

/** Pace of older pedestrians used for minutes (PRODUCT.md: about 3 km/h at 75–85). */
export const walkingSpeedKmh = 3;
/** An address found with a lower score is not trusted as the search origin. */
const minimumAddressScore = 0.6;
/** How many index rows keep their JSON between searches (search-json.ts). */
const rowMemoryLimit = 20_000;
/** The KNN scan starts with at least this many nearest locations and widens up to the maximum. */
const minimumCandidates = 32;
const maximumCandidates = 65_536;

function initialCandidates(needed: number): number {
  let candidates = minimumCandidates;
  while (candidates < needed * 1.25) candidates *= 2;
  return candidates;
}

type Taxonomy = TaxonomyTermRow['taxonomy'];

interface TaxonomyCache {
  loadedAt: number;
  byId: Map<string, TaxonomyTermRow>;
  byCode: Map<Taxonomy, Map<string, TaxonomyTermRow>>;
  children: Map<string, string[]>;
}

function buildTaxonomyCache(rows: TaxonomyTermRow[], loadedAt: number): TaxonomyCache {
  const cache: TaxonomyCache = { loadedAt, byId: new Map(), byCode: new Map(), children: new Map() };
  for (const row of rows) {
    cache.byId.set(row.id, row);
    const codes = cache.byCode.get(row.taxonomy) ?? new Map<string, TaxonomyTermRow>();
    codes.set(row.code, row);
    cache.byCode.set(row.taxonomy, codes);
    if (row.parentId) cache.children.set(row.parentId, [...(cache.children.get(row.parentId) ?? []), row.id]);
  }
  return cache;
}

const taxonomyWords: Record<Taxonomy, string> = {
  offer_type: 'offer type',
  target_group: 'target group',
  field_of_action: 'field of action',
  accessibility: 'accessibility feature',
};

/**
 * Operators of websearch syntax ("…" phrases, -exclusion, or) are passed on as typed; plain words
 * become prefix terms, so "Senioren" also finds "Seniorentreff" and typing need not finish a word,
 * and each also matches the end of a compound ("Beratung" finds "Schuldnerberatung").
 */
export function buildTextQuery(text: string): TextQuery | null {
  if (/"|(^|\s)-\S|\s(or|OR)\s/.test(text)) return { kind: 'websearch', text };
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  // "ae", "oe", "ue" typed for ä, ö, ü: PostgreSQL 18's German stemmer folds them, PostgreSQL 15's
  // does not, so such a word also asks for its umlaut spelling ("Begegnungsstaette").
  const term = (word: string) => {
    const umlauts = word.replace(/ae/g, 'ä').replace(/oe/g, 'ö').replace(/ue/g, 'ü');
    return umlauts === word ? `${word}:*` : `(${word}:* | ${umlauts}:*)`;
  };
  const terms = words.slice(0, 8).map((word) => ({ term: term(word), word }));
  return { kind: 'prefix', text: terms.map((item) => item.term).join(' & '), words: terms };
}

function termRef(term: TaxonomyTermRow): TermRef {
  return { code: term.code, label: { de: term.labelDe, en: term.labelEn } };
}

function openingSummary(state: OpeningState): OpeningSummary {
  return { status: state.status, opensAt: state.opensAt, closesAt: state.closesAt, comment: state.comment };
}

export function createSearchService(deps: SearchServiceDependencies): SearchService {
  const { db, geocoding, openingHours } = deps;
  const now = deps.now ?? (() => new Date());
  const taxonomyTtlMs = deps.taxonomyTtlMs ?? 60_000;
  let taxonomy: TaxonomyCache | null = null;
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
  let taxonomyLoading: Promise<TaxonomyCache> | null = null;
  const indexEnabled = deps.index?.enabled !== false;
  const indexCheckIntervalMs = deps.index?.checkIntervalMs ?? 1000;
  let searchIndex: SearchIndex | null = null;
  /** The newest change counter read from the database (it only grows). */
  let knownGeneration = -1;
  let lastCheckAt = Number.NEGATIVE_INFINITY;
  let checking: Promise<void> | null = null;
  let building: Promise<void> | null = null;

  function indexIsCurrent(): boolean {
    return searchIndex !== null && searchIndex.generation >= knownGeneration;
  }

  /** Loads all visible offers in the background and switches to the new index in one assignment. */
  function startBuild(): Promise<void> {
    building ??= (async () => {
      // The counter is read before the rows: a change committed in between is in the rows and
      // moves the counter past this number, so the next check rebuilds once more (never less).
      const generation = await readSearchGeneration(db);
      const rows = await listSearchIndexRows(db);
      if (searchIndex === null || generation >= searchIndex.generation) searchIndex = buildSearchIndex(rows, generation);
      knownGeneration = Math.max(knownGeneration, generation);
    })()
      .catch(() => {
        // The SQL path answers meanwhile; the next check tries again.
      })
      .finally(() => {
        building = null;
      });
    return building;
  }

  /** At most one counter read per interval, shared by the requests that arrive meanwhile. */
  async function currentIndex(): Promise<SearchIndex | null> {
    if (!indexEnabled) return null;
    if (checking === null && Date.now() - lastCheckAt >= indexCheckIntervalMs) {
      lastCheckAt = Date.now();
      checking = readSearchGeneration(db)
        .then((generation) => {
          knownGeneration = Math.max(knownGeneration, generation);
        })
        .catch(() => {
          // Whether the index is current is unknown: drop it (SQL answers) and check again next time.
          searchIndex = null;
          lastCheckAt = Number.NEGATIVE_INFINITY;
        })
        .finally(() => {
          checking = null;
        });
    }
    if (checking) await checking;
    if (indexIsCurrent()) return searchIndex;
    // Stale or missing: rebuild in the background and answer from SQL until it is current.
    void startBuild();
    return null;
  }

  function loadTaxonomy(): Promise<TaxonomyCache> {
    taxonomyLoading ??= listTaxonomyTerms(db)
      .then((rows) => {
        taxonomy = buildTaxonomyCache(rows, Date.now());
        return taxonomy;
      })
      .finally(() => {
        taxonomyLoading = null;
      });
    return taxonomyLoading;
  }

  async function currentTaxonomy(): Promise<TaxonomyCache> {
    if (taxonomy && Date.now() - taxonomy.loadedAt < taxonomyTtlMs) return taxonomy;
    return loadTaxonomy();
  }

  /** Codes → term ids (with all descendants when asked), collecting a field error per unknown code. */
  async function resolveCodes(
    kind: Taxonomy,
    codes: string[] | undefined,
    field: string,
    withDescendants: boolean,
    errors: FieldError[],
  ): Promise<string[] | null> {
    if (!codes) return null;
    let cache = await currentTaxonomy();
    // A code added since the cache was filled is found after one reload.
    if (codes.some((code) => !cache.byCode.get(kind)?.has(code)) && Date.now() - cache.loadedAt > 1000) {
      cache = await loadTaxonomy();
    }
    const ids = new Set<string>();
    for (const code of codes) {
      const term = cache.byCode.get(kind)?.get(code);
      if (!term) {
        errors.push({ field, code: 'unknown_code', message: `"${code}" is not a known ${taxonomyWords[kind]} code` });
        continue;
      }
      const pending = [term.id];
      while (pending.length > 0) {
        const id = pending.pop()!;
        ids.add(id);
        if (withDescendants) pending.push(...(cache.children.get(id) ?? []));
      }
    }
    return [...ids];
  }

  async function resolveOrigin(query: SearchQuery): Promise<SearchOrigin | null> {
    if (query.lat !== undefined && query.lon !== undefined) {
      return { lon: query.lon, lat: query.lat, label: null, source: 'coordinates', precision: null };
    }
    if (!query.address) return null;
    const [best] = await geocoding.geocode(query.address, 1);
    if (!best || best.score < minimumAddressScore) {
      throw new ValidationError(
        [{ field: 'query.address', code: 'address_not_found', message: `no street or place called "${query.address}" was found in the city` }],
        `address: no street or place called "${query.address}" was found in the city.`,
        'address_not_found',
      );
    }
    return { lon: best.lon, lat: best.lat, label: best.label, source: 'address', precision: best.precision };
  }

  async function buildFilter(query: SearchQuery, origin: SearchOrigin | null): Promise<SearchFilter> {
    const errors: FieldError[] = [];
    const [offerTypeIds, targetGroupIds, fieldOfActionIds, accessibilityIds] = [
      await resolveCodes('offer_type', query.type, 'query.type', true, errors),
      await resolveCodes('target_group', query.targetGroup, 'query.targetGroup', true, errors),
      await resolveCodes('field_of_action', query.fieldOfAction, 'query.fieldOfAction', true, errors),
      await resolveCodes('accessibility', query.accessible, 'query.accessible', false, errors),
    ];
    if (errors.length > 0) throw new ValidationError(errors);
    return {
      origin: origin ? { lon: origin.lon, lat: origin.lat } : null,
      radiusMeters: query.radius,
      offerTypeIds,
      targetGroupIds,
      fieldOfActionIds,
      accessibilityIds: accessibilityIds ?? [],
      languages: query.language ?? null,
      free: query.free === true,
      age: query.age ?? null,
      text: query.q ? buildTextQuery(query.q) : null,
      withOpeningHours: false,
      openingHoursIn: null,
    };
  }

  /**
   * A row's accessibility and target-group codes, in taxonomy order (frozen: results share them).
   * Rows share their `termIds` array between searches, so the answer is kept per array and
   * taxonomy version.
   */
  let termCodes: { cache: TaxonomyCache; byTerms: WeakMap<readonly string[], TermCodes> } | null = null;
  type TermCodes = { accessibility: readonly string[]; targetGroups: readonly string[] };
  function codesOf(cache: TaxonomyCache, termIds: readonly string[]): TermCodes {
    if (termCodes?.cache !== cache) termCodes = { cache, byTerms: new WeakMap() };
    let known = termCodes.byTerms.get(termIds);
    if (!known) {
      const terms = termIds
        .map((id) => cache.byId.get(id))
        .filter((term): term is TaxonomyTermRow => term !== undefined)
        .sort((a, b) => a.sortOrder - b.sortOrder);
      const ofKind = (kind: Taxonomy) => Object.freeze(terms.filter((term) => term.taxonomy === kind).map((term) => term.code));
      known = { accessibility: ofKind('accessibility'), targetGroups: ofKind('target_group') };
      termCodes.byTerms.set(termIds, known);
    }
    return known;
  }

  /**
   * The JSON of an index row's own fields (search-json.ts), kept between searches by the row's place
   * in the index (an array: no hashing, and the row object is not read), for one index and taxonomy
   * version; at most `rowMemoryLimit` rows (≈ 1 kB each), the oldest written leave first. Rows read
   * by SQL get theirs written with the answer.
   */
  interface RowMemory {
    index: SearchIndex;
    taxonomy: TaxonomyCache;
    byOrdinal: Array<ResultJsonParts | undefined>;
    /** The ordinals in the order they were written (a ring of `rowMemoryLimit`). */
    written: Int32Array;
    next: number;
  }
  let rowMemory: RowMemory | null = null;
  function rowMemoryOf(index: SearchIndex, taxonomy: TaxonomyCache): RowMemory {
    if (rowMemory?.index !== index || rowMemory.taxonomy !== taxonomy) {
      rowMemory = { index, taxonomy, byOrdinal: new Array(index.size), written: new Int32Array(rowMemoryLimit).fill(-1), next: 0 };
    }
    return rowMemory;
  }
  function remember(memory: RowMemory, ordinal: number, parts: ResultJsonParts): void {
    const leaving = memory.written[memory.next]!;
    if (leaving >= 0) memory.byOrdinal[leaving] = undefined;
    memory.written[memory.next] = ordinal;
    memory.next = (memory.next + 1) % rowMemoryLimit;
    memory.byOrdinal[ordinal] = parts;
  }

  /** Rows of one answer page, nearest first, with what the request needs of each. */
  interface PageRows {
    rows: readonly SearchRow[];
    /** Airline metres from the origin (null without one). */
    distances: ReadonlyArray<number | null>;
    positions: ReadonlyArray<[number, number]>;
    openingHours: ReadonlyArray<string | null>;
    /** From the index: `index` and each row's ordinal in it. */
    fromIndex: { index: SearchIndex; ordinals: readonly number[] } | null;
  }

  function pageFromSql(rows: SearchRow[]): PageRows {
    return {
      rows,
      distances: rows.map((row) => row.distanceMeters),
      positions: rows.map((row): [number, number] => [row.lon, row.lat]),
      openingHours: rows.map((row) => row.openingHours),
      fromIndex: null,
    };
  }

  /** What the request adds to each row: distances and the opening state at `at`. */
  async function requestFieldsOf(page: PageRows, origin: SearchOrigin | null, at: Date): Promise<RequestFields[]> {
    const walking = origin ? await geocoding.walkingDistances([origin.lon, origin.lat], page.positions) : null;
    // Rows with the same opening state share its summary (and the answer its JSON).
    const summaries = new Map<OpeningState, OpeningSummary>();
    return page.rows.map((_row, position) => {
      const walk = walking?.[position] ?? null;
      const distance = page.distances[position] ?? null;
      const state = openingHours.state(page.openingHours[position], at);
      let opening = summaries.get(state);
      if (!opening) {
        opening = openingSummary(state);
        summaries.set(state, opening);
      }
      return {
        distanceMeters: distance === null ? null : Math.round(distance),
        walkingDistanceMeters: walk ? walk.meters : null,
        walkingDistanceMethod: walk ? walk.method : null,
        walkingMinutes: walk ? Math.max(1, Math.round(walk.meters / ((walkingSpeedKmh * 1000) / 60))) : null,
        opening,
      };
    });
  }

  function resultOf(row: SearchRow, fields: RequestFields, cache: TaxonomyCache): SearchResult {
    const codes = codesOf(cache, row.termIds);
    return {
      id: row.id,
      offerId: row.offerId,
      locationId: row.locationId,
      name: row.name,
      summary: row.summary,
      offerType: { code: row.offerTypeCode, label: { de: row.offerTypeLabelDe, en: row.offerTypeLabelEn } },
      organization: row.organization,
      address: row.address,
      lon: Math.round(row.lon * 1e6) / 1e6,
      lat: Math.round(row.lat * 1e6) / 1e6,
      distanceMeters: fields.distanceMeters,
      walkingDistanceMeters: fields.walkingDistanceMeters,
      walkingDistanceMethod: fields.walkingDistanceMethod,
      walkingMinutes: fields.walkingMinutes,
      opening: fields.opening,
      costKind: row.costKind,
      languages: row.languages,
      accessibility: codes.accessibility,
      targetGroups: codes.targetGroups,
      minAge: row.minAge,
      maxAge: row.maxAge,
    };
  }

  /** An answer before its results are written out: as objects (`search`) or as JSON (`searchBody`). */
  interface SearchAnswer {
    envelope: Omit<SearchResponse, 'results'>;
    page: PageRows;
    fields: RequestFields[];
  }

  async function answer(query: SearchQuery): Promise<SearchAnswer> {
    // Opening hours resolve to the minute; "now" is the start of the current minute.
    const at = query.at ? openingHours.parseMoment(query.at) : new Date(Math.floor(now().getTime() / 60_000) * 60_000);
    if (!at) {
      throw new ValidationError([{ field: 'query.at', code: 'invalid_date', message: 'is not a real date and time' }]);
    }
    const origin = await resolveOrigin(query);
    const filter = await buildFilter(query, origin);
    const offset = (query.page - 1) * query.pageSize;
    const needed = offset + query.pageSize;
    // The index answers what has a place and no full text; the SQL path everything else.
    const index = filter.origin && !filter.text ? await currentIndex() : null;
    if (query.openNow === true || query.at !== undefined) {
      // Opening hours are rules, not columns: each distinct value is evaluated here once, and the
      // search keeps the offers whose value is open at that moment.
      const values = index ? index.openingHoursValues : await distinctOpeningHours();
      filter.openingHoursIn = values.filter((value) => openingHours.state(value, at).status === 'open');
    }
    let page: PageRows;
    let total: number;
    let totalIsCapped: boolean;
    if (index && filter.origin) {
      const found = index.query({ ...filter, origin: filter.origin }, { limit: query.pageSize, offset });
      const { rows, distances, positions, openingHours: values, ordinals } = found;
      page = { rows, distances, positions, openingHours: values, fromIndex: { index, ordinals } };
      total = found.total;
      totalIsCapped = false;
    } else if (filter.origin) {
      const nearbyFilter = { ...filter, origin: filter.origin };
      let candidates = initialCandidates(needed + 1);
      for (;;) {
        const found = await searchNearby(db, nearbyFilter, { candidates, limit: query.pageSize, offset });
        if (found.complete || found.matched > needed || candidates >= maximumCandidates) {
          page = pageFromSql(found.rows);
          total = found.matched;
          totalIsCapped = !found.complete;
          break;
        }
        // Widen by the share of candidates that matched, so that a selective filter needs one more
        // round rather than several.
        const share = Math.max(found.matched, 1) / candidates;
        candidates = Math.min(maximumCandidates, Math.max(candidates * 4, 2 ** Math.ceil(Math.log2(((needed + 1) / share) * 1.5))));
      }
    } else {
      const found = await searchByFilter(db, filter, { limit: query.pageSize, offset, cap: searchResultCap });
      page = pageFromSql(found.rows);
      total = found.matched;
      totalIsCapped = !found.complete;
    }
    const fields = await requestFieldsOf(page, origin, at);
    const networkAvailable = await geocoding.hasNetwork();
    const methods = new Set(fields.map((item) => item.walkingDistanceMethod).filter((method) => method !== null));
    let walkingDistanceMethod: SearchResponse['walkingDistanceMethod'] = null;
    if (origin) {
      walkingDistanceMethod =
        methods.size > 1
          ? 'mixed'
          : ((methods.values().next().value as WalkingDistanceMethod | undefined) ?? (networkAvailable ? 'network' : 'detour_factor'));
    }
    const count = page.rows.length;
    const envelope: Omit<SearchResponse, 'results'> = {
      origin,
      at: openingHours.formatInstant(at),
      radiusMeters: origin ? query.radius : null,
      walkingDistanceMethod,
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
      const cache = await currentTaxonomy();
      return { ...envelope, results: page.rows.map((row, position) => resultOf(row, fields[position]!, cache)) };
    },

    async searchBody(query) {
      const { envelope, page, fields } = await answer(query);
      const cache = await currentTaxonomy();
      const memory = page.fromIndex ? rowMemoryOf(page.fromIndex.index, cache) : null;
      const results = page.rows.map((row, position) => {
        const ordinal = page.fromIndex?.ordinals[position];
        let parts = memory && ordinal !== undefined ? memory.byOrdinal[ordinal] : undefined;
        if (!parts) {
          parts = resultJsonParts(resultOf(row, fields[position]!, cache));
          if (memory && ordinal !== undefined) remember(memory, ordinal, parts);
        }
        return { fields: fields[position]!, parts };
      });
      return searchResponseBody(envelope, results);
    },

    async options() {
      const [cache, languages] = await Promise.all([currentTaxonomy(), listPublishedLanguages(db)]);
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

    async warmIndex() {
      if (!indexEnabled) return false;
      lastCheckAt = Number.NEGATIVE_INFINITY;
      await currentIndex();
      if (!indexIsCurrent()) await startBuild();
      return indexIsCurrent();
    },

    async offer(id) {
      const record = await findPublicOffer(db, id);
      if (!record) throw new NotFoundError('There is no published offer with this id.', 'offer_not_found');
      const [cache, locations] = await Promise.all([currentTaxonomy(), listOfferLocations(db, id)]);
      const terms = record.termIds
        .map((termId) => cache.byId.get(termId))
        .filter((term): term is TaxonomyTermRow => term !== undefined)
        .sort((a, b) => a.sortOrder - b.sortOrder);
      const ofKind = (kind: Taxonomy) => terms.filter((term) => term.taxonomy === kind).map(termRef);
      const offerType = cache.byId.get(record.offerTypeId);
      if (!offerType) throw new Error(`offer ${id} has an offer type that is not in the taxonomy`);
      const parent = offerType.parentId ? cache.byId.get(offerType.parentId) : undefined;
      const at = now();
      return {
        id: record.id,
        name: record.name,
        alternateName: record.alternateName,
        description: record.description,
        status: record.status,
        offerType: { ...termRef(offerType), parent: parent ? termRef(parent) : null },
        targetGroups: ofKind('target_group'),
        fieldsOfAction: ofKind('field_of_action'),
        accessibility: ofKind('accessibility'),
        minAge: record.minAge,
        maxAge: record.maxAge,
        costKind: record.costKind,
        costText: record.costText,
        languages: record.languages,
        contact: { email: record.email, phone: record.phone, website: record.website },
        openingHours: record.openingHours,
        openingHoursNote: record.openingHoursNote,
        opening: openingSummary(openingHours.state(record.openingHours, at)),
        week: openingHours.week(record.openingHours, at, 7),
        reach: record.reachKind ? { kind: record.reachKind, meters: record.reachMeters } : null,
        capacity: record.capacity === null ? null : { value: record.capacity, unit: record.capacityUnit },
        organization: record.organization,
        department: record.department,
        locations: locations.map((location) => ({
          ...location,
          lon: Math.round(location.lon * 1e6) / 1e6,
          lat: Math.round(location.lat * 1e6) / 1e6,
        })),
        verifiedAt: record.verifiedAt ? record.verifiedAt.toISOString() : null,
        updatedAt: record.updatedAt.toISOString(),
        at: openingHours.formatInstant(at),
      };
    },
  };
}
