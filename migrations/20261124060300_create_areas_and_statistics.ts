import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `create table areas (
      id uuid primary key default gen_random_uuid(),
      level text not null check (level in ('city', 'district', 'sozialraum', 'quarter')),
      code text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'),
      name text not null check (length(name) between 1 and 200),
      parent_id uuid references areas (id) on delete restrict,
      source text check (source is null or length(source) <= 80),
      geom geometry(MultiPolygon, 4326) not null check (ST_IsValid(geom) and not ST_IsEmpty(geom)),
      area_m2 double precision not null check (area_m2 > 0),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (level, code),
      check (parent_id is null or parent_id <> id),
      check (level <> 'city' or parent_id is null)
    )`,
    `create index areas_geom_idx on areas using gist (geom)`,
    `create index areas_parent_id_idx on areas (parent_id)`,
    `create index areas_name_idx on areas (lower(name))`,
    `create table indicators (
      id uuid primary key default gen_random_uuid(),
      code text not null unique check (code ~ '^[a-z0-9][a-z0-9_.-]{0,79}$'),
      label_de text not null check (length(label_de) between 1 and 200),
      label_en text not null check (length(label_en) between 1 and 200),
      description_de text check (description_de is null or length(description_de) <= 4000),
      description_en text check (description_en is null or length(description_en) <= 4000),
      unit text not null check (unit in ('persons', 'percent', 'index', 'count', 'per_1000')),
      aggregation text not null check (aggregation in ('sum', 'mean', 'none')),
      sort_order integer not null default 0
    )`,
    `create table area_statistics (
      id bigint generated always as identity primary key,
      area_id uuid not null references areas (id) on delete cascade,
      indicator_id uuid not null references indicators (id) on delete restrict,
      period date not null check (period between date '1900-01-01' and date '2200-12-31'),
      value double precision not null check (value = value and value not in ('Infinity', '-Infinity')),
      source text check (source is null or length(source) <= 80),
      unique (area_id, indicator_id, period)
    )`,
    `create index area_statistics_indicator_period_idx on area_statistics (indicator_id, period)`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['drop table area_statistics', 'drop table indicators', 'drop table areas']);
}
