import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `create table offers (
      id uuid primary key default gen_random_uuid(),
      source text check (source is null or length(source) <= 80),
      external_id text check (external_id is null or length(external_id) <= 200),
      department_id uuid not null references departments (id) on delete restrict,
      organization_id uuid references organizations (id) on delete restrict,
      name text not null check (length(btrim(name)) between 1 and 300),
      alternate_name text check (alternate_name is null or length(alternate_name) <= 300),
      description text check (description is null or length(description) <= 10000),
      status text not null default 'active'
        check (status in ('active', 'inactive', 'temporarily_closed', 'defunct')),
      publication text not null default 'draft' check (publication in ('draft', 'published')),
      archived_at timestamptz,
      offer_type_taxonomy text not null default 'offer_type' check (offer_type_taxonomy = 'offer_type'),
      offer_type_id uuid not null,
      min_age integer check (min_age between 0 and 130),
      max_age integer check (max_age between 0 and 130),
      cost_kind text check (cost_kind in ('free', 'reduced', 'paid')),
      cost_text text check (cost_text is null or length(cost_text) <= 1000),
      languages text[] not null default '{}'
        check (cardinality(languages) = 0 or array_to_string(languages, ',') ~ '^[a-z]{2,3}(,[a-z]{2,3})*$'),
      email text check (email is null or email ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'),
      phone text check (phone is null or length(phone) <= 40),
      website text check (website is null or website ~ '^https?://'),
      opening_hours text check (opening_hours is null or length(opening_hours) <= 1000),
      opening_hours_note text check (opening_hours_note is null or length(opening_hours_note) <= 1000),
      reach_kind text check (reach_kind in ('walk', 'radius', 'area')),
      reach_meters integer check (reach_meters between 1 and 100000),
      capacity double precision check (capacity >= 0 and capacity < 1000000),
      capacity_unit text check (capacity_unit is null or length(capacity_unit) between 1 and 40),
      verified_at timestamptz,
      verified_by uuid references users (id) on delete set null,
      version integer not null default 1 check (version >= 1),
      search_vector tsvector,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      created_by uuid references users (id) on delete set null,
      updated_by uuid references users (id) on delete set null,
      foreign key (offer_type_taxonomy, offer_type_id) references taxonomy_terms (taxonomy, id) on delete restrict,
      check ((source is null) = (external_id is null)),
      check (min_age is null or max_age is null or min_age <= max_age),
      check (
        reach_kind is null and reach_meters is null
        or reach_kind in ('walk', 'radius') and reach_meters is not null
        or reach_kind = 'area' and reach_meters is null
      ),
      check (capacity_unit is null or capacity is not null),
      check (verified_by is null or verified_at is not null)
    )`,
    `create unique index offers_source_external_id_key on offers (source, external_id) where source is not null`,
    `create index offers_department_id_idx on offers (department_id)`,
    `create index offers_organization_id_idx on offers (organization_id)`,
    `create index offers_offer_type_id_idx on offers (offer_type_id)`,
    `create index offers_visibility_idx on offers (publication, status) where archived_at is null`,
    `create index offers_name_idx on offers (lower(name))`,
    `create index offers_updated_at_idx on offers (updated_at)`,
    `create index offers_verified_at_idx on offers (verified_at)`,
    `create index offers_search_vector_idx on offers using gin (search_vector)`,
    `create table offer_terms (
      offer_id uuid not null references offers (id) on delete cascade,
      taxonomy text not null check (taxonomy in ('target_group', 'field_of_action', 'accessibility')),
      term_id uuid not null,
      primary key (offer_id, term_id),
      foreign key (taxonomy, term_id) references taxonomy_terms (taxonomy, id) on delete restrict
    )`,
    `create index offer_terms_term_id_idx on offer_terms (term_id)`,
    `create table offer_reach_areas (
      offer_id uuid not null references offers (id) on delete cascade,
      area_id uuid not null references areas (id) on delete restrict,
      primary key (offer_id, area_id)
    )`,
    `create index offer_reach_areas_area_id_idx on offer_reach_areas (area_id)`,
    `create table locations (
      id uuid primary key default gen_random_uuid(),
      source text check (source is null or length(source) <= 80),
      external_id text check (external_id is null or length(external_id) <= 200),
      name text check (name is null or length(name) <= 300),
      street text check (street is null or length(street) <= 200),
      house_number text check (house_number is null or length(house_number) <= 20),
      postal_code text check (postal_code is null or postal_code ~ '^[0-9]{5}$'),
      city text check (city is null or length(city) <= 100),
      accessibility_note text check (accessibility_note is null or length(accessibility_note) <= 2000),
      geom geometry(Point, 4326) not null
        check (ST_X(geom) between -180 and 180 and ST_Y(geom) between -90 and 90),
      geog geography(Point, 4326) generated always as (geom::geography) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((source is null) = (external_id is null))
    )`,
    `create unique index locations_source_external_id_key on locations (source, external_id) where source is not null`,
    `create index locations_geom_idx on locations using gist (geom)`,
    `create index locations_geog_idx on locations using gist (geog)`,
    `create table location_areas (
      location_id uuid not null references locations (id) on delete cascade,
      area_id uuid not null references areas (id) on delete cascade,
      primary key (location_id, area_id)
    )`,
    `create index location_areas_area_id_idx on location_areas (area_id)`,
    // HSDS service_at_location: the unit of search and of the map
    `create table offer_locations (
      id uuid primary key default gen_random_uuid(),
      offer_id uuid not null references offers (id) on delete cascade,
      location_id uuid not null references locations (id) on delete restrict,
      unique (offer_id, location_id)
    )`,
    `create index offer_locations_location_id_idx on offer_locations (location_id)`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    'drop table offer_locations',
    'drop table location_areas',
    'drop table locations',
    'drop table offer_reach_areas',
    'drop table offer_terms',
    'drop table offers',
  ]);
}
