import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { SearchResponse } from '../../../../server/search/search.schema';
import { getJson } from '../../../lib/api-client';
import { canSearch, toApiQuery, type SearchState } from '../utils/search-state';

export type { SearchResponse, SearchResult } from '../../../../server/search/search.schema';

export function getSearch(query: URLSearchParams, signal?: AbortSignal): Promise<SearchResponse> {
  return getJson<SearchResponse>(`/api/search?${query.toString()}`, { signal });
}

export function searchQueryOptions(state: SearchState) {
  const query = toApiQuery(state);
  return queryOptions({
    queryKey: ['search', query.toString()],
    queryFn: ({ signal }) => getSearch(query, signal),
    // Opening states change with the clock; a minute is fresh enough.
    staleTime: 60 * 1000,
    enabled: canSearch(state),
    // Keep the last list on screen while the next page or filter loads.
    placeholderData: keepPreviousData,
  });
}

export function useSearch(state: SearchState) {
  return useQuery(searchQueryOptions(state));
}
