import type { Knex } from 'knex';
import type { CoverageService } from '../coverage/coverage.service.ts';
import { NotFoundError } from '../http/errors.ts';
import { bilingualValidationError, fillMessage, inBothLanguages, localizedValidationError, type Language } from '../http/localized-validation.ts';
import type { TaxonomiesService } from '../taxonomies/taxonomies.service.ts';
import { Cql2SyntaxError, parseCql2Text, propertiesOf } from './cql2.ts';
import {
  areasSource,
  countFeatures,
  coverageSource,
  FilterProblem,
  gapsSource,
  listCollectionFacts,
  listFeatures,
  offersSource,
  statisticsSource,
  type FeatureFilter,
  type FeatureSource,
} from './ogc.repo.ts';
import { cql2Messages, ogcMessages } from './ogc.messages.ts';
import {
  conformanceClasses,
  crs84,
  standardItemParameters,
  supportedCrs,
  type CollectionDescription,
  type CollectionLink,
  type FeatureQuery,
  type ItemsRequest,
  type OgcFeature,
  type OgcFeatureCollection,
  type SupportedCrs,
} from './ogc.schema.ts';

interface Collection {
  id: string;
  title: Record<Language, string>;
  description: Record<Language, string>;
  temporal?: { first: string; last: string };
  source(): Promise<FeatureSource>;
  /** Figures computed by the server (coverage): every feature shares one method and data date. */
  computed?: boolean;
}

export interface OgcService {
  landing(base: string, language: Language): { title: string; description: string; links: CollectionLink[] };
  conformance(): { conformsTo: readonly string[] };
  collections(base: string, language: Language): Promise<{ collections: CollectionDescription[]; links: CollectionLink[] }>;
  collection(id: string, base: string, language: Language): Promise<CollectionDescription>;
  queryables(id: string, base: string, language: Language): Promise<{ title: string; schema: Record<string, unknown> }>;
  items(id: string, request: ItemsRequest, base: string, language: Language): Promise<{ body: OgcFeatureCollection; crs: SupportedCrs; title: string }>;
  item(id: string, featureId: string, query: FeatureQuery, base: string): Promise<{ feature: OgcFeature; links: CollectionLink[]; crs: SupportedCrs; title: string }>;
}

export interface OgcDependencies {
  db: Knex;
  coverage: CoverageService;
  taxonomies: TaxonomiesService;
  /** The served city; `id` scopes the collections to it (issue 13; without it the database's default city). */
  city: () => { id?: string; name: string; bbox: [number, number, number, number] };
  /**
   * Offer types with a demand rule and the indicator sets that can make their demand: coverage
   * and gaps are offered where one set has data.
   */
  coverageSubjects: () => { offerType: string; indicatorSets: string[][] }[];
}

const levelTitles: Record<string, Record<Language, string>> = {
  city: { de: 'Stadt', en: 'City' },
  district: { de: 'Stadtbezirke', en: 'Districts' },
  sozialraum: { de: 'Sozialräume (Stadtteile)', en: 'Sozialräume (neighbourhoods)' },
  quarter: { de: 'Viertel', en: 'Quarters' },
  area_set: { de: 'Gebietsgruppen (Vereinigungen von Gebieten, z. B. Lebenswerte Veedel)', en: 'Area sets (unions of areas, e.g. Lebenswerte Veedel)' },
};

const geojson = 'application/geo+json';

/** Collections whose features the coverage computation makes on request: coverage-<offer type>, gaps-<offer type>. */
const computedCollectionPrefixes = ['coverage-', 'gaps-'] as const;

/** Whether reading the collection's items runs the coverage computation (the app queues and rate-limits those). */
export function isComputedCollection(collectionId: string): boolean {
  return computedCollectionPrefixes.some((prefix) => collectionId.startsWith(prefix));
}

