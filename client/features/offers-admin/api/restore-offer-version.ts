import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Offer } from '../../../../server/offers/offers.schema';
import { sendJson } from '../../../lib/api-client';
import { offerQueryKey } from './get-offer';
import { offerHistoryQueryKey } from './get-offer-history';
import { offersQueryKey } from './list-offers';

export type RestoreVersionInput = { offerId: string; currentVersion: number; version: number };

// Restoring is itself a change: a new version with its own history entry.
export function restoreOfferVersion({ offerId, currentVersion, version }: RestoreVersionInput): Promise<Offer> {
  return sendJson<Offer>(`/api/offers/${encodeURIComponent(offerId)}/restore-version`, {
    method: 'POST',
    body: { version },
    ifMatchVersion: currentVersion,
  });
}

export function useRestoreOfferVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: restoreOfferVersion,
    onSuccess: async (offer) => {
      queryClient.setQueryData(offerQueryKey(offer.id), offer);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: [...offersQueryKey, 'list'] }),
        queryClient.invalidateQueries({ queryKey: offerHistoryQueryKey(offer.id) }),
      ]);
    },
  });
}
