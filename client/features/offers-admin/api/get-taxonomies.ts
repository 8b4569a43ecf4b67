import { queryOptions, useQuery } from '@tanstack/react-query';
import type { TaxonomiesResponse } from '../../../../server/taxonomies/taxonomies.schema';
import { getJson } from '../../../lib/api-client';

export function getTaxonomies(signal?: AbortSignal): Promise<TaxonomiesResponse> {
  return getJson<TaxonomiesResponse>('/api/taxonomies', { signal });
}

export function taxonomiesQueryOptions() {
  return queryOptions({
    queryKey: ['taxonomies'],
    queryFn: ({ signal }) => getTaxonomies(signal),
    staleTime: 10 * 60 * 1000,
  });
}

export function useTaxonomies() {
  return useQuery(taxonomiesQueryOptions());
}
