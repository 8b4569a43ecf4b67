import { useMutation, useQueryClient } from '@tanstack/react-query';
import { sendJson, setCsrfToken } from '../../../lib/api-client';
import { sessionQueryKey } from './get-session';

// Public data the page may keep after signing out; everything else was read as staff.
const publicQueryKeys = new Set<unknown>(['config', 'areas', 'taxonomies']);

export function signOut(): Promise<void> {
  return sendJson<void>('/api/auth/logout', { method: 'POST' });
}

// `leave` moves the page away from the staff area first: a guarded page that saw the session end
// would otherwise send the person to the sign-in page.
export function useSignOut(options: { leave?: () => void } = {}) {
  const queryClient = useQueryClient();
  const { leave } = options;
  return useMutation({
    mutationFn: signOut,
    onSettled: async () => {
      setCsrfToken(null);
      leave?.();
      // Drafts and history must not stay in memory after signing out.
      queryClient.removeQueries({
        predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] && !publicQueryKeys.has(query.queryKey[0]),
      });
      await queryClient.resetQueries({ queryKey: sessionQueryKey });
    },
  });
}
