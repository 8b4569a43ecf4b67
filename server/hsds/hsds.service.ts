import { z } from 'zod';
import { anonymousActor } from '../auth/auth.schema.ts';
import { NotFoundError } from '../http/errors.ts';
import type { Language } from '../http/localized-validation.ts';
import type { ListOffersQuery, Offer } from '../offers/offers.schema.ts';
import type { OffersService } from '../offers/offers.service.ts';
import { germanStates } from '../shared/opening-hours.ts';
import type { TaxonomiesService } from '../taxonomies/taxonomies.service.ts';
import type { HsdsFileFormat } from '../offers/offers-files.service.ts';
import { hsdsServiceToInput, hsdsVersion, offerToHsdsService, readHsdsServices, stableUuid, type HsdsContext, type HsdsObject } from './hsds.mapping.ts';
import type { HsdsListQuery, HsdsPage } from './hsds.schema.ts';

/** HSDS as an offer file format (import and export of /api/offers/files), given to the offers feature. */
export const hsdsFileFormat: HsdsFileFormat = {
  version: hsdsVersion,
  readServices: (json) => readHsdsServices(json).map((service, index) => hsdsServiceToInput(service, index + 1, { source: 'hsds' })),
  toService: offerToHsdsService,
};

export interface HsdsService {
  services(query: HsdsListQuery, language: Language): Promise<HsdsPage<HsdsObject>>;
  service(id: string, language: Language): Promise<HsdsObject>;
  serviceAtLocations(query: HsdsListQuery, language: Language): Promise<HsdsPage<HsdsObject>>;
  serviceAtLocation(id: string, language: Language): Promise<HsdsObject>;
  taxonomies(): Promise<HsdsPage<HsdsObject>>;
  taxonomyTerms(query: HsdsListQuery, language: Language): Promise<HsdsPage<HsdsObject>>;
}

function page<T>(contents: T[], total: number, pageNumber: number, perPage: number): HsdsPage<T> {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: pageNumber,
    size: contents.length,
    first_page: pageNumber === 1,
    last_page: pageNumber >= totalPages,
    empty: total === 0,
    contents,
  };
}

/**
 * The HSDS 3.1 read API over the offer inventory. It is open data: whoever asks, it shows only
 * what anonymous visitors see (published, active, non-archived offers), never drafts.
 */
// eslint-disable-next-line max-lines-per-function -- a service factory: a closure over its injected dependencies; each method is counted on its own
export function createHsdsService(deps: { offers: OffersService; taxonomies: TaxonomiesService; holidayState: string }): HsdsService {
  const context = (language: Language) => ({ actor: anonymousActor, language });
  async function hsdsContext(): Promise<HsdsContext> {
    const terms = await deps.taxonomies.termIndex();
    return { term: (taxonomy, code) => terms.byCode(taxonomy, code), stateProvince: germanStates[deps.holidayState] ?? deps.holidayState };
  }

  async function listOffers(parsed: HsdsListQuery, language: Language): Promise<{ offers: Offer[]; total: number; page: number; perPage: number }> {
    const filters: ListOffersQuery = { archived: 'exclude', sort: 'name', page: parsed.page, pageSize: parsed.per_page };
    if (parsed.search) filters.q = parsed.search;
    if (parsed.taxonomy_term_id) {
      const terms = await deps.taxonomies.termIndex();
      const term = terms.byId(parsed.taxonomy_term_id);
      const taxonomy = term?.taxonomy;
      const code = term?.code ?? parsed.taxonomy_term_id;
      if (taxonomy === 'target_group' || (!term && terms.byCode('target_group', code) && !terms.byCode('offer_type', code))) filters.targetGroup = code;
      else filters.type = code;
    }
    const result = await deps.offers.list(context(language), filters);
    return { offers: result.items, total: result.total, page: parsed.page, perPage: parsed.per_page };
  }

  return {
    async services(query, language) {
      const { offers, total, page: pageNumber, perPage } = await listOffers(query, language);
      const mapping = await hsdsContext();
      return page(
        offers.map((offer) => offerToHsdsService(offer, mapping)),
        total,
        pageNumber,
        perPage,
      );
    },

    async service(id, language) {
      const offer = await deps.offers.get(context(language), id);
      return offerToHsdsService(offer, await hsdsContext());
    },

    async serviceAtLocations(query, language) {
      // Paged by service: a page holds the locations of `per_page` services.
      const { offers, total, page: pageNumber, perPage } = await listOffers(query, language);
      const mapping = await hsdsContext();
      const contents = offers.flatMap((offer) => {
        const service = offerToHsdsService(offer, mapping);
        return (service.service_at_locations as HsdsObject[] | undefined) ?? [];
      });
      return page(contents, total, pageNumber, perPage);
    },

    async serviceAtLocation(id, language) {
      const result = z.uuid().safeParse(id).success
        ? await deps.offers.list(context(language), { archived: 'exclude', sort: 'name', page: 1, pageSize: 1, location: id })
        : { items: [] };
      const offer = result.items[0];
      const found = offer ? ((offerToHsdsService(offer, await hsdsContext()).service_at_locations as HsdsObject[]) ?? []).find((item) => item.id === id) : undefined;
      if (!found) throw new NotFoundError(language === 'de' ? 'Diesen Standort eines Angebots gibt es nicht.' : 'There is no such service at location.', 'not_found');
      return found;
    },

    async taxonomies() {
      const taxonomies = await deps.taxonomies.list();
      const contents = taxonomies.map((taxonomy) => ({
        id: stableUuid('taxonomy', taxonomy.code),
        name: taxonomy.code,
        description: `${taxonomy.name.de} / ${taxonomy.name.en}`,
        version: '1',
      }));
      return page(contents, contents.length, 1, Math.max(1, contents.length));
    },

    async taxonomyTerms(parsed) {
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
      return page(matching.slice(start, start + parsed.per_page), matching.length, parsed.page, parsed.per_page);
    },
  };
}
