import type { Knex } from 'knex';

/**
 * Runs DDL statements one by one: the embedded driver accepts one statement per query.
 * DDL has no bindings, so every `?` (e.g. in a CHECK regex) is escaped; knex would
 * otherwise take it for a placeholder.
 */
export async function runStatements(knex: Knex, statements: readonly string[]): Promise<void> {
  for (const statement of statements) {
    await knex.raw(statement.replaceAll('?', '\\?'));
  }
}
