import type { Request, RequestHandler, Response } from 'express';
import { parseCookie } from 'cookie';
import { anonymousActor, type Actor, type SessionUser } from '../shared/actor.ts';

/** What the session middleware puts on a request (the auth feature's resolved session). */
export interface RequestSession {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  user: SessionUser;
  actor: Actor;
}

/** The one thing the middleware needs of the auth feature, passed in by createApp. */
export interface SessionResolver {
  resolveSession(token: string): Promise<RequestSession | undefined>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The signed-in session, set by the session middleware; absent for anonymous requests. */
      auth?: RequestSession;
    }
  }
}

export const sessionCookieName = 'angebotsatlas_session';

/**
 * On https a cookie is named `__Host-…`: browsers then accept it only with Secure, Path=/ and no
 * Domain, so neither a sibling subdomain nor a plain-http page can plant or shadow it. Over plain
 * http (development) the browser would refuse such a name, so the bare name is used there.
 */
export function cookieNameFor(request: Request, name: string): string {
  return request.secure ? `__Host-${name}` : name;
}

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  return parseCookie(header)[name];
}

/** HttpOnly and SameSite=Lax always; Secure (and the `__Host-` name) whenever the request came over https (see TRUST_PROXY). */
export function sessionCookieOptions(request: Request, expiresAt?: Date) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.secure,
    path: '/',
    ...(expiresAt ? { expires: expiresAt } : {}),
  };
}

export function clearSessionCookie(request: Request, response: Response): void {
  response.clearCookie(cookieNameFor(request, sessionCookieName), sessionCookieOptions(request));
}

/** Resolves the session cookie into `request.auth`. An unknown or expired cookie is removed. */
export function createSessionMiddleware(deps: { auth: SessionResolver }): RequestHandler {
  return async (request, response, next) => {
    const token = readCookie(request, cookieNameFor(request, sessionCookieName));
    if (token) {
      const session = await deps.auth.resolveSession(token);
      if (session) request.auth = session;
      else clearSessionCookie(request, response);
    }
    next();
  };
}

export function actorOf(request: Request): Actor {
  return request.auth?.actor ?? anonymousActor;
}
