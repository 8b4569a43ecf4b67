import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Offer } from '../../../../server/offers/offers.schema';
import { getJson } from '../../../lib/api-client';
import { offersQueryKey } from './list-offers';

export function offerQueryKey(offerId: string) {
  return [...offersQueryKey, 'detail', offerId] as const;
}

export function getOffer(offerId: string, signal?: AbortSignal): Promise<Offer> {
  return getJson<Offer>(`/api/offers/${encodeURIComponent(offerId)}`, { signal });
}

export function offerQueryOptions(offerId: string) {
  return queryOptions({
    queryKey: offerQueryKey(offerId),
    queryFn: ({ signal }) => getOffer(offerId, signal),
  });
}

export function useOffer(offerId: string) {
  return useQuery(offerQueryOptions(offerId));
}
