import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

/**
 * Area sets (issue 13): planning areas that are unions of existing areas, such as Cologne's
 * Sozialraumgebiete of the programme "Lebenswerte Veedel", each a group of Stadtteile. A set is an
 * area of level `area_set` (its geometry the union of its members, its statistics the sums of
 * theirs), so coverage, profiles, the map and the OGC collections treat it like any level. The
 * member list is kept by level and code, not by row: it stays true across boundary versions.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `alter table areas drop constraint areas_level_check`,
    `alter table areas add constraint areas_level_check check (level in ('city', 'district', 'sozialraum', 'quarter', 'area_set'))`,
    `create table area_set_members (
      set_id uuid not null references areas (id) on delete cascade,
      member_level text not null check (member_level in ('district', 'sozialraum', 'quarter')),
      member_code text not null check (member_code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'),
      primary key (set_id, member_level, member_code)
    )`,
    `alter table import_runs drop constraint import_runs_kind_check`,
    `alter table import_runs add constraint import_runs_kind_check check (kind in ('areas', 'statistics', 'street_segments', 'offers', 'area_sets'))`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  const sets = (await knex('areas').where('level', 'area_set').count<{ count: number }[]>({ count: '*' }).first()) ?? { count: 0 };
  if (Number(sets.count) > 0) {
    throw new Error(`${sets.count} area sets exist; rolling back would lose them. Delete them first (delete from areas where level = 'area_set').`);
  }
  const runs = (await knex('import_runs').where('kind', 'area_sets').count<{ count: number }[]>({ count: '*' }).first()) ?? { count: 0 };
  if (Number(runs.count) > 0) {
    throw new Error(`${runs.count} import runs of area sets are logged; rolling back would lose them. Delete them first (delete from import_runs where kind = 'area_sets').`);
  }
  await runStatements(knex, [
    `alter table import_runs drop constraint import_runs_kind_check`,
    `alter table import_runs add constraint import_runs_kind_check check (kind in ('areas', 'statistics', 'street_segments', 'offers'))`,
    `drop table area_set_members`,
    `alter table areas drop constraint areas_level_check`,
    `alter table areas add constraint areas_level_check check (level in ('city', 'district', 'sozialraum', 'quarter'))`,
  ]);
}
