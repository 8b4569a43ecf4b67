import { queryOptions, useQuery } from '@tanstack/react-query';
import type { OfferDetail } from '../../../../server/search/search.schema';
import { getJson } from '../../../lib/api-client';

export type { OfferDetail } from '../../../../server/search/search.schema';

export function getOfferDetail(offerId: string, signal?: AbortSignal): Promise<OfferDetail> {
  return getJson<OfferDetail>(`/api/search/offers/${encodeURIComponent(offerId)}`, { signal });
}

export function offerDetailQueryOptions(offerId: string) {
  return queryOptions({
    queryKey: ['offer-detail', offerId],
    queryFn: ({ signal }) => getOfferDetail(offerId, signal),
    staleTime: 60 * 1000,
  });
}

export function useOfferDetail(offerId: string) {
  return useQuery(offerDetailQueryOptions(offerId));
}
