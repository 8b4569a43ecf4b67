import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null check (email ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' and length(email) <= 254),
      display_name text check (display_name is null or length(display_name) <= 200),
      password_hash text not null check (password_hash like '$argon2id$%'),
      role text not null check (role in ('admin', 'editor', 'planner')),
      department_id uuid references departments (id) on delete restrict,
      disabled_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (role <> 'editor' or department_id is not null)
    )`,
    `create unique index users_email_key on users (lower(email))`,
    `create index users_department_id_idx on users (department_id)`,
    `create table sessions (
      id text primary key check (length(id) = 64),
      user_id uuid not null references users (id) on delete cascade,
      csrf_token text not null check (length(csrf_token) >= 32),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      check (expires_at > created_at)
    )`,
    `create index sessions_user_id_idx on sessions (user_id)`,
    `create index sessions_expires_at_idx on sessions (expires_at)`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['drop table sessions', 'drop table users']);
}
