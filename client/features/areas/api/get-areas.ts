import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AreaFeatureCollection, ListedAreaLevel } from '../../../../server/areas/areas.schema';
import { getJson } from '../../../lib/api-client';

export type { AreaLevel, AreaProperties } from '../../../../server/areas/areas.schema';
export type AreaCollection = AreaFeatureCollection;

export function getAreas(level: ListedAreaLevel, signal?: AbortSignal): Promise<AreaCollection> {
  const search = new URLSearchParams({ level });
  return getJson<AreaCollection>(`/api/areas?${search.toString()}`, { signal });
}

export function areasQueryOptions(level: ListedAreaLevel) {
  return queryOptions({
    queryKey: ['areas', { level }],
    queryFn: ({ signal }) => getAreas(level, signal),
    staleTime: 10 * 60 * 1000,
  });
}

export function useAreas(level: ListedAreaLevel) {
  return useQuery(areasQueryOptions(level));
}
