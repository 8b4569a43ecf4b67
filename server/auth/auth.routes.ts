import { Router, type Request } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../http/errors.ts';
import { actorOf, clearSessionCookie, readCookie, sessionCookieName, sessionCookieOptions } from '../http/auth.ts';
import {
  clearPreSessionCsrfCookie,
  issuePreSessionCsrfToken,
  requirePreSessionCsrf,
} from '../http/csrf.ts';
import { parseLocalized } from '../http/localized-validation.ts';
import { requestLanguage } from '../http/problem.ts';
import { loginBodySchema, type SessionResponse } from './auth.schema.ts';
import type { AuthService } from './auth.service.ts';

export interface LoginRateLimit {
  /** Failed attempts allowed per IP address and e-mail address within the window. */
  perAccount: number;
  /** Failed attempts allowed per IP address within the window, whatever the e-mail address. */
  perAddress: number;
  windowMs: number;
}

export const defaultLoginRateLimit: LoginRateLimit = { perAccount: 5, perAddress: 50, windowMs: 15 * 60 * 1000 };

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

function emailOf(request: Request): string {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : '';
}

export function createAuthRouter(deps: { auth: AuthService; loginRateLimit?: LoginRateLimit }): Router {
  const limits = deps.loginRateLimit ?? defaultLoginRateLimit;
  const router = Router();
  // Each router builds its own limiters, so every app instance (and every test) counts on its own.
  const perAccount = loginLimiter(limits.perAccount, limits.windowMs, (request) => `${ipKeyGenerator(request.ip ?? '')}|${emailOf(request)}`);
  const perAddress = loginLimiter(limits.perAddress, limits.windowMs, (request) => ipKeyGenerator(request.ip ?? ''));

  router.get('/api/auth/session', (request, response) => {
    response.set('Cache-Control', 'no-store');
    const session = request.auth;
    const body: SessionResponse = session
      ? { authenticated: true, user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() }
      : { authenticated: false, user: null, csrfToken: issuePreSessionCsrfToken(request, response), expiresAt: null };
    response.json(body);
  });

  router.post('/api/auth/login', perAddress, perAccount, async (request, response) => {
    requirePreSessionCsrf(request);
    const language = requestLanguage(request.get('accept-language'));
    const credentials = parseLocalized(loginBodySchema, request.body, 'body', language);
    const signedIn = await deps.auth.login(credentials.email, credentials.password, language);
    // A new session per sign-in (no fixation); an earlier one of this browser ends.
    const previous = readCookie(request, sessionCookieName);
    if (previous) await deps.auth.logout(previous);
    response.cookie(sessionCookieName, signedIn.token, sessionCookieOptions(request, signedIn.expiresAt));
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
    const token = readCookie(request, sessionCookieName);
    if (request.auth && token) await deps.auth.logout(token);
    clearSessionCookie(request, response);
    response.status(204).end();
  });

  router.post('/api/auth/users', async (request, response) => {
    const user = await deps.auth.createUserAs(actorOf(request), request.body, {
      language: requestLanguage(request.get('accept-language')),
      requestId: String(request.id ?? ''),
    });
    response.status(201).json(user);
  });

  return router;
}
