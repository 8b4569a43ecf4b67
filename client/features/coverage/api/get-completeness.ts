import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { CompletenessLevel, CompletenessResult } from '../../../../server/coverage/coverage-completeness.schema';
import { getJson } from '../../../lib/api-client';

export function getCompleteness(offerType: string, level: CompletenessLevel, signal?: AbortSignal): Promise<CompletenessResult> {
  const search = new URLSearchParams({ offerType, level });
  return getJson<CompletenessResult>(`/api/coverage/completeness?${search.toString()}`, { signal });
}

export function useCompleteness(offerType: string, level: CompletenessLevel) {
  return useQuery(
    queryOptions({
      queryKey: ['coverage', 'completeness', offerType, level],
      queryFn: ({ signal }) => getCompleteness(offerType, level, signal),
      staleTime: 60 * 1000,
      placeholderData: keepPreviousData,
    }),
  );
}
