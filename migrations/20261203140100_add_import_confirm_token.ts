import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

// Dry-run-then-confirm, enforced (issue 11, defect 10): the confirmation was the file's SHA-256,
// which anyone can compute without a dry run. A dry run now issues a random token; the server
// keeps only its SHA-256, with the file's checksum and the user it was issued to, and a confirm
// spends it (single use).
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `alter table import_runs
       add column confirm_token_hash text check (confirm_token_hash is null or confirm_token_hash ~ '^[0-9a-f]{64}$'),
       add column file_checksum text check (file_checksum is null or file_checksum ~ '^[0-9a-f]{64}$'),
       add column actor_id uuid references users (id) on delete set null`,
    `create unique index import_runs_confirm_token_idx on import_runs (confirm_token_hash) where confirm_token_hash is not null`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    'drop index import_runs_confirm_token_idx',
    'alter table import_runs drop column actor_id, drop column file_checksum, drop column confirm_token_hash',
  ]);
}
