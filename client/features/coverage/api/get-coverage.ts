import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { CoverageResult } from '../../../../server/coverage/coverage.schema';
import { getJson } from '../../../lib/api-client';
import { questionSearch, type CoverageQuestion } from './coverage-question';

export function getCoverage(question: CoverageQuestion, signal?: AbortSignal, level?: 'area_set'): Promise<CoverageResult> {
  const search = questionSearch(question);
  if (level) search.set('level', level);
  return getJson<CoverageResult>(`/api/coverage?${search.toString()}`, { signal });
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

/** The same question over the area sets (issue 13), which the default answer leaves out; asked only for the map level "area sets". */
export function useAreaSetCoverage(question: CoverageQuestion, enabled: boolean) {
  return useQuery({
    queryKey: ['coverage', question, 'area_set'],
    queryFn: ({ signal }) => getCoverage(question, signal, 'area_set'),
    staleTime: 60 * 1000,
    placeholderData: keepPreviousData,
    enabled,
  });
}
