import type { Knex } from 'knex';
import knexPostgis from 'knex-postgis';

// knex-postgis builds the PostGIS expressions the query builder composes (positions in and out,
// distances, GeoJSON) with bindings and quoted identifiers. Hand-written SQL stays where a statement
// is one tuned query (search's KNN, coverage's snapping, the set-based imports, tiles): there a
// builder would only hide the SQL. docs/architecture.md lists each raw place and why.

type Postgis = ReturnType<typeof knexPostgis>;
type Expression = ReturnType<Postgis['x']>;
type Geometry = Parameters<Postgis['x']>[0];

/** The two expressions knex-postgis lacks, added through its own extension point (same bindings, same quoting). */
interface PostgisExtras {
  /** `ST_AsGeoJSON(geom, maxDecimals)`: knex-postgis's `asGeoJSON` takes no precision. */
  asGeoJSONRounded(geometry: Geometry, maxDecimals: number): Expression;
  /** `ST_PointOnSurface(geom)`: a point guaranteed inside an area, where residents without streets sit. */
  pointOnSurface(geometry: Geometry): Expression;
}

interface Formatter {
  wrapWKT(value: Geometry): unknown;
  wrapInteger(value: number): unknown;
}

type PostgisFunction = (name: string, ...args: unknown[]) => Expression;

function defineExtras(_knex: Knex, formatter: Formatter, postgisFunction: PostgisFunction): PostgisExtras {
  return {
    // The precision is cast (`?::int`): an untyped parameter next to a geometry picks an overload by luck.
    asGeoJSONRounded: (geometry, maxDecimals) => postgisFunction('ST_AsGeoJSON', formatter.wrapWKT(geometry), formatter.wrapInteger(maxDecimals)),
    pointOnSurface: (geometry) => postgisFunction('ST_PointOnSurface', formatter.wrapWKT(geometry)),
  };
}

type PostgisWithExtras = Postgis & PostgisExtras;
const byExecutor = new WeakMap<object, PostgisWithExtras>();

/** The PostGIS expression builders for a knex instance or transaction. */
export function postgis(executor: Knex | Knex.Transaction): PostgisWithExtras {
  let builders = byExecutor.get(executor);
  if (!builders) {
    knexPostgis(executor as Knex);
    (executor as unknown as { postgisDefineExtras(define: typeof defineExtras): void }).postgisDefineExtras(defineExtras);
    builders = (executor as unknown as { postgis: PostgisWithExtras }).postgis;
    byExecutor.set(executor, builders);
  }
  return builders;
}

/** A point in EPSG:4326 from longitude and latitude (bound, never interpolated). */
export function pointFromLonLat(executor: Knex | Knex.Transaction, lon: number, lat: number): Knex.Raw {
  const st = postgis(executor);
  return st.setSRID(st.makePoint(lon, lat), 4326);
}

/** The same point as a geography, for `ST_DWithin`/KNN on the indexed `geog` columns (metres on the spheroid). */
export function geographyFromLonLat(executor: Knex | Knex.Transaction, lon: number, lat: number): Knex.Raw {
  return postgis(executor).geography(pointFromLonLat(executor, lon, lat));
}