function withQuery(href: string, query: Record<string, string | number | undefined>): string {
  const url = new URL(href);
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) url.searchParams.delete(name);
    else url.searchParams.set(name, String(value));
  }
  return url.toString();
}

function filterError(error: unknown): never {
  if (error instanceof FilterProblem) {
    const field = error.field === 'filter' ? 'query.filter' : `query.${error.field}`;
    throw bilingualValidationError([{ field, code: 'invalid_filter', message: cql2Messages[error.key], params: error.params }]);
  }
  if (error instanceof Cql2SyntaxError) {
    const reason = { de: fillMessage(cql2Messages[error.key], 'de', error.params), en: fillMessage(cql2Messages[error.key], 'en', error.params) };
    throw bilingualValidationError([
      { field: 'query.filter', code: 'invalid_filter', message: cql2Messages.at_character, params: { message: reason, position: error.position + 1 } },
    ]);
  }
  throw error;
}

/** The largest coordinate of a box in a projected CRS (metres): UTM and Web Mercator stay within it. */
const maxProjectedCoordinate = 20_037_509;

// eslint-disable-next-line max-lines-per-function -- a service factory: a closure over its injected dependencies; each method is counted on its own
export function createOgcService(deps: OgcDependencies): OgcService {
  const { db } = deps;

  // eslint-disable-next-line max-lines-per-function -- the collection list is data: one description per collection
  async function registry(): Promise<Collection[]> {
    const facts = await listCollectionFacts(db);
    const terms = await deps.taxonomies.termIndex();
    const collections: Collection[] = [
      {
        id: 'offers',
        title: { de: 'Angebote', en: 'Offers' },
        description: {
          de: 'Öffentliche Angebote, ein Objekt je Angebot und Ort (HSDS service_at_location), mit Angebotsart, Zielgruppen, Öffnungszeiten und Barrierefreiheit.',
          en: 'Public offers, one feature per offer and location (HSDS service_at_location), with offer type, target groups, opening hours and accessibility.',
        },
        source: async () => offersSource,
      },
    ];
    for (const level of facts.levels) {
      collections.push({
        id: `areas-${level}`,
        title: levelTitles[level] ?? { de: level, en: level },
        description: { de: `Gebiete der Ebene ${level} mit Code, Name und übergeordnetem Gebiet.`, en: `Areas of the level ${level} with code, name and parent area.` },
        source: async () => areasSource(level),
      });
    }
    for (const indicator of facts.indicators) {
      collections.push({
        id: `statistics-${indicator.code}`,
        title: { de: `Statistik: ${indicator.labelDe}`, en: `Statistics: ${indicator.labelEn}` },
        description: {
          de: `Werte der Kennzahl „${indicator.labelDe}“ (${indicator.unit}) je Gebiet und Stichtag ${indicator.first} bis ${indicator.last}; ein Objekt je Gebiet und Stichtag, datetime wählt Stichtage.`,
          en: `Values of the indicator "${indicator.labelEn}" (${indicator.unit}) per area and date ${indicator.first} to ${indicator.last}; one feature per area and date, datetime selects dates.`,
        },
        temporal: { first: indicator.first, last: indicator.last },
        source: async () => statisticsSource(indicator.code),
      });
    }
    const available = new Set(facts.indicators.map((indicator) => indicator.code));
    for (const subject of deps.coverageSubjects()) {
      const code = subject.offerType;
      const term = terms.byCode('offer_type', code);
      if (!term || !subject.indicatorSets.some((set) => set.every((indicator) => available.has(indicator)))) continue;
      collections.push({
        id: `${computedCollectionPrefixes[0]}${code}`,
        title: { de: `Versorgung: ${term.label.de}`, en: `Coverage: ${term.label.en}` },
        description: {
          de: `Versorgung je Sozialraum mit „${term.label.de}“: Zielbevölkerung, Anteil in Reichweite, Angebote je 1.000, Median-Entfernung (Methode wie /api/coverage, Standard-Reichweite der Angebotsart).`,
          en: `Coverage per Sozialraum with "${term.label.en}": target population, share within reach, offers per 1,000, median distance (method as /api/coverage, default reach of the offer type).`,
        },
        computed: true,
        source: async () => {
          const result = await deps.coverage.coverage({ offerType: code, level: 'sozialraum' });
          return coverageSource(
            result.areas.map((area) => ({
              area_id: area.areaId,
              target_population: area.targetPopulation,
              covered_population: area.coveredPopulation,
              uncovered_population: area.uncoveredPopulation,
              share_within_reach: area.shareWithinReach,
              offers: area.offers,
              capacity: area.capacity,
              offers_per_1000: area.offersPer1000,
              capacity_per_1000: area.capacityPer1000,
              median_distance_meters: area.medianDistanceMeters,
              e2sfca_per_1000: area.e2sfcaPer1000,
            })),
          );
        },
      });
      collections.push({
        id: `${computedCollectionPrefixes[1]}${code}`,
        title: { de: `Versorgungslücken: ${term.label.de}`, en: `Coverage gaps: ${term.label.en}` },
        description: {
          de: `Straßenabschnitte (oder Gebiete) mit Zielbevölkerung außerhalb der Reichweite von „${term.label.de}“, nach nicht erreichten Einwohnern geordnet.`,
          en: `Street segments (or areas) with target residents out of reach of "${term.label.en}", ranked by residents out of reach.`,
        },
        computed: true,
        source: async () => {
          const gaps = await deps.coverage.gaps({ offerType: code, limit: 20_000 });
          return gapsSource(
            gaps.features.map((feature) => ({
              id: feature.id,
              rank: feature.properties.rank,
              kind: feature.properties.kind,
              street_name: feature.properties.streetName,
              area_code: feature.properties.areaCode,
              area_name: feature.properties.areaName,
              uncovered_residents: feature.properties.uncoveredResidents,
              distance_meters: feature.properties.distanceMeters,
              geometry: JSON.stringify(feature.geometry),
            })),
          );
        },
      });
    }
    return collections;
  }

  async function find(id: string): Promise<Collection> {
    const collection = (await registry()).find((candidate) => candidate.id === id);
    if (!collection) {
      const message = cql2Messages.collection_not_found;
      throw inBothLanguages(new NotFoundError(fillMessage(message, 'en', { id }), 'collection_not_found'), message, { id });
    }
    return collection;
  }

  function describe(collection: Collection, base: string, language: Language): CollectionDescription {
    const href = `${base}/collections/${collection.id}`;
    const city = deps.city();
    return {
      id: collection.id,
      title: collection.title[language],
      description: collection.description[language],
      itemType: 'feature',
      crs: supportedCrs.map((crs) => crs.uri),
      storageCrs: crs84,
      extent: {
        spatial: { bbox: [city.bbox], crs: crs84 },
        ...(collection.temporal
          ? { temporal: { interval: [[`${collection.temporal.first}T00:00:00Z`, `${collection.temporal.last}T00:00:00Z`]], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } }
          : {}),
      },
      links: [
        { href, rel: 'self', type: 'application/json', title: collection.title[language] },
        { href: withQuery(href, { f: 'html' }), rel: 'alternate', type: 'text/html', title: 'HTML' },
        { href: `${href}/items`, rel: 'items', type: geojson, title: collection.title[language] },
        { href: withQuery(`${href}/items`, { f: 'html' }), rel: 'items', type: 'text/html', title: `${collection.title[language]} (HTML)` },
        { href: `${href}/queryables`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables', type: 'application/schema+json', title: 'Queryables' },
      ],
    };
  }

  /** The checks that need the collection: its queryables, whether it has a time, the range of its CRS. */
  function checkItemsRequest(source: FeatureSource, { query, properties }: ItemsRequest, language: Language) {
    // The codes stay those of before the messages were localized; the catalogue key chooses the words.
    const refuse = (field: string, code: string, key: string, params: Record<string, unknown> = {}): never => {
      throw localizedValidationError([{ field, code, message: fillMessage(ogcMessages[key]!, language, params) }], language);
    };
    const known = new Set<string>(standardItemParameters);
    const queryableNames = new Set(source.queryables.filter((queryable) => queryable.type !== 'geometry').map((queryable) => queryable.name));
    const unknown = Object.keys(properties).filter((name) => !queryableNames.has(name));
    if (unknown.length > 0) {
      const allowed = [...known, ...queryableNames].join(', ');
      throw localizedValidationError(
        unknown.map((name) => ({ field: `query.${name}`, code: 'unknown_parameter', message: fillMessage(ogcMessages.unknown_parameter!, language, { allowed }) })),
        language,
      );
    }
    if (query.datetime && !source.temporal) refuse('query.datetime', 'not_temporal', 'not_temporal');
    if (query.bbox && query.bbox.west > query.bbox.east) refuse('query.bbox', 'custom', 'bbox_west_east');
    if (query.bbox) {
      // A box beyond the coordinate range is a mistake, not a question (and costs a transform of nonsense).
      const { west, south, east, north } = query.bbox;
      const degrees = (query['bbox-crs']?.srid ?? 4326) === 4326;
      const outside = degrees
        ? west < -180 || east > 180 || south < -90 || north > 90
        : [west, south, east, north].some((value) => Math.abs(value) > maxProjectedCoordinate);
      if (outside) refuse('query.bbox', 'out_of_range', degrees ? 'bbox_degrees' : 'bbox_metres', { max: maxProjectedCoordinate });
    }
    const filter: FeatureFilter = { properties: Object.entries(properties).map(([name, value]) => ({ name, value })) };
    if (query.bbox) filter.bbox = { ...query.bbox, srid: query['bbox-crs']?.srid ?? 4326 };
    if (query.datetime) filter.datetime = query.datetime;
    if (query.filter !== undefined) {
      try {
        const expression = parseCql2Text(query.filter);
        const names = new Set(source.queryables.map((queryable) => queryable.name));
        const missing = propertiesOf(expression).filter((name) => !names.has(name));
        if (missing.length > 0) throw new FilterProblem('filter', 'no_queryable_see', { name: missing[0] });
        filter.cql = { expression, srid: query['filter-crs']?.srid ?? 4326 };
      } catch (error) {
        filterError(error);
      }
    }
    return { query, filter };
  }

  async function runQuery<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      return filterError(error);
    }
  }

  return {
    landing(base, language) {
      return {
        title: language === 'de' ? 'Angebotsatlas – offene Geodaten (OGC API Features)' : 'Angebotsatlas – open geodata (OGC API Features)',
        description:
          language === 'de'
            ? 'Öffentliche Angebote, Gebiete, Statistiken und Versorgungsergebnisse für GIS-Programme wie QGIS und GDAL.'
            : 'Public offers, areas, statistics and coverage results for GIS software such as QGIS and GDAL.',
        links: [
          { href: base, rel: 'self', type: 'application/json', title: 'Landing page' },
          { href: withQuery(base, { f: 'html' }), rel: 'alternate', type: 'text/html', title: 'HTML' },
          { href: `${base}/api`, rel: 'service-desc', type: 'application/vnd.oai.openapi+json;version=3.0', title: 'OpenAPI 3.0' },
          { href: `${base}/conformance`, rel: 'conformance', type: 'application/json', title: 'Conformance' },
          { href: `${base}/collections`, rel: 'data', type: 'application/json', title: language === 'de' ? 'Sammlungen' : 'Collections' },
        ],
      };
    },
    conformance: () => ({ conformsTo: conformanceClasses }),
    async collections(base, language) {
      const collections = (await registry()).map((collection) => describe(collection, base, language));
      return {
        collections,
        links: [
          { href: `${base}/collections`, rel: 'self', type: 'application/json', title: 'Collections' },
          { href: withQuery(`${base}/collections`, { f: 'html' }), rel: 'alternate', type: 'text/html', title: 'HTML' },
        ],
      };
    },
    async collection(id, base, language) {
      return describe(await find(id), base, language);
    },
    async queryables(id, base, language) {
      const collection = await find(id);
      const source = await collection.source();
      const properties: Record<string, Record<string, unknown>> = {};
      for (const queryable of source.queryables) {
        const type =
          queryable.type === 'geometry'
            ? { format: 'geometry-any' }
            : queryable.type === 'date'
              ? { type: 'string', format: 'date' }
              : queryable.type === 'timestamp'
                ? { type: 'string', format: 'date-time' }
                : { type: queryable.type };
        properties[queryable.name] = queryable.list ? { title: queryable.title, type: 'array', items: type } : { title: queryable.title, ...type };
      }
      return {
        title: collection.title[language],
        schema: {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          $id: `${base}/collections/${id}/queryables`,
          type: 'object',
          title: collection.title[language],
          properties,
          additionalProperties: false,
        },
      };
    },
    async items(id, itemsRequest, base, language) {
      const collection = await find(id);
      const source = await collection.source();
      const { query, filter: parsedFilter } = checkItemsRequest(source, itemsRequest, language);
      const filter = { ...parsedFilter, cityId: deps.city().id };
      const crs = query.crs ?? supportedCrs[0];
      const [numberMatched, features] = await runQuery(async () => [
        await countFeatures(db, source, filter),
        await listFeatures(db, source, filter, { limit: query.limit, offset: query.offset, srid: crs.srid }),
      ]);
      const href = `${base}/collections/${id}/items`;
      const self = withQuery(href, { ...itemsRequest.given });
      const links: CollectionLink[] = [
        { href: self, rel: 'self', type: geojson, title: 'This page' },
        { href: withQuery(self, { f: 'html' }), rel: 'alternate', type: 'text/html', title: 'HTML' },
        { href: `${base}/collections/${id}`, rel: 'collection', type: 'application/json', title: collection.title.en },
      ];
      if (query.offset + features.length < numberMatched) {
        links.push({ href: withQuery(self, { offset: query.offset + query.limit, limit: query.limit }), rel: 'next', type: geojson, title: 'Next page' });
      }
      if (query.offset > 0) {
        links.push({ href: withQuery(self, { offset: Math.max(0, query.offset - query.limit), limit: query.limit }), rel: 'prev', type: geojson, title: 'Previous page' });
      }
      return {
        title: collection.title.de,
        crs,
        body: { type: 'FeatureCollection', numberMatched, numberReturned: features.length, timeStamp: new Date().toISOString(), features, links },
      };
    },
    async item(id, featureId, query, base) {
      const collection = await find(id);
      const source = await collection.source();
      const crs = query.crs ?? supportedCrs[0];
      const [feature] = await listFeatures(db, source, { properties: [], cityId: deps.city().id }, { limit: 1, offset: 0, srid: crs.srid, id: featureId });
      if (!feature) {
        const message = cql2Messages.feature_not_found;
        throw inBothLanguages(new NotFoundError(fillMessage(message, 'en', { id, featureId }), 'feature_not_found'), message, { id, featureId });
      }
      const href = `${base}/collections/${id}/items/${encodeURIComponent(featureId)}`;
      return {
        title: collection.title.de,
        crs,
        feature,
        links: [
          { href, rel: 'self', type: geojson, title: 'This feature' },
          { href: withQuery(href, { f: 'html' }), rel: 'alternate', type: 'text/html', title: 'HTML' },
          { href: `${base}/collections/${id}`, rel: 'collection', type: 'application/json', title: collection.title.en },
        ],
      };
    },
  };
}
