import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AreaFeatureCollection } from '../../../../server/areas/areas.schema';
import { getJson } from '../../../lib/api-client';

// The Stadtteile as orientation under the offers (the offline map has no streets).
export function getContextAreas(signal?: AbortSignal): Promise<AreaFeatureCollection> {
  return getJson<AreaFeatureCollection>('/api/areas?level=sozialraum', { signal });
}

export function contextAreasQueryOptions() {
  return queryOptions({
    // Same key as the areas feature uses for this request, so the two share one download.
    queryKey: ['areas', { level: 'sozialraum' }],
    queryFn: ({ signal }) => getContextAreas(signal),
    staleTime: 10 * 60 * 1000,
  });
}

export function useContextAreas() {
  return useQuery(contextAreasQueryOptions());
}
