import { queryOptions, useQuery } from '@tanstack/react-query';
import type { HistoryEntry } from '../../../../server/audit/audit.schema';
import { getJson } from '../../../lib/api-client';
import { offersQueryKey } from './list-offers';

export type { FieldChange, HistoryEntry } from '../../../../server/audit/audit.schema';

export function offerHistoryQueryKey(offerId: string) {
  return [...offersQueryKey, 'history', offerId] as const;
}

export function getOfferHistory(offerId: string, signal?: AbortSignal): Promise<{ items: HistoryEntry[] }> {
  return getJson<{ items: HistoryEntry[] }>(`/api/offers/${encodeURIComponent(offerId)}/history`, { signal });
}

export function offerHistoryQueryOptions(offerId: string) {
  return queryOptions({
    queryKey: offerHistoryQueryKey(offerId),
    queryFn: ({ signal }) => getOfferHistory(offerId, signal),
  });
}

export function useOfferHistory(offerId: string) {
  return useQuery(offerHistoryQueryOptions(offerId));
}
