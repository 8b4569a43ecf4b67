import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SearchOptions } from '../../../../server/search/search.schema';
import { getJson } from '../../../lib/api-client';

export type { SearchOptions, SearchOptionTerm } from '../../../../server/search/search.schema';

export function getSearchOptions(signal?: AbortSignal): Promise<SearchOptions> {
  return getJson<SearchOptions>('/api/search/options', { signal });
}

export function searchOptionsQueryOptions() {
  return queryOptions({
    queryKey: ['search-options'],
    queryFn: ({ signal }) => getSearchOptions(signal),
    staleTime: 10 * 60 * 1000,
  });
}

export function useSearchOptions() {
  return useQuery(searchOptionsQueryOptions());
}
