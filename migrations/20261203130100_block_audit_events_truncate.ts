import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

/**
 * The row trigger of 20261124060600 refuses UPDATE and DELETE, but TRUNCATE fires no row
 * triggers: one statement could still empty the audit log. A statement-level trigger refuses it
 * with the same function (SQLSTATE 55000).
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function audit_events_refuse_change()`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['drop trigger audit_events_no_truncate on audit_events']);
}
