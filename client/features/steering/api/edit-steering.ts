import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { HistoryEntry } from '../../../../server/audit/audit.schema';
import type {
  ExpectedEffect,
  FigureOffers,
  Goal,
  GoalCreateInput,
  GoalPatchInput,
  IndicatorChoice,
  Measure,
  MeasureCreateInput,
  MeasurePatchInput,
  Needs,
  ProcessValue,
  ProcessValueInput,
} from '../../../../server/steering/steering.schema';
import { getJson, sendJson } from '../../../lib/api-client';
import type { Audience } from './get-steering';

// Staff reads and changes of the steering cycle: goals, needs, measures, process figures, history.
// Every change invalidates the steering queries (dashboard, goal page, lists) at once.

const goalPath = (id: string) => `/api/steering/goals/${encodeURIComponent(id)}`;
const measurePath = (id: string) => `/api/steering/measures/${encodeURIComponent(id)}`;

export function useGoal(goalId: string | undefined) {
  return useQuery({
    queryKey: ['steering', 'goal-record', goalId],
    queryFn: ({ signal }) => getJson<Goal>(goalPath(goalId!), { signal }),
    enabled: goalId !== undefined,
  });
}

export function useGoals() {
  return useQuery({
    queryKey: ['steering', 'goals'],
    queryFn: ({ signal }) => getJson<{ items: Goal[] }>('/api/steering/goals', { signal }),
    staleTime: 60 * 1000,
  });
}

export function useIndicators() {
  return useQuery({
    queryKey: ['steering', 'indicators'],
    queryFn: ({ signal }) => getJson<{ items: IndicatorChoice[] }>('/api/steering/indicators', { signal }),
    staleTime: 10 * 60 * 1000,
  });
}

export function useNeeds(goalId: string) {
  return useQuery({
    queryKey: ['steering', 'needs', goalId],
    queryFn: ({ signal }) => getJson<Needs>(`${goalPath(goalId)}/needs`, { signal }),
    staleTime: 60 * 1000,
  });
}

export function useFigureOffers(audience: Audience, goalId: string) {
  const path = audience === 'public' ? `/api/steering/public/goals/${encodeURIComponent(goalId)}/offers` : `${goalPath(goalId)}/offers`;
  return useQuery({
    queryKey: ['steering', 'figure-offers', audience, goalId],
    queryFn: ({ signal }) => getJson<FigureOffers>(path, { signal }),
    staleTime: 60 * 1000,
  });
}

export function useProcessValues(goalId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['steering', 'process-values', goalId],
    queryFn: ({ signal }) => getJson<{ items: ProcessValue[] }>(`${goalPath(goalId)}/process-values`, { signal }),
    enabled,
  });
}

export function useHistory(kind: 'goal' | 'measure', id: string) {
  return useQuery({
    queryKey: ['steering', 'history', kind, id],
    queryFn: ({ signal }) => getJson<{ items: HistoryEntry[] }>(`${kind === 'goal' ? goalPath(id) : measurePath(id)}/history`, { signal }),
  });
}

export function useMeasure(measureId: string | undefined) {
  return useQuery({
    queryKey: ['steering', 'measure', measureId],
    queryFn: ({ signal }) => getJson<Measure>(measurePath(measureId!), { signal }),
    enabled: measureId !== undefined,
  });
}

function useSteeringMutation<Input, Output>(send: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['steering'] }),
  });
}

export function useCreateGoal() {
  return useSteeringMutation((body: GoalCreateInput) => sendJson<Goal>('/api/steering/goals', { method: 'POST', body }));
}

export function useUpdateGoal() {
  return useSteeringMutation(({ id, version, body }: { id: string; version: number; body: GoalPatchInput }) =>
    sendJson<Goal>(goalPath(id), { method: 'PATCH', body, ifMatchVersion: version }),
  );
}

export function useTransitionGoal() {
  return useSteeringMutation(({ id, version, status }: { id: string; version: number; status: 'adopted' | 'achieved' | 'dropped' }) =>
    sendJson<Goal>(`${goalPath(id)}/status`, { method: 'POST', body: { status }, ifMatchVersion: version }),
  );
}

export function useCreateMeasure() {
  return useSteeringMutation((body: MeasureCreateInput) => sendJson<Measure>('/api/steering/measures', { method: 'POST', body }));
}

export function useUpdateMeasure() {
  return useSteeringMutation(({ id, version, body }: { id: string; version: number; body: MeasurePatchInput }) =>
    sendJson<Measure>(measurePath(id), { method: 'PATCH', body, ifMatchVersion: version }),
  );
}

export function useEnterProcessValue() {
  return useSteeringMutation(({ goalId, body }: { goalId: string; body: ProcessValueInput }) =>
    sendJson<ProcessValue>(`${goalPath(goalId)}/process-values`, { method: 'POST', body }),
  );
}

type Term = { code: string; label: { de: string; en: string }; parentCode?: string | null };
type AreaChoice = { id: string; code: string; name: string; level: string; parentId: string | null };

/** What the goal and measure forms offer: terms, departments, Sozialräume and districts, indicators. */
export function useFormChoices() {
  return useQuery({
    queryKey: ['steering', 'form-choices'],
    queryFn: async ({ signal }) => {
      const [taxonomies, departments, sozialraeume, districts, indicators] = await Promise.all([
        getJson<{ taxonomies: { code: string; terms: Term[] }[] }>('/api/taxonomies', { signal }),
        getJson<{ items: { code: string; name: string }[] }>('/api/departments', { signal }),
        getJson<{ features: { properties: AreaChoice }[] }>('/api/areas?level=sozialraum', { signal }),
        getJson<{ features: { properties: AreaChoice }[] }>('/api/areas?level=district', { signal }),
        getJson<{ items: IndicatorChoice[] }>('/api/steering/indicators', { signal }),
      ]);
      const terms = (code: string) => taxonomies.taxonomies.find((taxonomy) => taxonomy.code === code)?.terms ?? [];
      const byName = (left: AreaChoice, right: AreaChoice) => left.name.localeCompare(right.name, 'de');
      return {
        fieldsOfAction: terms('field_of_action'),
        targetGroups: terms('target_group'),
        offerTypes: terms('offer_type'),
        departments: departments.items,
        sozialraeume: sozialraeume.features.map((feature) => feature.properties).sort(byName),
        districts: districts.features.map((feature) => feature.properties).sort(byName),
        indicators: indicators.items,
      };
    },
    staleTime: 10 * 60 * 1000,
  });
}

export type FormChoices = NonNullable<ReturnType<typeof useFormChoices>['data']>;

export function useExpectedEffect(measureId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['steering', 'effect', measureId],
    queryFn: ({ signal }) => getJson<{ items: ExpectedEffect[] }>(`${measurePath(measureId)}/effect`, { signal }),
    enabled,
  });
}

export function useOpenMeasure() {
  return useSteeringMutation(({ id, version }: { id: string; version: number }) => sendJson<Measure>(`${measurePath(id)}/open`, { method: 'POST', ifMatchVersion: version }));
}
