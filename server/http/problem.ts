import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { translateDatabaseError } from './pg-errors.ts';
import { AppError, NotFoundError } from './errors.ts';
import { bilingualValidationError, fillMessage, inBothLanguages, type MessageCatalogue } from './localized-validation.ts';

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
  // An error raised where the request's language was not known carries both (AppError.translations).
  const translation = error.translations?.[language];
  return {
    type: `/docs/errors#${error.code}`,
    title: problemTitle(error.status, language),
    status: error.status,
    detail: translation?.detail ?? error.detail,
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(requestId ? { requestId } : {}),
    ...error.extra,
    ...(translation?.errors ? { errors: translation.errors } : {}),
  };
}

/** What the app itself says about a request it cannot route or read, by the error's code. */
const messages: MessageCatalogue = {
  route_not_found: { de: 'Die Adresse {method} {path} gibt es nicht.', en: 'There is no route {method} {path}.' },
  malformed_json: { de: 'Der Inhalt der Anfrage ist kein gültiges JSON.', en: 'The request body is not valid JSON.' },
  payload_too_large: { de: 'Der Inhalt der Anfrage ist zu groß.', en: 'The request body is too large.' },
  unsupported_encoding: {
    de: 'Der Inhalt der Anfrage nutzt eine nicht unterstützte Zeichenkodierung.',
    en: 'The request body uses an unsupported character encoding.',
  },
  internal_error: {
    de: 'Bei uns ist etwas schiefgegangen. Der Fehler wurde protokolliert.',
    en: 'Something went wrong on our side. The error has been logged.',
  },
};

export const notFoundHandler: RequestHandler = (request) => {
  // The path as the client sent it (request.path is relative to the router's mount point, /api).
  const params = { method: request.method, path: request.baseUrl + request.path };
  const message = messages.route_not_found!;
  throw inBothLanguages(new NotFoundError(fillMessage(message, 'en', params), 'route_not_found'), message, params);
};

/** Translates body-parser failures (malformed JSON, too large) into AppErrors. */
function fromHttpError(error: unknown): AppError | undefined {
  const httpError = error as { type?: string; status?: number; statusCode?: number; expose?: boolean; message?: string };
  switch (httpError.type) {
    case 'entity.parse.failed':
      return bilingualValidationError([{ field: 'body', code: 'invalid_json', message: messages.malformed_json! }], 'malformed_json', messages.malformed_json);
    case 'entity.too.large':
      return inBothLanguages(new AppError('payload_too_large', 413, messages.payload_too_large!.en), messages.payload_too_large!);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return inBothLanguages(new AppError('unsupported_encoding', 415, messages.unsupported_encoding!.en), messages.unsupported_encoding!);
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
    const resolved = appError ?? inBothLanguages(new AppError('internal_error', 500, messages.internal_error!.en), messages.internal_error!);
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
