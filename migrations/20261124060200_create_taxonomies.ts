import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `create table taxonomies (
      code text primary key check (code in ('offer_type', 'target_group', 'field_of_action', 'accessibility')),
      name_de text not null check (length(name_de) between 1 and 200),
      name_en text not null check (length(name_en) between 1 and 200)
    )`,
    `create table taxonomy_terms (
      id uuid primary key default gen_random_uuid(),
      taxonomy text not null references taxonomies (code) on delete restrict,
      code text not null check (code ~ '^[a-z0-9][a-z0-9_.-]{0,79}$'),
      parent_id uuid,
      label_de text not null check (length(label_de) between 1 and 200),
      label_en text not null check (length(label_en) between 1 and 200),
      description_de text check (description_de is null or length(description_de) <= 2000),
      description_en text check (description_en is null or length(description_en) <= 2000),
      sort_order integer not null default 0,
      -- offer types carry the default reach of their offers
      default_reach_kind text check (default_reach_kind in ('walk', 'radius', 'area')),
      default_reach_meters integer check (default_reach_meters between 1 and 100000),
      default_reach_area_level text check (default_reach_area_level in ('city', 'district', 'sozialraum', 'quarter')),
      unique (taxonomy, code),
      unique (taxonomy, id),
      foreign key (taxonomy, parent_id) references taxonomy_terms (taxonomy, id) on delete restrict,
      check (parent_id is null or parent_id <> id),
      check (default_reach_kind is null or taxonomy = 'offer_type'),
      check (
        default_reach_kind is null
        or (default_reach_kind in ('walk', 'radius') and default_reach_meters is not null and default_reach_area_level is null)
        or (default_reach_kind = 'area' and default_reach_meters is null and default_reach_area_level is not null)
      )
    )`,
    `create index taxonomy_terms_parent_id_idx on taxonomy_terms (parent_id)`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['drop table taxonomy_terms', 'drop table taxonomies']);
}
