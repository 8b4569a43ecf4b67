import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { OfferPage } from '../../../../server/offers/offers.schema';
import { getJson } from '../../../lib/api-client';
import { toOfferListQuery, type OfferListParams } from '../utils/offer-list-params';

export const offersQueryKey = ['offers'] as const;

export function listOffers(params: OfferListParams, signal?: AbortSignal): Promise<OfferPage> {
  return getJson<OfferPage>(`/api/offers?${toOfferListQuery(params).toString()}`, { signal });
}

export function offersQueryOptions(params: OfferListParams) {
  return queryOptions({
    queryKey: [...offersQueryKey, 'list', params],
    queryFn: ({ signal }) => listOffers(params, signal),
    // The table keeps showing the previous page while the next one loads.
    placeholderData: keepPreviousData,
  });
}

export function useOffers(params: OfferListParams) {
  return useQuery(offersQueryOptions(params));
}
