import type { Knex } from 'knex';
import { anonymousActor } from '../auth/auth.schema.ts';
import { NotFoundError } from '../http/errors.ts';
import { fillMessage, localizedValidationError, type Language, type MessageCatalogue } from '../http/localized-validation.ts';
import { listOffersQuerySchema, type Offer } from '../offers/offers.schema.ts';
import { toPrefixTsquery, type OffersService } from '../offers/offers.service.ts';
import type { OrganizationsService } from '../organizations/organizations.service.ts';
import { germanStates } from '../shared/opening-hours.ts';
import type { TaxonomiesService, TermIndex } from '../taxonomies/taxonomies.service.ts';
import type { HsdsFileFormat } from '../offers/offers-files.service.ts';
import {
  hsdsServiceToInput,
  hsdsVersion,
  offerToHsdsService,
  organizationToHsds,
  readHsdsServices,
  stableUuid,
  type HsdsContext,
  type HsdsObject,
} from './hsds.mapping.ts';
import { allServiceIds, listServiceAtLocations, listServiceIds, postcodeCentre, type HsdsOfferFilter, type HsdsPlaceFilter } from './hsds.repo.ts';
import type { HsdsListQuery, HsdsPage } from './hsds.schema.ts';

/** HSDS as an offer file format (import and export of /api/offers/files), given to the offers feature. */
export const hsdsFileFormat: HsdsFileFormat = {
  version: hsdsVersion,
  readServices: (json) => readHsdsServices(json).map((service, index) => hsdsServiceToInput(service, index + 1, { source: 'hsds' })),
  toService: offerToHsdsService,
};

/** A list answer: one HSDS page, or (format=ndjson) every record as a stream of lines. */
export type HsdsListAnswer = { kind: 'page'; page: HsdsPage<HsdsObject> } | { kind: 'ndjson'; lines: AsyncGenerator<string> };

export interface HsdsService {
  services(query: HsdsListQuery, language: Language): Promise<HsdsListAnswer>;
  service(id: string, language: Language): Promise<HsdsObject>;
  serviceAtLocations(query: HsdsListQuery, language: Language): Promise<HsdsListAnswer>;
  serviceAtLocation(id: string, language: Language): Promise<HsdsObject>;
  organizations(query: HsdsListQuery, language: Language): Promise<HsdsListAnswer>;
  /** One provider with its services: id, name and status, or in full with `fullService`. */
  organization(id: string, options: { fullService: boolean }, language: Language): Promise<HsdsObject>;
  taxonomies(): Promise<HsdsPage<HsdsObject>>;
  taxonomyTerms(query: HsdsListQuery, language: Language): Promise<HsdsPage<HsdsObject>>;
}

const messages: MessageCatalogue = {
  unknown_term: { de: 'Den Begriff „{value}“ gibt es in keiner Taxonomie.', en: 'No taxonomy has the term "{value}".' },
  unknown_taxonomy: { de: 'Die Taxonomie „{value}“ gibt es nicht.', en: 'There is no taxonomy "{value}".' },
  unknown_postcode: {
    de: 'Zur Postleitzahl {value} gibt es kein öffentliches Angebot, also keinen Mittelpunkt für proximity.',
    en: 'No public offer has the postcode {value}, so it has no centre for proximity.',
  },
  ndjson_without_place: {
    de: 'format=ndjson gibt alle Datensätze aus; für eine Umkreis- oder Postleitzahlsuche bitte format=json.',
    en: 'format=ndjson streams every record; for a proximity or postcode search use format=json.',
  },
  not_found_service_at_location: { de: 'Diesen Standort eines Angebots gibt es nicht.', en: 'There is no such service at location.' },
  not_found_organization: {
    de: 'Diesen Träger gibt es nicht, oder er hat kein öffentliches Angebot.',
    en: 'There is no such organization, or it has no public service.',
  },
};

/**
 * The HSDS 3.1 `Page`: `size` is the number of records on this page, `total_pages` is 0 when
 * nothing matches, `empty` says this page holds no record (also past the last page).
 */
