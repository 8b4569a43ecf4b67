import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson } from '../../../lib/api-client';
import type { AppConfig } from '../../../../server/meta/meta.schema';

import type { Attribution } from '../../../../server/datasets/datasets.schema';

export type DataAttribution = Attribution;

export type { AppConfig } from '../../../../server/meta/meta.schema';

export function getConfig(signal?: AbortSignal): Promise<AppConfig> {
  return getJson<AppConfig>('/api/config', { signal });
}

export function configQueryOptions() {
  return queryOptions({
    queryKey: ['config'],
    queryFn: ({ signal }) => getConfig(signal),
    staleTime: 10 * 60 * 1000,
  });
}

export function useConfig() {
  return useQuery(configQueryOptions());
}
