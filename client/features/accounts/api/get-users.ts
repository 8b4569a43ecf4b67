import { queryOptions, useQuery } from '@tanstack/react-query';
import type { UserSummary } from '../../../../server/auth/auth.schema';
import { getJson } from '../../../lib/api-client';

export type { UserSummary } from '../../../../server/auth/auth.schema';

export const usersQueryKey = ['accounts', 'users'] as const;

function getUsers(signal?: AbortSignal): Promise<{ items: UserSummary[] }> {
  return getJson<{ items: UserSummary[] }>('/api/users', { signal });
}

function usersQueryOptions() {
  return queryOptions({ queryKey: usersQueryKey, queryFn: ({ signal }) => getUsers(signal) });
}

export function useUsers(options: { enabled: boolean }) {
  return useQuery({ ...usersQueryOptions(), enabled: options.enabled });
}