export function hsdsPage<T>(contents: T[], total: number, pageNumber: number, perPage: number): HsdsPage<T> {
  const totalPages = Math.ceil(total / perPage);
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: pageNumber,
    size: contents.length,
    first_page: pageNumber === 1,
    last_page: pageNumber >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

/** Offers per database round trip of the bulk export. */
const exportBatch = 500;

/**
 * The HSDS 3.1 read API over the offer inventory. It is open data: whoever asks, it shows only
 * what anonymous visitors see (published, active, non-archived offers), never drafts, and never
 * the staff who created, changed or checked a record.
 */
// eslint-disable-next-line max-lines-per-function -- a service factory: a closure over its injected dependencies; each method is counted on its own
export function createHsdsService(deps: {
  db: Knex;
  offers: OffersService;
  organizations: OrganizationsService;
  taxonomies: TaxonomiesService;
  holidayState: string;
}): HsdsService {
  const context = (language: Language) => ({ actor: anonymousActor, language });
  function hsdsContextOf(terms: TermIndex): HsdsContext {
    return { term: (taxonomy, code) => terms.byCode(taxonomy, code), stateProvince: germanStates[deps.holidayState] ?? deps.holidayState };
  }
  const notFound = (key: string, language: Language) => new NotFoundError(fillMessage(messages[key]!, language), 'not_found');

  /** The offer filter of a list query; the taxonomy parameters are resolved to term ids (with the terms below them). */
  async function offerFilter(parsed: HsdsListQuery, terms: TermIndex, language: Language): Promise<HsdsOfferFilter | 'nothing'> {
    const filter: HsdsOfferFilter = { organizationId: parsed.organization_id, modifiedAfter: parsed.modified_after };
    if (parsed.search !== undefined) {
      filter.tsquery = toPrefixTsquery(parsed.search);
      if (filter.tsquery === undefined) return 'nothing';
    }
    const termSets: string[][] = [];
    if (parsed.taxonomy_term_id !== undefined) {
      const value = parsed.taxonomy_term_id;
      const term = terms.byId(value);
      const found = term ? [term] : [];
      if (!term) {
        const taxonomies = await deps.taxonomies.list();
        for (const taxonomy of taxonomies) {
          const byCode = terms.byCode(taxonomy.code, value);
          if (byCode) found.push({ ...byCode, taxonomy: taxonomy.code });
        }
      }
      if (found.length === 0) {
        throw localizedValidationError([{ field: 'query.taxonomy_term_id', code: 'unknown_term', message: fillMessage(messages.unknown_term!, language, { value }) }], language);
      }
      termSets.push(found.flatMap((item) => terms.withDescendants(item.taxonomy, item.code).map((descendant) => descendant.id)));
    }
    if (parsed.taxonomy_id !== undefined) {
      const value = parsed.taxonomy_id;
      const taxonomy = (await deps.taxonomies.list()).find((candidate) => candidate.code === value || stableUuid('taxonomy', candidate.code) === value);
      if (!taxonomy) {
        throw localizedValidationError([{ field: 'query.taxonomy_id', code: 'unknown_taxonomy', message: fillMessage(messages.unknown_taxonomy!, language, { value }) }], language);
      }
      termSets.push(taxonomy.terms.map((term) => term.id));
    }
    // Both parameters narrow: an offer must carry a term of each set.
    if (termSets.length > 0) filter.termIdSets = termSets;
    return filter;
  }

  async function placeFilter(parsed: HsdsListQuery, language: Language): Promise<HsdsPlaceFilter> {
    if (parsed.lat !== undefined && parsed.lon !== undefined) return { near: { lon: parsed.lon, lat: parsed.lat, meters: parsed.proximity } };
    if (parsed.postcode !== undefined && parsed.proximity !== undefined) {
      const centre = await postcodeCentre(deps.db, parsed.postcode);
      if (!centre) {
        throw localizedValidationError(
          [{ field: 'query.postcode', code: 'unknown_postcode', message: fillMessage(messages.unknown_postcode!, language, { value: parsed.postcode }) }],
          language,
        );
      }
      return { near: { ...centre, meters: parsed.proximity } };
    }
    return { postcode: parsed.postcode };
  }

  async function* serviceLines(filter: HsdsOfferFilter, terms: TermIndex, language: Language): AsyncGenerator<string> {
    const mapping = hsdsContextOf(terms);
    for await (const ids of allServiceIds(deps.db, filter, exportBatch)) {
      const offers = await deps.offers.findMany(context(language), ids);
      if (offers.length > 0) yield offers.map((offer) => `${JSON.stringify(offerToHsdsService(offer, mapping))}\n`).join('');
    }
  }

  function serviceAtLocationsOf(offer: Offer, mapping: HsdsContext): HsdsObject[] {
    return (offerToHsdsService(offer, mapping).service_at_locations as HsdsObject[] | undefined) ?? [];
  }

  async function* serviceAtLocationLines(filter: HsdsOfferFilter, terms: TermIndex, language: Language): AsyncGenerator<string> {
    const mapping = hsdsContextOf(terms);
    for await (const ids of allServiceIds(deps.db, filter, exportBatch)) {
      const offers = await deps.offers.findMany(context(language), ids);
      const lines = offers.flatMap((offer) => serviceAtLocationsOf(offer, mapping).map((item) => `${JSON.stringify(item)}\n`));
      if (lines.length > 0) yield lines.join('');
    }
  }

  async function* organizationLines(search: string | undefined): AsyncGenerator<string> {
    for (let offset = 0; ; offset += exportBatch) {
      const { items } = await deps.organizations.listPublic({ text: search, limit: exportBatch, offset });
      if (items.length > 0) yield items.map((organization) => `${JSON.stringify(organizationToHsds(organization))}\n`).join('');
      if (items.length < exportBatch) return;
    }
  }

  // eslint-disable-next-line require-yield -- a stream with no lines when nothing can match
  async function* noLines(): AsyncGenerator<string> {
    return;
  }

  return {
    async services(parsed, language) {
      const terms = await deps.taxonomies.termIndex();
      const filter = await offerFilter(parsed, terms, language);
      if (parsed.format === 'ndjson') return { kind: 'ndjson', lines: filter === 'nothing' ? noLines() : serviceLines(filter, terms, language) };
      if (filter === 'nothing') return { kind: 'page', page: hsdsPage([], 0, parsed.page, parsed.per_page) };
      const { total, ids } = await listServiceIds(deps.db, filter, { limit: parsed.per_page, offset: (parsed.page - 1) * parsed.per_page });
      const mapping = hsdsContextOf(terms);
      const offers = await deps.offers.findMany(context(language), ids);
      return { kind: 'page', page: hsdsPage(offers.map((offer) => offerToHsdsService(offer, mapping)), total, parsed.page, parsed.per_page) };
    },

    async service(id, language) {
      const offer = await deps.offers.get(context(language), id);
      return offerToHsdsService(offer, hsdsContextOf(await deps.taxonomies.termIndex()));
    },

    async serviceAtLocations(parsed, language) {
      const terms = await deps.taxonomies.termIndex();
      const filter = await offerFilter(parsed, terms, language);
      const place = await placeFilter(parsed, language);
      if (parsed.format === 'ndjson') {
        if (place.near !== undefined || place.postcode !== undefined) {
          throw localizedValidationError(
            [{ field: 'query.format', code: 'ndjson_without_place', message: fillMessage(messages.ndjson_without_place!, language) }],
            language,
          );
        }
        return { kind: 'ndjson', lines: filter === 'nothing' ? noLines() : serviceAtLocationLines(filter, terms, language) };
      }
      if (filter === 'nothing') return { kind: 'page', page: hsdsPage([], 0, parsed.page, parsed.per_page) };
      const { total, rows } = await listServiceAtLocations(deps.db, filter, place, { limit: parsed.per_page, offset: (parsed.page - 1) * parsed.per_page });
      const offers = new Map((await deps.offers.findMany(context(language), [...new Set(rows.map((row) => row.offerId))])).map((offer) => [offer.id, offer]));
      const mapping = hsdsContextOf(terms);
      const contents = rows.flatMap((row) => {
        const offer = offers.get(row.offerId);
        const item = offer ? serviceAtLocationsOf(offer, mapping).find((candidate) => candidate.id === row.locationId) : undefined;
        if (!item) return [];
        // HSDS has no distance field; it travels in the profile's extension object.
        return [row.distanceMeters === null ? item : { ...item, x_angebotsatlas: { distanceMeters: Math.round(row.distanceMeters) } }];
      });
      return { kind: 'page', page: hsdsPage(contents, total, parsed.page, parsed.per_page) };
    },

    async serviceAtLocation(id, language) {
      // An id that cannot name a location (not a UUID) is simply not found, like an unknown one.
      const query = listOffersQuerySchema.safeParse({ location: id, pageSize: 1 });
      if (!query.success) throw notFound('not_found_service_at_location', language);
      const result = await deps.offers.list(context(language), query.data);
      const offer = result.items[0];
      const found = offer ? serviceAtLocationsOf(offer, hsdsContextOf(await deps.taxonomies.termIndex())).find((item) => item.id === id) : undefined;
      if (!found) throw notFound('not_found_service_at_location', language);
      return found;
    },

    async organizations(parsed, _language) {
      if (parsed.format === 'ndjson') return { kind: 'ndjson', lines: organizationLines(parsed.search) };
      const { total, items } = await deps.organizations.listPublic({ text: parsed.search, limit: parsed.per_page, offset: (parsed.page - 1) * parsed.per_page });
      return { kind: 'page', page: hsdsPage(items.map(organizationToHsds), total, parsed.page, parsed.per_page) };
    },

    async organization(id, options, language) {
      const organization = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? await deps.organizations.findPublic(id) : undefined;
      if (!organization) throw notFound('not_found_organization', language);
      // Its services, all of them (a provider has tens, not thousands): ids and names, or full with full_service=true.
      const terms = await deps.taxonomies.termIndex();
      const mapping = hsdsContextOf(terms);
      const services: HsdsObject[] = [];
      for await (const ids of allServiceIds(deps.db, { organizationId: id }, exportBatch)) {
        const offers = await deps.offers.findMany(context(language), ids);
        for (const offer of offers) {
          services.push(options.fullService ? offerToHsdsService(offer, mapping) : { id: offer.id, name: offer.name, status: offerToHsdsService(offer, mapping).status });
        }
      }
      services.sort((left, right) => String(left.name).localeCompare(String(right.name), 'de'));
      return { ...organizationToHsds(organization), services };
    },

    async taxonomies() {
      const taxonomies = await deps.taxonomies.list();
      const contents = taxonomies.map((taxonomy) => ({
        id: stableUuid('taxonomy', taxonomy.code),
        name: taxonomy.code,
        description: `${taxonomy.name.de} / ${taxonomy.name.en}`,
        version: '1',
      }));
      return hsdsPage(contents, contents.length, 1, Math.max(1, contents.length));
    },

    async taxonomyTerms(parsed, _language) {
      const taxonomies = await deps.taxonomies.list();
      const all = taxonomies.flatMap((taxonomy) =>
        taxonomy.terms.map((term) => {
          const parent = term.parent ? taxonomy.terms.find((candidate) => candidate.code === term.parent) : undefined;
          return {
            id: term.id,
            code: term.code,
            name: term.label.de,
            description: term.description.de ?? term.label.en,
            taxonomy: taxonomy.code,
            taxonomy_id: stableUuid('taxonomy', taxonomy.code),
            language: 'de',
            ...(parent ? { parent_id: parent.id } : {}),
          };
        }),
      );
      const search = parsed.search?.toLowerCase();
      const matching = search ? all.filter((term) => term.code.includes(search) || term.name.toLowerCase().includes(search)) : all;
      const start = (parsed.page - 1) * parsed.per_page;
      return hsdsPage(matching.slice(start, start + parsed.per_page), matching.length, parsed.page, parsed.per_page);
    },
  };
}
