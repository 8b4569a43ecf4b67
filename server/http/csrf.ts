import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { newToken } from '../shared/random-token.ts';
import { cookieNameFor, readCookie } from './auth.ts';
import { ForbiddenError } from './errors.ts';
import { fillMessage, inBothLanguages } from './localized-validation.ts';

export const csrfHeaderName = 'X-CSRF-Token';
/** Double-submit cookie for requests before sign-in (the login form itself). */
export const preSessionCsrfCookieName = 'angebotsatlas_csrf';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

function tokensMatch(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

const csrfMessage = {
  de: 'Der Anfrage fehlt ein gültiger Header {header}; bitte GET /api/auth/session abrufen und dessen csrfToken senden.',
  en: 'The request lacks a valid {header} header; fetch GET /api/auth/session and send its csrfToken.',
};

function csrfError(): ForbiddenError {
  const params = { header: csrfHeaderName };
  return inBothLanguages(new ForbiddenError(fillMessage(csrfMessage, 'en', params), 'csrf_token_invalid'), csrfMessage, params);
}

/**
 * Synchronizer-token protection: every state-changing request of a signed-in session must carry
 * the session's token in X-CSRF-Token. Anonymous requests carry no credentials a forged request
 * could abuse; the routes that matter before sign-in (login) check the double-submit cookie.
 */
export function createCsrfProtection(): RequestHandler {
  return (request, _response, next) => {
    if (safeMethods.has(request.method) || !request.auth) {
      next();
      return;
    }
    if (!tokensMatch(request.auth.csrfToken, request.get(csrfHeaderName))) throw csrfError();
    next();
  };
}

/** For anonymous state-changing routes: the header must repeat the pre-session cookie. */
export function requirePreSessionCsrf(request: Request): void {
  if (request.auth) return; // already checked against the session token
  const cookieToken = readCookie(request, cookieNameFor(request, preSessionCsrfCookieName));
  if (!cookieToken || !tokenPattern.test(cookieToken) || !tokensMatch(cookieToken, request.get(csrfHeaderName))) {
    throw csrfError();
  }
}

/** Returns the pre-session token, setting its cookie when there is none yet. */
export function issuePreSessionCsrfToken(request: Request, response: Response): string {
  const existing = readCookie(request, cookieNameFor(request, preSessionCsrfCookieName));
  if (existing && tokenPattern.test(existing)) return existing;
  const token = newToken();
  response.cookie(cookieNameFor(request, preSessionCsrfCookieName), token, preSessionCookieOptions(request));
  return token;
}

/** `__Host-` cookies must have Path=/; over plain http the cookie stays limited to /api/auth. */
function preSessionCookieOptions(request: Request) {
  return { httpOnly: true, sameSite: 'strict' as const, secure: request.secure, path: request.secure ? '/' : '/api/auth' };
}

export function clearPreSessionCsrfCookie(request: Request, response: Response): void {
  response.clearCookie(cookieNameFor(request, preSessionCsrfCookieName), preSessionCookieOptions(request));
}
