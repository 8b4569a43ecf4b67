import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Department } from '../../../../server/departments/departments.schema';
import { getJson } from '../../../lib/api-client';

export type DepartmentList = { items: Department[] };

export function getDepartments(signal?: AbortSignal): Promise<DepartmentList> {
  return getJson<DepartmentList>('/api/departments', { signal });
}

export function departmentsQueryOptions() {
  return queryOptions({
    queryKey: ['departments'],
    queryFn: ({ signal }) => getDepartments(signal),
    // Departments change rarely (an administrator adds one now and then).
    staleTime: 10 * 60 * 1000,
  });
}

export function useDepartments() {
  return useQuery(departmentsQueryOptions());
}
