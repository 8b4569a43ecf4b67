import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Offer } from '../../../../server/offers/offers.schema';
import { sendJson } from '../../../lib/api-client';
import type { OfferBody } from '../utils/offer-form-values';
import { offerQueryKey } from './get-offer';
import { offerHistoryQueryKey } from './get-offer-history';
import { offersQueryKey } from './list-offers';

export type UpdateOfferInput = { offerId: string; version: number; body: OfferBody };

// PATCH with If-Match: the server answers 412 with the current state when someone else saved first.
export function updateOffer({ offerId, version, body }: UpdateOfferInput): Promise<Offer> {
  return sendJson<Offer>(`/api/offers/${encodeURIComponent(offerId)}`, { method: 'PATCH', body, ifMatchVersion: version });
}

export function useUpdateOffer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateOffer,
    onSuccess: async (offer) => {
      queryClient.setQueryData(offerQueryKey(offer.id), offer);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: [...offersQueryKey, 'list'] }),
        queryClient.invalidateQueries({ queryKey: offerHistoryQueryKey(offer.id) }),
      ]);
    },
  });
}
