import type { Knex } from 'knex';
import type { FieldError } from '../http/errors.ts';
import { listTaxonomyTerms, type TaxonomyTermRow } from './search.repo.ts';

// The taxonomy as the search reads it: codes → term ids (with descendants), ids → labels, kept in
// memory for a while because every search resolves its filter codes through it.

export type Taxonomy = TaxonomyTermRow['taxonomy'];

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

const taxonomyWords: Record<Taxonomy, string> = {
  offer_type: 'offer type',
  target_group: 'target group',
  field_of_action: 'field of action',
  accessibility: 'accessibility feature',
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
    errors: FieldError[],
  ): Promise<string[] | null>;
}

export function createSearchTaxonomy(db: Knex, ttlMs: number): SearchTaxonomy {
  let taxonomy: TaxonomyCache | null = null;
  let loading: Promise<TaxonomyCache> | null = null;

  function load(): Promise<TaxonomyCache> {
    loading ??= listTaxonomyTerms(db)
      .then((rows) => {
        taxonomy = buildTaxonomyCache(rows, Date.now());
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
    errors: FieldError[],
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

  return { current, resolveCodes };
}
