import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

/**
 * The steering cycle (docs/steering.md): goals with a key figure per area, measures that serve
 * them, hand-entered process figures, and monthly snapshots that are never changed afterwards.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `create table steering_goals (
      id uuid primary key default gen_random_uuid(),
      field_of_action text not null check (field_of_action ~ '^[a-z][a-z0-9_]{0,39}$'),
      title text not null check (length(btrim(title)) between 1 and 300),
      rationale text check (rationale is null or length(rationale) <= 10000),
      target_group text check (target_group is null or target_group ~ '^[a-z0-9][a-z0-9_.-]{0,79}$'),
      scope text not null check (scope in ('city', 'areas')),
      key_figure jsonb not null,
      unit text not null check (length(unit) between 1 and 40),
      baseline_value double precision not null check (baseline_value = baseline_value),
      baseline_date date not null,
      target_value double precision not null check (target_value = target_value),
      deadline date not null,
      owner_department_id uuid not null references departments (id) on delete restrict,
      council_reference text check (council_reference is null or length(council_reference) <= 200),
      status text not null default 'draft' check (status in ('draft', 'adopted', 'achieved', 'dropped')),
      adopted_at timestamptz,
      version integer not null default 1 check (version >= 1),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (deadline > baseline_date),
      check (target_value <> baseline_value)
    )`,
    `create index steering_goals_field_idx on steering_goals (field_of_action, status)`,
    `create table steering_goal_areas (
      goal_id uuid not null references steering_goals (id) on delete cascade,
      area_id uuid not null references areas (id) on delete restrict,
      primary key (goal_id, area_id)
    )`,
    `create index steering_goal_areas_area_idx on steering_goal_areas (area_id)`,
    `create table steering_goal_departments (
      goal_id uuid not null references steering_goals (id) on delete cascade,
      department_id uuid not null references departments (id) on delete restrict,
      primary key (goal_id, department_id)
    )`,
    `create table steering_measures (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('new_offer', 'offer_change', 'project')),
      title text not null check (length(btrim(title)) between 1 and 300),
      description text check (description is null or length(description) <= 10000),
      department_id uuid not null references departments (id) on delete restrict,
      status text not null default 'planned' check (status in ('planned', 'in_progress', 'done', 'cancelled')),
      progress integer not null default 0 check (progress between 0 and 100),
      budget double precision check (budget is null or budget >= 0),
      planned_offer jsonb,
      offer_id uuid references offers (id) on delete set null,
      opened_at timestamptz,
      version integer not null default 1 check (version >= 1),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (kind <> 'new_offer' or planned_offer is not null)
    )`,
    `create table steering_measure_goals (
      measure_id uuid not null references steering_measures (id) on delete cascade,
      goal_id uuid not null references steering_goals (id) on delete restrict,
      primary key (measure_id, goal_id)
    )`,
    `create index steering_measure_goals_goal_idx on steering_measure_goals (goal_id)`,
    `create table steering_measure_departments (
      measure_id uuid not null references steering_measures (id) on delete cascade,
      department_id uuid not null references departments (id) on delete restrict,
      primary key (measure_id, department_id)
    )`,
    `create table steering_milestones (
      id uuid primary key default gen_random_uuid(),
      measure_id uuid not null references steering_measures (id) on delete cascade,
      title text not null check (length(btrim(title)) between 1 and 300),
      due_date date not null,
      done_on date
    )`,
    `create index steering_milestones_measure_idx on steering_milestones (measure_id, due_date)`,
    `create table steering_process_values (
      id bigint generated always as identity primary key,
      goal_id uuid not null references steering_goals (id) on delete cascade,
      area_id uuid references areas (id) on delete restrict,
      month date not null check (extract(day from month) = 1),
      value double precision not null check (value = value and value not in ('Infinity', '-Infinity')),
      source text not null check (length(btrim(source)) between 1 and 300),
      entered_by uuid references users (id) on delete set null,
      entered_by_label text not null check (length(entered_by_label) between 1 and 254),
      entered_at timestamptz not null default now()
    )`,
    // One value per goal, area (or the whole goal) and month; a correction replaces it.
    `create unique index steering_process_values_key on steering_process_values (goal_id, coalesce(area_id, '00000000-0000-0000-0000-000000000000'::uuid), month)`,
    `create table steering_snapshots (
      id uuid primary key default gen_random_uuid(),
      goal_id uuid not null references steering_goals (id) on delete restrict,
      month date not null check (extract(day from month) = 1),
      taken_at timestamptz not null default now(),
      trigger text not null check (trigger in ('schedule', 'command_line', 'request')),
      value double precision,
      status text not null check (status in ('on_track', 'at_risk', 'off_track', 'no_data')),
      goal_version integer not null,
      method jsonb not null,
      areas jsonb not null,
      unique (goal_id, month)
    )`,
    // Snapshots are a time series of what was measured then: the database refuses to change one.
    `create function steering_snapshots_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception 'steering snapshots are never changed' using errcode = '55000';
      end
    $$`,
    `create trigger steering_snapshots_immutable before update or delete on steering_snapshots
      for each row execute function steering_snapshots_refuse_change()`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    'drop trigger steering_snapshots_immutable on steering_snapshots',
    'drop table steering_snapshots',
    'drop function steering_snapshots_refuse_change()',
    'drop table steering_process_values',
    'drop table steering_milestones',
    'drop table steering_measure_departments',
    'drop table steering_measure_goals',
    'drop table steering_measures',
    'drop table steering_goal_departments',
    'drop table steering_goal_areas',
    'drop table steering_goals',
  ]);
}
