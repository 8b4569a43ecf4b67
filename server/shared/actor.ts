// Who is asking: the signed-in user or an anonymous visitor. Services decide on this alone; routes
// never check roles themselves. A shared kernel because the request middleware (http/) and every
// feature's service read it; the auth feature creates it from a session.

export const roles = ['admin', 'editor', 'planner'] as const;
export type Role = (typeof roles)[number];

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

export interface SessionUser {
  id: string;
  email: string;
  displayName: string | null;
  role: Role;
  department: { id: string; code: string; name: string } | null;
}
