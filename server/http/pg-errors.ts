import { AppError, ConflictError, ServiceUnavailableError, ValidationError } from './errors.ts';

interface DatabaseErrorLike {
  code?: string;
  constraint?: string;
  column?: string;
  table?: string;
}

const connectionErrorCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003']);

/**
 * Translates PostgreSQL errors into the API's error family. Constraint names are reported,
 * SQL text and values never are.
 */
export function translateDatabaseError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, constraint, column } = error as DatabaseErrorLike;
  if (!code) {
    const message = (error as Error).message ?? '';
    if (/Timeout acquiring a connection|Connection terminated|pool is probably full/i.test(message)) {
      return new ServiceUnavailableError('The database is not answering right now; please try again shortly.', 'database_unavailable');
    }
    return undefined;
  }
  if (connectionErrorCodes.has(code)) {
    return new ServiceUnavailableError('The database is not answering right now; please try again shortly.', 'database_unavailable');
  }
  switch (code) {
    case '23505':
      return new ConflictError('A record with the same unique key already exists.', 'duplicate', { constraint });
    case '23503':
      return new ConflictError('The record refers to, or is referred to by, another record that does not allow this change.', 'reference_conflict', { constraint });
    case '23514':
    case '23502':
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
    case '22023':
      return new ValidationError([
        {
          field: column ?? constraint ?? 'input',
          code: 'database_constraint',
          message: `The value breaks the rule ${constraint ?? column ?? 'of the database'}.`,
        },
      ]);
    case '40001':
    case '40P01':
      return new ConflictError('Another change happened at the same time; please try again.', 'concurrent_change');
    case '55000':
      return new ConflictError('This record cannot be changed.', 'immutable');
    case '57014':
      return new ServiceUnavailableError('The query took too long and was cancelled.', 'query_timeout');
    default:
      return undefined;
  }
}
