import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

// Address points (OpenStreetMap `addr:*` on nodes and building outlines): a geocoder source that
// answers a house number with its own point, preferred over interpolation along a street segment.
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `create table address_points (
      id bigint generated always as identity primary key,
      -- the city the address belongs to (20261204050100_create_cities)
      city_id text not null default default_city_id() references cities (id) on delete restrict,
      source text not null check (length(source) between 1 and 80),
      external_id text not null check (length(external_id) between 1 and 80),
      street_name text not null check (length(street_name) between 1 and 200),
      -- the geocoder's matching form of the name (server/shared/street-key.ts)
      street_key text not null check (length(street_key) between 1 and 200),
      house_number text not null check (length(house_number) between 1 and 40),
      postal_code text check (postal_code is null or length(postal_code) <= 20),
      city text check (city is null or length(city) <= 100),
      geom geometry(Point, 4326) not null,
      unique (source, external_id)
    )`,
    'create index address_points_city_id_idx on address_points (city_id)',
    'create index address_points_street_key_idx on address_points (street_key)',
    'create index address_points_geom_idx on address_points using gist (geom)',
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['drop table address_points']);
}
