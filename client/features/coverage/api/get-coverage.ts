import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { CoverageResult } from '../../../../server/coverage/coverage.schema';
import { getJson } from '../../../lib/api-client';
import { questionSearch, type CoverageQuestion } from './coverage-question';

export function getCoverage(question: CoverageQuestion, signal?: AbortSignal): Promise<CoverageResult> {
  return getJson<CoverageResult>(`/api/coverage?${questionSearch(question).toString()}`, { signal });
}

export function coverageQueryOptions(question: CoverageQuestion) {
  return queryOptions({
    queryKey: ['coverage', question],
    queryFn: ({ signal }) => getCoverage(question, signal),
    staleTime: 60 * 1000,
    placeholderData: keepPreviousData,
  });
}

export function useCoverage(question: CoverageQuestion | null) {
  return useQuery({ ...coverageQueryOptions(question ?? { offerType: '', mode: null, distance: null, year: null }), enabled: question !== null });
}
