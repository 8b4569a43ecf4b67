import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PasswordResetResponse, UpdateUserBody, UserSummary } from '../../../../server/auth/auth.schema';
import { sendJson } from '../../../lib/api-client';
import { usersQueryKey } from './get-users';

function updateUser(userId: string, body: UpdateUserBody): Promise<UserSummary> {
  return sendJson<UserSummary>(`/api/users/${encodeURIComponent(userId)}`, { method: 'PATCH', body });
}

function resetPassword(userId: string): Promise<PasswordResetResponse> {
  return sendJson<PasswordResetResponse>(`/api/users/${encodeURIComponent(userId)}/password-reset`, { method: 'POST' });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, body }: { userId: string; body: UpdateUserBody }) => updateUser(userId, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersQueryKey }),
  });
}

export function useResetPassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => resetPassword(userId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersQueryKey }),
  });
}
