import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { HypotheticalOffer, ScenarioResult } from '../../../../server/coverage/coverage.schema';
import { sendJson } from '../../../lib/api-client';
import { questionBody, type CoverageQuestion } from './coverage-question';

// A what-if computes and changes nothing, so it is cached like a query, keyed by its offers.
export function postCoverageScenario(
  question: CoverageQuestion,
  offers: readonly HypotheticalOffer[],
  signal?: AbortSignal,
): Promise<ScenarioResult> {
  return sendJson<ScenarioResult>('/api/coverage/scenario', {
    method: 'POST',
    body: { ...questionBody(question), offers },
    signal,
  });
}

export function coverageScenarioQueryOptions(question: CoverageQuestion, offers: readonly HypotheticalOffer[]) {
  return queryOptions({
    queryKey: ['coverage-scenario', question, offers],
    queryFn: ({ signal }) => postCoverageScenario(question, offers, signal),
    staleTime: 60 * 1000,
    placeholderData: keepPreviousData,
  });
}

export function useCoverageScenario(question: CoverageQuestion | null, offers: readonly HypotheticalOffer[]) {
  return useQuery({
    ...coverageScenarioQueryOptions(question ?? { offerType: '', mode: null, distance: null, year: null }, offers),
    enabled: question !== null && offers.length > 0,
  });
}
