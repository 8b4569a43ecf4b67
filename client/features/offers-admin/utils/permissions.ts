// What the signed-in person may do with an offer; mirrors the server's rules (the server
// decides, the client only hides what would be refused). Pure: unit-tested.
import type { SessionUser } from '../../../../server/auth/auth.schema';
import type { Offer } from '../../../../server/offers/offers.schema';

export function canCreateOffers(user: Pick<SessionUser, 'role' | 'department'>): boolean {
  return user.role === 'admin' || (user.role === 'editor' && user.department !== null);
}

export function canEditOffer(
  user: Pick<SessionUser, 'role' | 'department'>,
  offer: Pick<Offer, 'department'>,
): boolean {
  if (user.role === 'admin') return true;
  return user.role === 'editor' && user.department?.id === offer.department.id;
}

// Only administrators may choose (or change) the owning department.
export function canChooseDepartment(user: Pick<SessionUser, 'role'>): boolean {
  return user.role === 'admin';
}
