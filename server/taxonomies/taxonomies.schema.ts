export const taxonomyCodes = ['offer_type', 'target_group', 'field_of_action', 'accessibility'] as const;
export type TaxonomyCode = (typeof taxonomyCodes)[number];

export const areaLevelsForReach = ['city', 'district', 'sozialraum', 'quarter'] as const;

export type DefaultReach =
  | { kind: 'walk' | 'radius'; meters: number }
  | { kind: 'area'; level: (typeof areaLevelsForReach)[number] };

export interface TaxonomyTerm {
  id: string;
  code: string;
  parent: string | null;
  label: { de: string; en: string };
  description: { de: string | null; en: string | null };
  /** Offer types only: the reach an offer of this type has unless it states its own. */
  defaultReach: DefaultReach | null;
}

export interface Taxonomy {
  code: TaxonomyCode;
  name: { de: string; en: string };
  terms: TaxonomyTerm[];
}

/** GET /api/taxonomies */
export interface TaxonomiesResponse {
  taxonomies: Taxonomy[];
}
