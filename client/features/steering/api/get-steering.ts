import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Dashboard, GoalTracking } from '../../../../server/steering/steering.schema';
import { getJson } from '../../../lib/api-client';

export type DashboardFilter = { fieldOfAction?: string; department?: string; targetGroup?: string; area?: string };

/** `public`: adopted and achieved goals for everyone; otherwise all goals for signed-in staff. */
export type Audience = 'public' | 'staff';

function filterSearch(filter: DashboardFilter): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function dashboardQueryOptions(audience: Audience, filter: DashboardFilter) {
  const path = audience === 'public' ? '/api/steering/public/dashboard' : '/api/steering/dashboard';
  return queryOptions({
    queryKey: ['steering', 'dashboard', audience, filter],
    queryFn: ({ signal }) => getJson<Dashboard>(`${path}${filterSearch(filter)}`, { signal }),
    staleTime: 60 * 1000,
  });
}

export function useSteeringDashboard(audience: Audience, filter: DashboardFilter) {
  return useQuery(dashboardQueryOptions(audience, filter));
}

export function useGoalTracking(audience: Audience, goalId: string) {
  const path = audience === 'public' ? `/api/steering/public/goals/${encodeURIComponent(goalId)}` : `/api/steering/goals/${encodeURIComponent(goalId)}/tracking`;
  return useQuery({
    queryKey: ['steering', 'goal', audience, goalId],
    queryFn: ({ signal }) => getJson<GoalTracking>(path, { signal }),
    staleTime: 60 * 1000,
  });
}

type Term = { code: string; label: { de: string; en: string } };
type AreaChoice = { id: string; name: string };

export function useSteeringChoices() {
  return useQuery({
    queryKey: ['steering', 'choices'],
    queryFn: async ({ signal }) => {
      const [taxonomies, departments, sozialraeume, districts] = await Promise.all([
        getJson<{ taxonomies: { code: string; terms: Term[] }[] }>('/api/taxonomies', { signal }),
        getJson<{ items: { code: string; name: string }[] }>('/api/departments', { signal }),
        getJson<{ features: { properties: AreaChoice }[] }>('/api/areas?level=sozialraum', { signal }),
        getJson<{ features: { properties: AreaChoice }[] }>('/api/areas?level=district', { signal }),
      ]);
      const byName = (left: AreaChoice, right: AreaChoice) => left.name.localeCompare(right.name, 'de');
      return {
        targetGroups: taxonomies.taxonomies.find((taxonomy) => taxonomy.code === 'target_group')?.terms ?? [],
        departments: departments.items,
        // The area filter: districts and Sozialräume (a goal for a district concerns its Sozialräume).
        districts: districts.features.map((feature) => feature.properties).sort(byName),
        sozialraeume: sozialraeume.features.map((feature) => feature.properties).sort(byName),
      };
    },
    staleTime: 10 * 60 * 1000,
  });
}
