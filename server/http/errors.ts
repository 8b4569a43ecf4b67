/** One field that failed validation, named by its path (e.g. `reach.meters`, `query.lat`). */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/**
 * The single error family of the API. `code` is stable and documented in docs/errors.md;
 * `detail` is a sentence a user understands. Nothing else of an error reaches a client.
 */
/** The detail (and the field errors) of an error in one language. */
export interface ErrorTranslation {
  detail: string;
  errors?: FieldError[];
}

export class AppError extends Error {
  /**
   * The detail in German and English, for an error raised where the request's language is not
   * known (inside a service, a parser): the problem handler answers in the request's language.
   * `detail` (and `errors`) stay the English text for logs and the command line.
   */
  translations: Record<'de' | 'en', ErrorTranslation> | undefined;

  constructor(
    readonly code: string,
    readonly status: number,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'AppError';
  }
}

/** The default details of the family, German and English, used when a raiser gives none. */
const defaults = {
  not_found: { de: 'Das Angefragte gibt es nicht.', en: 'The requested resource does not exist.' },
  unauthenticated: { de: 'Bitte zuerst anmelden.', en: 'Please sign in first.' },
  forbidden: { de: 'Das dürfen Sie nicht.', en: 'You may not do this.' },
  service_unavailable: { de: 'Der Dienst ist vorübergehend nicht erreichbar.', en: 'The service is temporarily unavailable.' },
} as const;

function withDefault(error: AppError, given: string | undefined, text: { de: string; en: string }): void {
  if (given === undefined) error.translations = { de: { detail: text.de }, en: { detail: text.en } };
}

export class NotFoundError extends AppError {
  constructor(detail?: string, code = 'not_found') {
    super(code, 404, detail ?? defaults.not_found.en);
    withDefault(this, detail, defaults.not_found);
  }
}

export class ValidationError extends AppError {
  constructor(
    readonly errors: FieldError[],
    detail = summarizeFieldErrors(errors),
    code = 'validation_failed',
  ) {
    super(code, 400, detail, { errors });
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail?: string, code = 'unauthenticated') {
    super(code, 401, detail ?? defaults.unauthenticated.en);
    withDefault(this, detail, defaults.unauthenticated);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail?: string, code = 'forbidden') {
    super(code, 403, detail ?? defaults.forbidden.en);
    withDefault(this, detail, defaults.forbidden);
  }
}

export class ConflictError extends AppError {
  constructor(detail: string, code = 'conflict', extra: Record<string, unknown> = {}) {
    super(code, 409, detail, extra);
  }
}

export class PreconditionFailedError extends AppError {
  constructor(detail: string, extra: Record<string, unknown> = {}, code = 'version_mismatch') {
    super(code, 412, detail, extra);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(detail?: string, code = 'service_unavailable') {
    super(code, 503, detail ?? defaults.service_unavailable.en);
    withDefault(this, detail, defaults.service_unavailable);
  }
}

export function summarizeFieldErrors(errors: FieldError[]): string {
  const first = errors[0];
  if (!first) return 'The request is invalid.';
  const rest = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${first.field}: ${first.message}${rest}`;
}
