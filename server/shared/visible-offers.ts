// What the public sees of the offer inventory, said once: published, active and not archived.
// Search, coverage, the offer API and HSDS all read offers through this rule (issue 10), so an
// offer can never be visible on one page and hidden on another.

import type { Knex } from 'knex';

/** The three columns the rule reads, as a domain object carries them. */
export interface OfferVisibilityState {
  publication: string;
  status: string;
  archivedAt: Date | string | null;
}

/** True when an anonymous visitor may see the offer. */
export function isVisibleOffer(offer: OfferVisibilityState): boolean {
  return offer.publication === 'published' && offer.status === 'active' && offer.archivedAt === null;
}

/**
 * Restricts a query to visible offers. `alias` is the offers table's alias in the query ("o"),
 * or null when the query reads `offers` without one.
 */
export function whereVisibleOffer<Query extends Knex.QueryBuilder>(query: Query, alias: string | null = 'o'): Query {
  const column = (name: string) => (alias === null ? name : `${alias}.${name}`);
  query.where(column('publication'), 'published').where(column('status'), 'active').whereNull(column('archived_at'));
  return query;
}
