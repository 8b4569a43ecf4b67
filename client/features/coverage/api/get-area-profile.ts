import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AreaProfile } from '../../../../server/coverage/coverage.schema';
import { getJson } from '../../../lib/api-client';

export function getAreaProfile(areaId: string, offerType: string, signal?: AbortSignal): Promise<AreaProfile> {
  const search = new URLSearchParams({ offerType });
  return getJson<AreaProfile>(`/api/coverage/areas/${encodeURIComponent(areaId)}/profile?${search.toString()}`, { signal });
}

export function areaProfileQueryOptions(areaId: string, offerType: string) {
  return queryOptions({
    queryKey: ['coverage-area-profile', areaId, offerType],
    queryFn: ({ signal }) => getAreaProfile(areaId, offerType, signal),
    staleTime: 5 * 60 * 1000,
  });
}

export function useAreaProfile(areaId: string | null, offerType: string) {
  return useQuery({ ...areaProfileQueryOptions(areaId ?? '', offerType), enabled: areaId !== null });
}
