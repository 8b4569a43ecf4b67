import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { translateDatabaseError } from './pg-errors.ts';
import { AppError, NotFoundError, ValidationError } from './errors.ts';

const titles: Record<number, { de: string; en: string }> = {
  400: { de: 'Ungültige Anfrage', en: 'Bad request' },
  401: { de: 'Anmeldung erforderlich', en: 'Sign-in required' },
  403: { de: 'Keine Berechtigung', en: 'Forbidden' },
  404: { de: 'Nicht gefunden', en: 'Not found' },
  405: { de: 'Methode nicht erlaubt', en: 'Method not allowed' },
  409: { de: 'Konflikt', en: 'Conflict' },
  412: { de: 'Veraltete Version', en: 'Precondition failed' },
  413: { de: 'Anfrage zu groß', en: 'Payload too large' },
  415: { de: 'Nicht unterstütztes Format', en: 'Unsupported media type' },
  429: { de: 'Zu viele Anfragen', en: 'Too many requests' },
  500: { de: 'Interner Fehler', en: 'Internal server error' },
  503: { de: 'Dienst nicht verfügbar', en: 'Service unavailable' },
};

export function problemTitle(status: number, language: 'de' | 'en'): string {
  return titles[status]?.[language] ?? titles[status >= 500 ? 500 : 400]![language];
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  [extension: string]: unknown;
}

export function toProblem(error: AppError, instance?: string, requestId?: string, language: 'de' | 'en' = 'de'): ProblemBody {
  return {
    type: `/docs/errors#${error.code}`,
    title: problemTitle(error.status, language),
    status: error.status,
    detail: error.detail,
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(requestId ? { requestId } : {}),
    ...error.extra,
  };
}

export const notFoundHandler: RequestHandler = (request) => {
  throw new NotFoundError(`There is no route ${request.method} ${request.path}.`, 'route_not_found');
};

/** Translates body-parser failures (malformed JSON, too large) into AppErrors. */
function fromHttpError(error: unknown): AppError | undefined {
  const httpError = error as { type?: string; status?: number; statusCode?: number; expose?: boolean; message?: string };
  switch (httpError.type) {
    case 'entity.parse.failed':
      return new ValidationError(
        [{ field: 'body', code: 'invalid_json', message: 'The request body is not valid JSON.' }],
        'The request body is not valid JSON.',
        'malformed_json',
      );
    case 'entity.too.large':
      return new AppError('payload_too_large', 413, 'The request body is too large.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_encoding', 415, 'The request body uses an unsupported character encoding.');
    default:
      break;
  }
  const status = httpError.status ?? httpError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && httpError.expose) {
    return new AppError('bad_request', status, httpError.message ?? 'The request is invalid.');
  }
  return undefined;
}

export function requestLanguage(acceptLanguage: string | undefined): 'de' | 'en' {
  if (!acceptLanguage) return 'de';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'de';
}

export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, request, response, _next) => {
    const appError = translateDatabaseError(error) ?? fromHttpError(error);
    const requestId = String(request.id ?? '');
    const resolved =
      appError ?? new AppError('internal_error', 500, 'Something went wrong on our side. The error has been logged.');
    if (!appError || resolved.status >= 500) {
      (request.log ?? logger).error({ err: error, requestId }, 'request failed');
    }
    if (response.headersSent) {
      response.destroy();
      return;
    }
    // 503 (busy) and 429 say when to come back, in the body and as the standard header
    if (typeof resolved.extra.retryAfter === 'number') response.set('Retry-After', String(resolved.extra.retryAfter));
    response
      .status(resolved.status)
      .type('application/problem+json')
      .send(JSON.stringify(toProblem(resolved, request.originalUrl, requestId, requestLanguage(request.get('accept-language')))));
  };
}
