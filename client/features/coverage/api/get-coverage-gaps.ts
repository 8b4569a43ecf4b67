import { queryOptions, useQuery } from '@tanstack/react-query';
import type { GapsResult } from '../../../../server/coverage/coverage.schema';
import { getJson } from '../../../lib/api-client';
import { questionSearch, type CoverageQuestion } from './coverage-question';

export function getCoverageGaps(question: CoverageQuestion, signal?: AbortSignal): Promise<GapsResult> {
  const search = questionSearch(question);
  search.set('limit', '2000');
  return getJson<GapsResult>(`/api/coverage/gaps?${search.toString()}`, { signal });
}

export function coverageGapsQueryOptions(question: CoverageQuestion) {
  return queryOptions({
    queryKey: ['coverage-gaps', question],
    queryFn: ({ signal }) => getCoverageGaps(question, signal),
    staleTime: 60 * 1000,
  });
}

export function useCoverageGaps(question: CoverageQuestion | null, enabled: boolean) {
  return useQuery({
    ...coverageGapsQueryOptions(question ?? { offerType: '', mode: null, distance: null, year: null }),
    enabled: enabled && question !== null,
  });
}
