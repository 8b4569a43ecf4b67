import type { KeyedFieldError, Message } from '../http/localized-validation.ts';
import type { Taxonomy as TaxonomyWithTerms, TaxonomyCode } from '../taxonomies/taxonomies.schema.ts';
import type { TaxonomiesService } from '../taxonomies/taxonomies.service.ts';
import { searchMessages } from './search.messages.ts';
import type { SearchOptionTerm, SearchOptions } from './search.schema.ts';

// The taxonomy as the search reads it: codes → term ids (with descendants), ids → labels, kept in
// memory for a while because every search resolves its filter codes through it. The terms come
// from the taxonomies service, the only reader of taxonomy_terms (issue 10).

export type Taxonomy = TaxonomyCode;

export interface TaxonomyTermRow {
  id: string;
  taxonomy: Taxonomy;
  code: string;
  parentId: string | null;
  labelDe: string;
  labelEn: string;
  /** The position in its taxonomy (the service lists terms by sort order, then code). */
  sortOrder: number;
}

export function termRowsOf(taxonomies: readonly TaxonomyWithTerms[]): TaxonomyTermRow[] {
  return taxonomies.flatMap((taxonomy) => {
    const idByCode = new Map(taxonomy.terms.map((term) => [term.code, term.id]));
    return taxonomy.terms.map((term, index) => ({
      id: term.id,
      taxonomy: taxonomy.code,
      code: term.code,
      parentId: term.parent === null ? null : (idByCode.get(term.parent) ?? null),
      labelDe: term.label.de,
      labelEn: term.label.en,
      sortOrder: index,
    }));
  });
}

export interface TaxonomyCache {
  loadedAt: number;
  byId: Map<string, TaxonomyTermRow>;
  byCode: Map<Taxonomy, Map<string, TaxonomyTermRow>>;
  children: Map<string, string[]>;
}

export function buildTaxonomyCache(rows: TaxonomyTermRow[], loadedAt: number): TaxonomyCache {
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

const unknownCode: Record<Taxonomy, Message> = {
  offer_type: searchMessages.unknown_offer_type!,
  target_group: searchMessages.unknown_target_group!,
  field_of_action: searchMessages.unknown_field_of_action!,
  accessibility: searchMessages.unknown_accessibility!,
};

export interface SearchTaxonomy {
  /** The cached taxonomy, reloaded when older than the time to live. */
  current(): Promise<TaxonomyCache>;
  /** Codes → term ids (with all descendants when asked), collecting a field error per unknown code. */
  resolveCodes(
    kind: Taxonomy,
    codes: string[] | undefined,
    field: string,
    withDescendants: boolean,
    errors: KeyedFieldError[],
  ): Promise<string[] | null>;
}

export function createSearchTaxonomy(taxonomies: TaxonomiesService, ttlMs: number): SearchTaxonomy {
  let taxonomy: TaxonomyCache | null = null;
  let loading: Promise<TaxonomyCache> | null = null;

  /** The first load takes the service's terms; later ones (expired, unknown code) ask it to reread. */
  function load(): Promise<TaxonomyCache> {
    if (taxonomy) taxonomies.invalidate();
    loading ??= taxonomies
      .list()
      .then((list) => {
        taxonomy = buildTaxonomyCache(termRowsOf(list), Date.now());
        return taxonomy;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  async function current(): Promise<TaxonomyCache> {
    if (taxonomy && Date.now() - taxonomy.loadedAt < ttlMs) return taxonomy;
    return load();
  }

  async function resolveCodes(
    kind: Taxonomy,
    codes: string[] | undefined,
    field: string,
    withDescendants: boolean,
    errors: KeyedFieldError[],
  ): Promise<string[] | null> {
    if (!codes) return null;
    let cache = await current();
    // A code added since the cache was filled is found after one reload.
    if (codes.some((code) => !cache.byCode.get(kind)?.has(code)) && Date.now() - cache.loadedAt > 1000) {
      cache = await load();
    }
    const ids = new Set<string>();
    for (const code of codes) {
      const term = cache.byCode.get(kind)?.get(code);
      if (!term) {
        errors.push({ field, code: 'unknown_term', message: unknownCode[kind], params: { code } });
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

  return { current, resolveCodes };
}

/** The filter choices of the search form: every taxonomy in its order, with parents and labels. */
export function searchOptionsOf(cache: TaxonomyCache, languages: SearchOptions['languages']): SearchOptions {
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
}
