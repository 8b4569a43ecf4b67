import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { LoginBody, SessionResponse } from '../../../../server/auth/auth.schema';
import { ApiProblem, getCsrfToken, sendJson, setCsrfToken } from '../../../lib/api-client';
import { sessionQueryKey, sessionQueryOptions } from './get-session';

async function ensureCsrfToken(queryClient: QueryClient, fresh: boolean): Promise<void> {
  if (!fresh && getCsrfToken()) return;
  if (fresh) await queryClient.invalidateQueries({ queryKey: sessionQueryKey, refetchType: 'none' });
  await queryClient.fetchQuery({ ...sessionQueryOptions(), staleTime: fresh ? 0 : 60 * 1000 });
}

export async function signIn(queryClient: QueryClient, credentials: LoginBody): Promise<SessionResponse> {
  await ensureCsrfToken(queryClient, false);
  const post = () => sendJson<SessionResponse>('/api/auth/login', { method: 'POST', body: credentials });
  try {
    return await post();
  } catch (error) {
    // The pre-session cookie may have gone (another tab signed in and out); get a new one once.
    if (!(error instanceof ApiProblem && error.code === 'csrf_token_invalid')) throw error;
    await ensureCsrfToken(queryClient, true);
    return post();
  }
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: LoginBody) => signIn(queryClient, credentials),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.setQueryData(sessionQueryKey, session);
    },
  });
}
