import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `create table audit_events (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null default now(),
      actor_id uuid references users (id) on delete set null,
      actor_label text check (actor_label is null or length(actor_label) <= 254),
      action text not null check (action ~ '^[a-z][a-z_.]{1,60}$'),
      entity_type text not null check (entity_type ~ '^[a-z][a-z_]{1,40}$'),
      entity_id text not null check (length(entity_id) between 1 and 80),
      entity_version integer,
      request_id text check (request_id is null or length(request_id) <= 100),
      before jsonb,
      after jsonb,
      check (before is not null or after is not null)
    )`,
    `create index audit_events_entity_idx on audit_events (entity_type, entity_id, id)`,
    `create index audit_events_actor_id_idx on audit_events (actor_id)`,
    `create index audit_events_occurred_at_idx on audit_events (occurred_at)`,
    // Audit events are append-only: the database itself refuses to change or delete one.
    `create function audit_events_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception 'audit events are append-only' using errcode = '55000';
      end
    $$`,
    `create trigger audit_events_append_only before update or delete on audit_events
      for each row execute function audit_events_refuse_change()`,
    `create table import_runs (
      id uuid primary key default gen_random_uuid(),
      dataset text not null check (length(dataset) between 1 and 120),
      kind text not null check (kind in ('areas', 'statistics', 'street_segments', 'offers')),
      file_name text check (file_name is null or length(file_name) <= 500),
      status text not null check (status in ('succeeded', 'failed', 'dry_run')),
      rows_read integer not null default 0 check (rows_read >= 0),
      rows_written integer not null default 0 check (rows_written >= 0),
      report jsonb,
      started_at timestamptz not null,
      finished_at timestamptz not null default now(),
      actor_label text check (actor_label is null or length(actor_label) <= 254),
      check (finished_at >= started_at)
    )`,
    `create index import_runs_dataset_idx on import_runs (dataset, finished_at desc)`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    'drop table import_runs',
    'drop trigger audit_events_append_only on audit_events',
    'drop table audit_events',
    'drop function audit_events_refuse_change()',
  ]);
}
