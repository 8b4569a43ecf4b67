import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChangePasswordBody, SessionResponse } from '../../../../server/auth/auth.schema';
import { sendJson, setCsrfToken } from '../../../lib/api-client';

// The server ends every session of the account and answers with a new one for this browser:
// its token replaces the old one at once, or the next change would be refused.
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ChangePasswordBody) => sendJson<SessionResponse>('/api/auth/password', { method: 'POST', body }),
    onSuccess: async (session) => {
      setCsrfToken(session.csrfToken);
      // The auth feature's session key (features do not import each other): the header shows the new session.
      queryClient.setQueryData(['auth', 'session'], session);
      await queryClient.invalidateQueries({ queryKey: ['accounts'] });
    },
  });
}
