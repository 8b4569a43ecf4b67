import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Offer } from '../../../../server/offers/offers.schema';
import { sendJson } from '../../../lib/api-client';
import { offerQueryKey } from './get-offer';
import { offerHistoryQueryKey } from './get-offer-history';
import { offersQueryKey } from './list-offers';

export const offerActions = ['publish', 'unpublish', 'archive', 'restore', 'verify'] as const;
export type OfferAction = (typeof offerActions)[number];

export type OfferActionInput = { offerId: string; version: number; action: OfferAction };

export function runOfferAction({ offerId, version, action }: OfferActionInput): Promise<Offer> {
  return sendJson<Offer>(`/api/offers/${encodeURIComponent(offerId)}/${action}`, {
    method: 'POST',
    ifMatchVersion: version,
  });
}

export function useOfferAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: runOfferAction,
    onSuccess: async (offer) => {
      queryClient.setQueryData(offerQueryKey(offer.id), offer);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: [...offersQueryKey, 'list'] }),
        queryClient.invalidateQueries({ queryKey: offerHistoryQueryKey(offer.id) }),
      ]);
    },
  });
}
