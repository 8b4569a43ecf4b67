import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { BulkPublishBody, BulkPublishResult } from '../../../../server/offers/offers.schema';
import { sendJson } from '../../../lib/api-client';
import { offerQueryKey } from './get-offer';
import { offersQueryKey } from './list-offers';

// One request for all selected drafts: the server publishes all of them or none.
export function publishOffers(body: BulkPublishBody): Promise<BulkPublishResult> {
  return sendJson<BulkPublishResult>('/api/offers/publish', { method: 'POST', body });
}

export function usePublishOffers() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: publishOffers,
    onSuccess: async (result) => {
      for (const offer of result.items) queryClient.setQueryData(offerQueryKey(offer.id), offer);
      await queryClient.invalidateQueries({ queryKey: [...offersQueryKey, 'list'] });
    },
  });
}
