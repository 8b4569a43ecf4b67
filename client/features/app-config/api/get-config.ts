import { queryOptions, useQuery } from '@tanstack/react-query';
import { getJson } from '../../../lib/api-client';

import type { Attribution } from '../../../../server/datasets/datasets.schema';

export type DataAttribution = Attribution;

// Shape of GET /api/config (server/meta/meta.routes.ts has no schema file yet).

export type AppConfig = {
  version: string;
  city: {
    id: string;
    name: string;
    bbox: [number, number, number, number];
    center: [number, number];
  };
  basemapStyleUrl: string | null;
  attributions: DataAttribution[];
  dataStatus: { loaded: boolean; message: string | null };
};

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
