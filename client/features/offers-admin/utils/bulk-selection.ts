// Which rows of the staff list may be selected for bulk publishing, and the state of the
// "select all on this page" box. Pure: unit-tested.
import type { SessionUser } from '../../../../server/auth/auth.schema';
import type { Offer } from '../../../../server/offers/offers.schema';
import { canEditOffer } from './permissions';

export function canBulkPublish(
  user: Pick<SessionUser, 'role' | 'department'>,
  offer: Pick<Offer, 'department' | 'publication' | 'archivedAt'>,
): boolean {
  return offer.publication === 'draft' && offer.archivedAt === null && canEditOffer(user, offer);
}

export type PageSelection = 'none' | 'some' | 'all';

export function pageSelection(selectableIds: readonly string[], selected: ReadonlyMap<string, number>): PageSelection {
  const count = selectableIds.filter((id) => selected.has(id)).length;
  if (count === 0) return 'none';
  return count === selectableIds.length ? 'all' : 'some';
}

/** Ticks every selectable row of the page, or clears them all when every one is ticked already. */
export function toggleAll(
  offers: readonly Pick<Offer, 'id' | 'version'>[],
  selected: ReadonlyMap<string, number>,
): Map<string, number> {
  const next = new Map(selected);
  if (pageSelection(offers.map((offer) => offer.id), selected) === 'all') {
    for (const offer of offers) next.delete(offer.id);
  } else {
    for (const offer of offers) next.set(offer.id, offer.version);
  }
  return next;
}

export function toggleOne(offer: Pick<Offer, 'id' | 'version'>, selected: ReadonlyMap<string, number>): Map<string, number> {
  const next = new Map(selected);
  if (next.has(offer.id)) next.delete(offer.id);
  else next.set(offer.id, offer.version);
  return next;
}
