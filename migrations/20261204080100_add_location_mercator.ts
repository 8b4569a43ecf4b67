import type { Knex } from 'knex';
import { runStatements } from '../server/db/sql.ts';

/**
 * Each location's position in Web Mercator (EPSG:3857), stored and indexed, so that a vector tile
 * selects and scales its points without transforming every candidate row (docs/benchmarks.md,
 * "Vector tiles"). Spherical Mercator written out with immutable functions (a generated column
 * may not call ST_Transform, whose result depends on spatial_ref_sys); it equals ST_Transform(geom,
 * 3857) to well below a millimetre. Latitudes are held to Web Mercator's ±85.0511°.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `alter table locations add column geom_mercator geometry(Point, 3857) generated always as (
       ST_SetSRID(ST_MakePoint(
         6378137 * radians(ST_X(geom)),
         6378137 * ln(tan(pi() / 4 + radians(greatest(-85.0511287798, least(85.0511287798, ST_Y(geom)))) / 2))
       ), 3857)) stored`,
    `create index locations_geom_mercator_idx on locations using gist (geom_mercator)`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['drop index locations_geom_mercator_idx', 'alter table locations drop column geom_mercator']);
}
