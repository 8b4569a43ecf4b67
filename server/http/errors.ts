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
export class AppError extends Error {
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

export class NotFoundError extends AppError {
  constructor(detail = 'The requested resource does not exist.', code = 'not_found') {
    super(code, 404, detail);
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
  constructor(detail = 'Please sign in first.', code = 'unauthenticated') {
    super(code, 401, detail);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'You may not do this.', code = 'forbidden') {
    super(code, 403, detail);
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
  constructor(detail = 'The service is temporarily unavailable.', code = 'service_unavailable') {
    super(code, 503, detail);
  }
}

export function summarizeFieldErrors(errors: FieldError[]): string {
  const first = errors[0];
  if (!first) return 'The request is invalid.';
  const rest = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${first.field}: ${first.message}${rest}`;
}
