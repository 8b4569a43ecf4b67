import { Router, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../http/errors.ts';
import { actorOf, clearSessionCookie, cookieNameFor, readCookie, sessionCookieName, sessionCookieOptions } from '../http/auth.ts';
import {
  clearPreSessionCsrfCookie,
  issuePreSessionCsrfToken,
  requirePreSessionCsrf,
} from '../http/csrf.ts';
import { parseLocalized } from '../http/localized-validation.ts';
import { requestLanguage } from '../http/problem.ts';
import { changePasswordBodySchema, createUserInputSchema, loginBodySchema, type SessionResponse } from './auth.schema.ts';
import type { AuthService, RequestOrigin } from './auth.service.ts';

export interface LoginRateLimit {
  /**
   * Failed attempts per account (e-mail address), from whatever addresses, before the back-off
   * starts; then each further failure doubles the wait (server/auth/login-throttle.ts).
   */
  perAccount: number;
  /** Failed attempts allowed per client address within the window, whatever the e-mail address. */
  perAddress: number;
  windowMs: number;
  /** The first wait of the per-account back-off (default 30 s) and its ceiling (default 15 min). */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export const defaultLoginRateLimit: LoginRateLimit = { perAccount: 5, perAddress: 50, windowMs: 15 * 60 * 1000 };

export function loginThrottleOptions(limit: LoginRateLimit) {
  return {
    freeAttempts: limit.perAccount,
    baseDelayMs: limit.backoffMs ?? 30_000,
    maxDelayMs: limit.maxBackoffMs ?? 15 * 60_000,
    forgetAfterMs: Math.max(limit.windowMs, 24 * 60 * 60_000),
  };
}

/** The client address as TRUST_PROXY resolves it, and the request id: for the audit log. */
function originOf(request: Request): RequestOrigin {
  return { address: request.ip, requestId: String(request.id ?? '') };
}

/** 429s of the per-account back-off carry how long to wait; say it in Retry-After as well. */
function withRetryAfter(response: Response, error: unknown): never {
  if (error instanceof AppError && typeof error.extra.retryAfterSeconds === 'number') {
    response.set('Retry-After', String(error.extra.retryAfterSeconds));
  }
  throw error;
}

function loginLimiter(limit: number, windowMs: number, key: (request: Request) => string) {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    keyGenerator: key,
    handler: (request, _response, next) => {
      const minutes = Math.ceil(windowMs / 60_000);
      next(
        new AppError(
          'too_many_login_attempts',
          429,
          requestLanguage(request.get('accept-language')) === 'de'
            ? `Zu viele fehlgeschlagene Anmeldeversuche. Bitte in ${minutes} Minuten erneut versuchen.`
            : `Too many failed sign-in attempts. Please try again in ${minutes} minutes.`,
        ),
      );
    },
  });
}

export function createAuthRouter(deps: { auth: AuthService; loginRateLimit?: LoginRateLimit }): Router {
  const limits = deps.loginRateLimit ?? defaultLoginRateLimit;
  const router = Router();
  // Each router builds its own limiters, so every app instance (and every test) counts on its own.
  const perAddress = loginLimiter(limits.perAddress, limits.windowMs, (request) => ipKeyGenerator(request.ip ?? ''));

  router.get('/api/auth/session', (request, response) => {
    response.set('Cache-Control', 'no-store');
    const session = request.auth;
    const body: SessionResponse = session
      ? { authenticated: true, user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() }
      : { authenticated: false, user: null, csrfToken: issuePreSessionCsrfToken(request, response), expiresAt: null };
    response.json(body);
  });

  // Per address here; per account (across addresses, with back-off) in the service.
  router.post('/api/auth/login', perAddress, async (request, response) => {
    requirePreSessionCsrf(request);
    const language = requestLanguage(request.get('accept-language'));
    const credentials = parseLocalized(loginBodySchema, request.body, 'body', language);
    const signedIn = await deps.auth
      .login(credentials.email, credentials.password, language, originOf(request))
      .catch((error: unknown) => withRetryAfter(response, error));
    // A new session per sign-in (no fixation); an earlier one of this browser ends.
    const previous = readCookie(request, cookieNameFor(request, sessionCookieName));
    if (previous) await deps.auth.logout(previous, originOf(request));
    response.cookie(cookieNameFor(request, sessionCookieName), signedIn.token, sessionCookieOptions(request, signedIn.expiresAt));
    clearPreSessionCsrfCookie(request, response);
    response.set('Cache-Control', 'no-store');
    const body: SessionResponse = {
      authenticated: true,
      user: signedIn.user,
      csrfToken: signedIn.csrfToken,
      expiresAt: signedIn.expiresAt.toISOString(),
    };
    response.json(body);
  });

  router.post('/api/auth/logout', async (request, response) => {
    const token = readCookie(request, cookieNameFor(request, sessionCookieName));
    if (request.auth && token) await deps.auth.logout(token, originOf(request));
    clearSessionCookie(request, response);
    response.status(204).end();
  });

  router.post('/api/auth/password', async (request, response) => {
    const language = requestLanguage(request.get('accept-language'));
    const passwords = parseLocalized(changePasswordBodySchema, request.body, 'body', language);
    const signedIn = await deps.auth
      .changeOwnPassword(actorOf(request), passwords, { language, ...originOf(request) })
      .catch((error: unknown) => withRetryAfter(response, error));
    // Every earlier session of the account has ended; this browser continues with a new one.
    response.cookie(cookieNameFor(request, sessionCookieName), signedIn.token, sessionCookieOptions(request, signedIn.expiresAt));
    response.set('Cache-Control', 'no-store');
    const body: SessionResponse = {
      authenticated: true,
      user: signedIn.user,
      csrfToken: signedIn.csrfToken,
      expiresAt: signedIn.expiresAt.toISOString(),
    };
    response.json(body);
  });

  router.post('/api/auth/users', async (request, response) => {
    const language = requestLanguage(request.get('accept-language'));
    const input = parseLocalized(createUserInputSchema, request.body, 'body', language);
    const user = await deps.auth.createUserAs(actorOf(request), input, { language, requestId: String(request.id ?? '') });
    response.status(201).json(user);
  });

  return router;
}
