import { z } from 'zod';
import { roles, type SessionUser } from '../shared/actor.ts';

// Who acts is a shared kernel (server/shared/actor.ts): the request middleware in http/ and every
// service read it without importing the auth feature. Re-exported here for the client's contracts.
export { anonymousActor, roles, type Actor, type Role, type SessionUser } from '../shared/actor.ts';

export const loginBodySchema = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

/**
 * Passwords: long rather than complicated (NIST SP 800-63B); 12 characters at least. The rest of
 * the policy (breached list, the account's own data) needs the account and lives in password-policy.ts.
 */
export const passwordSchema = z.string().min(12).max(200);

export const createUserInputSchema = z.strictObject({
  email: z.email().max(254),
  role: z.enum(roles),
  departmentCode: z.string().trim().min(1).max(40).optional(),
  displayName: z.string().trim().min(1).max(200).optional(),
  password: passwordSchema,
});
export type CreateUserInput = z.infer<typeof createUserInputSchema>;

/** GET /api/auth/session: who is signed in and the token to send as X-CSRF-Token. */
export interface SessionResponse {
  authenticated: boolean;
  user: SessionUser | null;
  csrfToken: string;
  expiresAt: string | null;
}

/** POST /api/auth/password: the signed-in user changes their own password. */
export const changePasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(200),
});
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;

/** PATCH /api/users/:id: what an administrator may change; at least one field. */
export const updateUserBodySchema = z
  .strictObject({
    role: z.enum(roles).optional(),
    /** null removes the department (not for editors). */
    departmentCode: z.string().trim().min(1).max(40).nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .refine((body) => body.role !== undefined || body.departmentCode !== undefined || body.disabled !== undefined, {
    message: 'Name at least one of role, departmentCode, disabled.',
  });
export type UpdateUserBody = z.infer<typeof updateUserBodySchema>;

export const userIdSchema = z.uuid();
export const sessionIdSchema = z.string().regex(/^[0-9a-f]{64}$/);

/** One account as administrators see it (GET /api/users). */
export interface UserSummary extends SessionUser {
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  /** Live sessions (not expired). */
  sessionCount: number;
}

/** One live session of an account (GET /api/users/:id/sessions). */
export interface SessionSummary {
  id: string;
  createdAt: string;
  expiresAt: string;
  /** The session this request came with. */
  current: boolean;
}

/** POST /api/users/:id/password-reset: the new password, shown this once and stored nowhere in clear. */
export interface PasswordResetResponse {
  user: UserSummary;
  password: string;
  endedSessions: number;
}
