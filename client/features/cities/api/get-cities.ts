import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson } from '../../../lib/api-client';
import type { CitiesResponse } from '../../../../server/cities/cities.schema';

export function getCities(signal?: AbortSignal): Promise<CitiesResponse> {
  return getJson<CitiesResponse>('/api/cities', { signal });
}

export function useCities() {
  return useQuery(
    queryOptions({
      queryKey: ['cities'],
      queryFn: ({ signal }) => getCities(signal),
      staleTime: 10 * 60 * 1000,
    }),
  );
}
