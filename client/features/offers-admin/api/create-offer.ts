import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Offer } from '../../../../server/offers/offers.schema';
import { sendJson } from '../../../lib/api-client';
import type { OfferBody } from '../utils/offer-form-values';
import { offerQueryKey } from './get-offer';
import { offersQueryKey } from './list-offers';

export function createOffer(body: OfferBody): Promise<Offer> {
  return sendJson<Offer>('/api/offers', { method: 'POST', body });
}

export function useCreateOffer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createOffer,
    onSuccess: async (offer) => {
      queryClient.setQueryData(offerQueryKey(offer.id), offer);
      await queryClient.invalidateQueries({ queryKey: [...offersQueryKey, 'list'] });
    },
  });
}
