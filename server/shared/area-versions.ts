// Boundary versions of areas, said once (issue 13): an area (level + code) may have several rows
// over time; the one with `valid_to` null is today's. A version counts as the same area as the
// one it replaced when the symmetric difference of the two boundaries is below 1 % of its area —
// then a time series runs on across the change; otherwise the change is shown, not bridged.

import type { Knex } from 'knex';

/** Symmetric difference, as a share of the new area, below which a new boundary is "unchanged". */
export const unchangedBoundaryShare = 0.01;

/** True when a version continues its predecessor's time series. */
export function continuesPredecessor(boundaryChange: number | null): boolean {
  return boundaryChange !== null && boundaryChange < unchangedBoundaryShare;
}

/**
 * Restricts a query to the areas as they are at `at` (YYYY-MM-DD), or today's versions without
 * it. `alias` is the areas table's alias in the query, or null when it has none.
 */
export function whereAreaValid<Query extends Knex.QueryBuilder>(query: Query, alias: string | null = 'a', at?: string): Query {
  const column = (name: string) => (alias === null ? name : `${alias}.${name}`);
  if (at === undefined) {
    query.whereNull(column('valid_to'));
  } else {
    query
      .where((from) => from.whereNull(column('valid_from')).orWhere(column('valid_from'), '<=', at))
      .where((to) => to.whereNull(column('valid_to')).orWhere(column('valid_to'), '>', at));
  }
  return query;
}
