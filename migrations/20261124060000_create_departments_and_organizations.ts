import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `create table departments (
      id uuid primary key default gen_random_uuid(),
      code text not null unique check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'),
      name text not null check (length(name) between 1 and 200),
      email text check (email is null or email ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'),
      phone text check (phone is null or length(phone) <= 40),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create table organizations (
      id uuid primary key default gen_random_uuid(),
      source text check (source is null or length(source) <= 80),
      external_id text check (external_id is null or length(external_id) <= 200),
      name text not null check (length(name) between 1 and 300),
      description text check (description is null or length(description) <= 10000),
      website text check (website is null or website ~ '^https?://'),
      email text check (email is null or email ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'),
      phone text check (phone is null or length(phone) <= 40),
      legal_status text check (legal_status is null or length(legal_status) <= 200),
      parent_id uuid references organizations (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (parent_id is null or parent_id <> id),
      check ((source is null) = (external_id is null))
    )`,
    `create unique index organizations_source_external_id_key on organizations (source, external_id) where source is not null`,
    `create index organizations_name_idx on organizations (lower(name))`,
    `create index organizations_parent_id_idx on organizations (parent_id)`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['drop table organizations', 'drop table departments']);
}
