import { z } from 'zod';

export const roles = ['admin', 'editor', 'planner'] as const;
export type Role = (typeof roles)[number];

/** Who is asking. Services decide on this alone; routes never check roles themselves. */
export type Actor =
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      id: string;
      email: string;
      displayName: string | null;
      role: Role;
      departmentId: string | null;
      departmentCode: string | null;
    };

export const anonymousActor: Actor = { kind: 'anonymous' };

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

export interface SessionUser {
  id: string;
  email: string;
  displayName: string | null;
  role: Role;
  department: { id: string; code: string; name: string } | null;
}

/** GET /api/auth/session: who is signed in and the token to send as X-CSRF-Token. */
export interface SessionResponse {
  authenticated: boolean;
  user: SessionUser | null;
  csrfToken: string;
  expiresAt: string | null;
}
