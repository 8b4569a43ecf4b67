import type { Knex } from 'knex';

/** Runs DDL statements one by one: the embedded driver accepts one statement per query. */
export async function runStatements(knex: Knex, statements: readonly string[]): Promise<void> {
  for (const statement of statements) {
    await knex.raw(statement);
  }
}
