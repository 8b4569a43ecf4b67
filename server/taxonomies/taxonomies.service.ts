import type { Knex } from 'knex';
import { listTaxonomies } from './taxonomies.repo.ts';
import type { Taxonomy, TaxonomyCode, TaxonomyTerm } from './taxonomies.schema.ts';

export interface TermIndex {
  /** The term of a taxonomy by its code. */
  byCode(taxonomy: TaxonomyCode, code: string): TaxonomyTerm | undefined;
  byId(id: string): (TaxonomyTerm & { taxonomy: TaxonomyCode }) | undefined;
  /** The term and all terms below it (e.g. `seniors` and `senior_meeting_place`). */
  withDescendants(taxonomy: TaxonomyCode, code: string): TaxonomyTerm[];
}

export interface TaxonomiesService {
  list(): Promise<Taxonomy[]>;
  /**
   * The terms held in memory: reference data changes only when seeds run at start-up. Callers
   * load it before opening a transaction (the embedded database has a single connection).
   */
  termIndex(): Promise<TermIndex>;
  invalidate(): void;
}

function buildIndex(taxonomies: Taxonomy[]): TermIndex {
  const byCode = new Map<string, TaxonomyTerm>();
  const byId = new Map<string, TaxonomyTerm & { taxonomy: TaxonomyCode }>();
  const children = new Map<string, TaxonomyTerm[]>();
  for (const taxonomy of taxonomies) {
    for (const term of taxonomy.terms) {
      byCode.set(`${taxonomy.code}/${term.code}`, term);
      byId.set(term.id, { ...term, taxonomy: taxonomy.code });
      if (term.parent) {
        const key = `${taxonomy.code}/${term.parent}`;
        children.set(key, [...(children.get(key) ?? []), term]);
      }
    }
  }
  const collect = (taxonomy: TaxonomyCode, term: TaxonomyTerm): TaxonomyTerm[] => [
    term,
    ...(children.get(`${taxonomy}/${term.code}`) ?? []).flatMap((child) => collect(taxonomy, child)),
  ];
  return {
    byCode: (taxonomy, code) => byCode.get(`${taxonomy}/${code}`),
    byId: (id) => byId.get(id),
    withDescendants: (taxonomy, code) => {
      const term = byCode.get(`${taxonomy}/${code}`);
      return term ? collect(taxonomy, term) : [];
    },
  };
}

export function createTaxonomiesService(deps: { db: Knex }): TaxonomiesService {
  let cached: Promise<{ taxonomies: Taxonomy[]; index: TermIndex }> | undefined;
  const load = () => {
    cached ??= listTaxonomies(deps.db)
      .then((taxonomies) => ({ taxonomies, index: buildIndex(taxonomies) }))
      .catch((error: unknown) => {
        cached = undefined;
        throw error;
      });
    return cached;
  };
  return {
    list: async () => (await load()).taxonomies,
    termIndex: async () => (await load()).index,
    invalidate: () => {
      cached = undefined;
    },
  };
}
