import type { Knex } from 'knex';

/**
 * Several cities share one database (issue 13): areas, indicators, street segments, offers,
 * departments, steering goals and import runs carry `city_id`. Every repo that reads per city
 * restricts its query here, so the rule is said once.
 *
 * `cityId` undefined means the database's default city (the one the existing data was assigned to
 * by the migration): services built without a city — tests, benchmarks, single-city tools — keep
 * reading exactly what they read before. app.ts always passes the city the process serves.
 *
 * Hand-written SQL says the same as `city_id = coalesce(?::text, default_city_id())` with the
 * city (or null) bound.
 *
 * `alias` is the table's alias in the query ("a" for `areas as a`), or null when the query
 * reads the table without one.
 */
export function cityScope<Query extends Knex.QueryBuilder>(query: Query, cityId: string | undefined, alias: string | null = null): Query {
  const column = alias === null ? 'city_id' : `${alias}.city_id`;
  if (cityId === undefined) query.whereRaw('?? = default_city_id()', [column]);
  else query.where(column, cityId);
  return query;
}
