import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `create table street_segments (
      id bigint generated always as identity primary key,
      source text not null check (length(source) between 1 and 80),
      external_id text not null check (length(external_id) between 1 and 80),
      street_name text not null check (length(street_name) between 1 and 200),
      -- lower-cased, ß→ss, "str." expanded: the form the geocoder matches against
      street_key text not null check (length(street_key) between 1 and 200),
      house_from_left integer check (house_from_left between 1 and 99999),
      house_to_left integer check (house_to_left between 1 and 99999),
      house_from_right integer check (house_from_right between 1 and 99999),
      house_to_right integer check (house_to_right between 1 and 99999),
      area_id uuid references areas (id) on delete set null,
      geom geometry(LineString, 4326) not null check (ST_IsValid(geom) and ST_NPoints(geom) >= 2),
      length_m double precision not null check (length_m >= 0),
      unique (source, external_id),
      check ((house_from_left is null) = (house_to_left is null)),
      check ((house_from_right is null) = (house_to_right is null))
    )`,
    `create index street_segments_geom_idx on street_segments using gist (geom)`,
    `create index street_segments_street_key_idx on street_segments (street_key)`,
    `create index street_segments_area_id_idx on street_segments (area_id)`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['drop table street_segments']);
}
