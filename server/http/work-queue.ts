import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { createBoundedTurns } from '../shared/bounded-turns.ts';
import { AppError } from './errors.ts';
import { requestLanguage } from './problem.ts';

export interface WorkQueueOptions {
  /** Expensive requests worked on at the same time. */
  concurrency: number;
  /** Expensive requests that may wait for a turn; one more is refused with 503. */
  maxQueued: number;
  /** Sent as Retry-After (seconds) with the 503. */
  retryAfterSeconds: number;
}

export interface WorkQueue {
  /** Admits a request (now or after those before it) or refuses it with 503 and Retry-After. */
  middleware: RequestHandler;
  stats(): { running: number; queued: number };
}

function busyError(request: Request, retryAfter: number): AppError {
  const german = requestLanguage(request.get('accept-language')) === 'de';
  return new AppError(
    'server_busy',
    503,
    german
      ? `Der Server berechnet gerade zu viele Auswertungen; bitte in ${retryAfter} Sekunden erneut versuchen.`
      : `The server is working on too many analyses right now; please try again in ${retryAfter} seconds.`,
    { retryAfter },
  );
}

/**
 * A bounded queue in front of expensive routes (coverage, what-if scenarios, gap lists, imports):
 * at most `concurrency` run, at most `maxQueued` wait, and every further request gets 503 with
 * Retry-After at once instead of piling up until the health check and the search stall too.
 * A turn is held until the answer is sent or the client goes away.
 */
export function createWorkQueue(options: WorkQueueOptions): WorkQueue {
  const turns = createBoundedTurns(options.concurrency, options.maxQueued);
  const middleware: RequestHandler = (request, response, next) => {
    let admitted = false;
    const start = () => {
      admitted = true;
      next();
    };
    response.once('close', () => {
      if (admitted) turns.release();
      else turns.leave(start);
    });
    if (!turns.enter(start)) {
      response.set('Retry-After', String(options.retryAfterSeconds));
      next(busyError(request, options.retryAfterSeconds));
    }
  };
  return { middleware, stats: turns.stats };
}

/**
 * Runs `handlers` in turn for the requests `applies` picks (e.g. the computed OGC collections among
 * the cheap ones, or signed-in staff only); every other request passes straight on.
 */
export function onlyWhen(applies: (request: Request) => boolean, handlers: readonly RequestHandler[]): RequestHandler {
  return (request, response, next) => {
    if (!applies(request)) {
      next();
      return;
    }
    let index = 0;
    const step = (error?: unknown): void => {
      if (error !== undefined) {
        next(error);
        return;
      }
      const handler = handlers[index++];
      if (!handler) {
        next();
        return;
      }
      try {
        const result: unknown = handler(request, response, step);
        if (result instanceof Promise) result.catch(next);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}

/**
 * Per-client limit on expensive routes for anonymous visitors (signed-in staff are not counted):
 * 429 with Retry-After beyond `perMinute` requests a minute from one address.
 */
export function createAnonymousRateLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (request) => request.auth !== undefined,
    keyGenerator: (request) => ipKeyGenerator(request.ip ?? ''),
    handler: (request, response, next) => {
      const resetTime = (request as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
      response.set('Retry-After', String(retryAfter));
      const german = requestLanguage(request.get('accept-language')) === 'de';
      next(
        new AppError(
          'too_many_requests',
          429,
          german
            ? `Zu viele Auswertungen von dieser Adresse; bitte in ${retryAfter} Sekunden erneut versuchen oder anmelden.`
            : `Too many analyses from this address; please try again in ${retryAfter} seconds, or sign in.`,
          { retryAfter },
        ),
      );
    },
  });
}
