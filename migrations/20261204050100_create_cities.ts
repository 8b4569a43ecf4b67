import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

/**
 * Several cities in one database (issue 13). Every row that belongs to a city gets `city_id`;
 * codes become unique per city. Existing rows go to the city the database served so far: the
 * configured `CITY` (koeln when unset), which becomes the database's default city.
 *
 * Per city: areas (statistics follow their area), indicators, street segments, offers, departments,
 * steering goals and import runs. Shared by all cities: taxonomies (one vocabulary), organizations
 * (a provider such as Caritas runs offers in many cities), users (bound to a department, hence to
 * its city), audit events (they name the entity).
 *
 * `city_id` defaults to the default city, so single-city installations and bulk tools that write
 * without a city keep working; every path that serves or imports a city passes it explicitly.
 */
const cityTables = ['areas', 'indicators', 'street_segments', 'offers', 'departments', 'steering_goals', 'import_runs'] as const;

function configuredCity(): string {
  const city = (process.env.CITY ?? '').trim();
  return /^[a-z][a-z0-9-]{1,40}$/.test(city) ? city : 'koeln';
}

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `create table cities (
      id text primary key check (id ~ '^[a-z][a-z0-9-]{1,40}$'),
      name text not null check (length(name) between 1 and 100),
      is_default boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create unique index cities_one_default_idx on cities (is_default) where is_default`,
    `create function default_city_id() returns text language sql stable as $$ select id from cities where is_default $$`,
  ]);
  const city = configuredCity();
  await knex.raw('insert into cities (id, name, is_default) values (?, ?, true)', [city, city]);
  for (const table of cityTables) {
    // A non-volatile default is evaluated once and stored as the value of every existing row: no
    // UPDATE, so no queued trigger events (search generation) that would block the DDL below.
    await knex.raw('alter table ?? add column city_id text not null default default_city_id() references cities (id) on delete restrict', [table]);
    await knex.raw('create index ?? on ?? (city_id)', [`${table}_city_id_idx`, table]);
  }
  await runStatements(knex, [
    `alter table areas drop constraint areas_level_code_key`,
    `alter table areas add constraint areas_city_level_code_key unique (city_id, level, code)`,
    `alter table indicators drop constraint indicators_code_key`,
    `alter table indicators add constraint indicators_city_code_key unique (city_id, code)`,
    `alter table departments drop constraint departments_code_key`,
    `alter table departments add constraint departments_city_code_key unique (city_id, code)`,
    // A city's own indicators name where they come from (its statistics office, a survey).
    `alter table indicators add column source text check (source is null or length(source) between 1 and 300)`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  // Going back to one city is only possible while the database holds one.
  const counted = (await knex('cities').count({ count: '*' })) as { count: string | number }[];
  if (Number(counted[0]?.count ?? 0) > 1) throw new Error('The database holds several cities; remove all but one before rolling back this migration.');
  await runStatements(knex, [
    `alter table indicators drop column source`,
    `alter table departments drop constraint departments_city_code_key`,
    `alter table departments add constraint departments_code_key unique (code)`,
    `alter table indicators drop constraint indicators_city_code_key`,
    `alter table indicators add constraint indicators_code_key unique (code)`,
    `alter table areas drop constraint areas_city_level_code_key`,
    `alter table areas add constraint areas_level_code_key unique (level, code)`,
  ]);
  for (const table of cityTables) await knex.raw('alter table ?? drop column city_id', [table]);
  await runStatements(knex, ['drop function default_city_id()', 'drop table cities']);
}
