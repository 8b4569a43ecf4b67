import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    // The citizens' full-text search also matches the provider's name. An expression index rather
    // than a stored column: nothing has to keep it up to date, and the search writes exactly this
    // expression (server/search/search.repo.ts).
    `create index organizations_name_search_idx on organizations using gin (to_tsvector('german', name))`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['drop index organizations_name_search_idx']);
}
