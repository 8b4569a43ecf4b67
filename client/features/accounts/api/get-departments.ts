import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Department } from '../../../../server/departments/departments.schema';
import { getJson } from '../../../lib/api-client';

// The same request and cache key as the offers pages: whichever page loads it first fills the cache.
function departmentsQueryOptions() {
  return queryOptions({
    queryKey: ['departments'],
    queryFn: ({ signal }) => getJson<{ items: Department[] }>('/api/departments', { signal }),
    staleTime: 10 * 60 * 1000,
  });
}

export function useDepartments(options: { enabled: boolean }) {
  return useQuery({ ...departmentsQueryOptions(), enabled: options.enabled });
}
