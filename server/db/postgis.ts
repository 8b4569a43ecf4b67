import type { Knex } from 'knex';
import knexPostgis from 'knex-postgis';

// knex-postgis builds the PostGIS expressions the query builder composes (positions in and out,
// GeoJSON) with bindings and quoted identifiers. Hand-written SQL stays where a statement is one
// tuned query (search, coverage's snapping, tiles): there a builder would only hide the SQL.

type Postgis = ReturnType<typeof knexPostgis>;
const byExecutor = new WeakMap<object, Postgis>();

/** The PostGIS expression builders for a knex instance or transaction. */
export function postgis(executor: Knex | Knex.Transaction): Postgis {
  let builders = byExecutor.get(executor);
  if (!builders) {
    builders = knexPostgis(executor as Knex);
    byExecutor.set(executor, builders);
  }
  return builders;
}

/** A point in EPSG:4326 from longitude and latitude (bound, never interpolated). */
export function pointFromLonLat(executor: Knex | Knex.Transaction, lon: number, lat: number): Knex.Raw {
  const st = postgis(executor);
  return st.setSRID(st.makePoint(lon, lat), 4326);
}
