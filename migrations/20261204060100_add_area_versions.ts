import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

/**
 * Boundary versions: an area (level + code) may have several rows over time, each valid from
 * `valid_from` (null: since ever) until `valid_to` (null: still valid). Exactly one version per
 * code is open; importing new boundaries closes the old version instead of overwriting it, so
 * the old geometry keeps its statistics. `predecessor_id` links a version to the one it
 * replaced, `boundary_change` is the symmetric difference between the two as a share of the
 * new area (0 = same geometry). Existing rows become the one open version of their code.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `alter table areas add column valid_from date, add column valid_to date,
       add column predecessor_id uuid references areas (id) on delete set null,
       add column boundary_change double precision check (boundary_change is null or boundary_change >= 0),
       add constraint areas_validity_check check (valid_from is null or valid_to is null or valid_from < valid_to)`,
    // Codes are unique per city (20261204050100_create_cities) and now also per version.
    `alter table areas drop constraint areas_city_level_code_key`,
    `create unique index areas_current_city_level_code_key on areas (city_id, level, code) where valid_to is null`,
    `alter table areas add constraint areas_city_level_code_valid_from_key unique nulls not distinct (city_id, level, code, valid_from)`,
    `create index areas_predecessor_id_idx on areas (predecessor_id)`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  const closed = (await knex('areas').whereNotNull('valid_to').count<{ count: number }[]>({ count: '*' }).first()) ?? { count: 0 };
  if (Number(closed.count) > 0) {
    throw new Error(
      `${closed.count} superseded boundary versions exist; rolling back would merge them with the current ones. Delete them first (delete from areas where valid_to is not null).`,
    );
  }
  await runStatements(knex, [
    `drop index areas_predecessor_id_idx`,
    `alter table areas drop constraint areas_city_level_code_valid_from_key`,
    `drop index areas_current_city_level_code_key`,
    `alter table areas add constraint areas_city_level_code_key unique (city_id, level, code)`,
    `alter table areas drop constraint areas_validity_check, drop column boundary_change, drop column predecessor_id,
       drop column valid_to, drop column valid_from`,
  ]);
}
