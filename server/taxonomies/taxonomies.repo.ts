import type { Knex } from 'knex';
import type { DefaultReach, Taxonomy, TaxonomyCode, TaxonomyTerm } from './taxonomies.schema.ts';

type Executor = Knex | Knex.Transaction;

interface TermRow {
  id: string;
  taxonomy: TaxonomyCode;
  code: string;
  parent_code: string | null;
  label_de: string;
  label_en: string;
  description_de: string | null;
  description_en: string | null;
  default_reach_kind: 'walk' | 'radius' | 'area' | null;
  default_reach_meters: number | null;
  default_reach_area_level: 'city' | 'district' | 'sozialraum' | 'quarter' | null;
}

function toDefaultReach(row: TermRow): DefaultReach | null {
  if (row.default_reach_kind === 'area' && row.default_reach_area_level) return { kind: 'area', level: row.default_reach_area_level };
  if ((row.default_reach_kind === 'walk' || row.default_reach_kind === 'radius') && row.default_reach_meters !== null) {
    return { kind: row.default_reach_kind, meters: row.default_reach_meters };
  }
  return null;
}

function toTerm(row: TermRow): TaxonomyTerm {
  return {
    id: row.id,
    code: row.code,
    parent: row.parent_code,
    label: { de: row.label_de, en: row.label_en },
    description: { de: row.description_de, en: row.description_en },
    defaultReach: toDefaultReach(row),
  };
}

export async function listTaxonomies(executor: Executor): Promise<Taxonomy[]> {
  const taxonomies = (await executor('taxonomies').select('code', 'name_de', 'name_en').orderByRaw(
    "array_position(array['offer_type','target_group','field_of_action','accessibility']::text[], code)",
  )) as { code: TaxonomyCode; name_de: string; name_en: string }[];
  const terms = (await executor('taxonomy_terms as t')
    .leftJoin('taxonomy_terms as p', 'p.id', 't.parent_id')
    .select(
      't.id',
      't.taxonomy',
      't.code',
      'p.code as parent_code',
      't.label_de',
      't.label_en',
      't.description_de',
      't.description_en',
      't.default_reach_kind',
      't.default_reach_meters',
      't.default_reach_area_level',
    )
    .orderBy([{ column: 't.taxonomy' }, { column: 't.sort_order' }, { column: 't.code' }])) as TermRow[];
  return taxonomies.map((taxonomy) => ({
    code: taxonomy.code,
    name: { de: taxonomy.name_de, en: taxonomy.name_en },
    terms: terms.filter((term) => term.taxonomy === taxonomy.code).map(toTerm),
  }));
}
