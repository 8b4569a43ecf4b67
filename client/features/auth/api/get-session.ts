import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SessionResponse, SessionUser } from '../../../../server/auth/auth.schema';
import { getJson, setCsrfToken } from '../../../lib/api-client';

export type { SessionResponse, SessionUser } from '../../../../server/auth/auth.schema';

export const sessionQueryKey = ['auth', 'session'] as const;

export async function getSession(signal?: AbortSignal): Promise<SessionResponse> {
  const session = await getJson<SessionResponse>('/api/auth/session', { signal });
  // Every later state-changing request needs this token (before sign-in: the login itself).
  setCsrfToken(session.csrfToken);
  return session;
}

export function sessionQueryOptions() {
  return queryOptions({
    queryKey: sessionQueryKey,
    queryFn: ({ signal }) => getSession(signal),
    staleTime: 60 * 1000,
  });
}

// `enabled: false` reads only what is cached: public pages do not ask for a session (and so
// set no cookie) unless the person has been in the staff area during this visit.
export function useSession(options: { enabled?: boolean } = {}) {
  return useQuery({ ...sessionQueryOptions(), enabled: options.enabled ?? true });
}

export function signedInUser(session: SessionResponse | undefined): SessionUser | null {
  return session?.authenticated && session.user ? session.user : null;
}
