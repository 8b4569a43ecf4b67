// Taxonomy helpers: labels in the page language, and offer types in their hierarchy.
import type { Taxonomy, TaxonomyCode, TaxonomyTerm } from '../../../../server/taxonomies/taxonomies.schema';

export type TermLabels = Map<string, string>;

export function languageOf(language: string): 'de' | 'en' {
  return language.startsWith('en') ? 'en' : 'de';
}

export function termsOf(taxonomies: readonly Taxonomy[], code: TaxonomyCode): TaxonomyTerm[] {
  return taxonomies.find((taxonomy) => taxonomy.code === code)?.terms ?? [];
}

export function termLabels(terms: readonly TaxonomyTerm[], language: string): TermLabels {
  const lang = languageOf(language);
  return new Map(terms.map((term) => [term.code, term.label[lang]]));
}

export type TermGroup = { parent: TaxonomyTerm; children: TaxonomyTerm[] };

// Top-level terms with their children, in the order of the taxonomy file.
export function termTree(terms: readonly TaxonomyTerm[]): TermGroup[] {
  const codes = new Set(terms.map((term) => term.code));
  return terms
    .filter((term) => term.parent === null || !codes.has(term.parent))
    .map((parent) => ({ parent, children: terms.filter((term) => term.parent === parent.code) }));
}
