import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

// Everything the citizens' search shows comes from these tables (server/search/search-index.ts).
const watchedTables = ['offers', 'offer_locations', 'locations', 'offer_terms', 'organizations', 'taxonomy_terms'] as const;

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    // The in-memory search index compares this number once a second and rebuilds when it moved.
    // A row bumped in the writing transaction (not a sequence): the new value becomes visible
    // together with the data, so a reader that sees the number also sees the change.
    `create table search_generation (
      singleton boolean primary key default true check (singleton),
      generation bigint not null default 0
    )`,
    `insert into search_generation (singleton, generation) values (true, 0)`,
    // Deferred to commit and done once per transaction: the counter row is locked only for the
    // moment of the commit, when a transaction takes no other locks, so writers never deadlock on
    // it and a 100,000-row import bumps it once.
    `create function search_generation_bump() returns trigger language plpgsql as $$
      begin
        if current_setting('angebotsatlas.search_generation_bumped', true) is distinct from txid_current()::text then
          perform set_config('angebotsatlas.search_generation_bumped', txid_current()::text, true);
          update search_generation set generation = generation + 1 where singleton;
        end if;
        return null;
      end
    $$`,
    ...watchedTables.map(
      (table) =>
        `create constraint trigger ${table}_search_generation after insert or update or delete on ${table}
           deferrable initially deferred for each row execute function search_generation_bump()`,
    ),
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    ...watchedTables.map((table) => `drop trigger ${table}_search_generation on ${table}`),
    'drop function search_generation_bump()',
    'drop table search_generation',
  ]);
}
