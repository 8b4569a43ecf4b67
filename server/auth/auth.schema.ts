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

/** Passwords: long rather than complicated (NIST SP 800-63B); 12 characters at least. */
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
