import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionSummary } from '../../../../server/auth/auth.schema';
import { getJson, sendJson } from '../../../lib/api-client';
import { usersQueryKey } from './get-users';

const sessionsQueryKey = (userId: string) => ['accounts', 'sessions', userId] as const;

function sessionsQueryOptions(userId: string) {
  return queryOptions({
    queryKey: sessionsQueryKey(userId),
    queryFn: ({ signal }) => getJson<{ items: SessionSummary[] }>(`/api/users/${encodeURIComponent(userId)}/sessions`, { signal }),
  });
}

export function useSessions(userId: string) {
  return useQuery(sessionsQueryOptions(userId));
}

export function useEndSession(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) =>
      sendJson<void>(`/api/users/${encodeURIComponent(userId)}/sessions/${encodeURIComponent(sessionId)}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionsQueryKey(userId) }),
  });
}

export function useEndAllSessions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) =>
      sendJson<{ endedSessions: number }>(`/api/users/${encodeURIComponent(userId)}/sessions`, { method: 'DELETE' }),
    onSuccess: async (_result, userId) => {
      await queryClient.invalidateQueries({ queryKey: sessionsQueryKey(userId) });
      await queryClient.invalidateQueries({ queryKey: usersQueryKey });
    },
  });
}
