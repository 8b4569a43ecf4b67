import { AppError, ConflictError, ServiceUnavailableError, ValidationError } from './errors.ts';

interface DatabaseErrorLike {
  code?: string;
  constraint?: string;
  column?: string;
  table?: string;
}

const connectionErrorCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003']);

/**
 * Operational failures: the request was fine, the server cannot serve it right now (issue 11:
 * a full disk answered 500). 503 with one sentence; the cause is logged for the operator.
 * PostgreSQL reports a full disk as 53100; Node.js file writes (e.g. the embedded database's
 * files) as ENOSPC/EDQUOT; a read-only file system as EROFS, a read-only database as 25006.
 */
const operationalFailures: Record<string, { code: string; detail: string }> = {
  '53100': { code: 'disk_full', detail: 'The server\'s disk is full, so nothing can be saved right now; please try again later.' },
  ENOSPC: { code: 'disk_full', detail: 'The server\'s disk is full, so nothing can be saved right now; please try again later.' },
  EDQUOT: { code: 'disk_full', detail: 'The server\'s disk is full, so nothing can be saved right now; please try again later.' },
  EROFS: { code: 'storage_read_only', detail: 'The server\'s storage is read-only right now, so nothing can be saved; please try again later.' },
  '25006': { code: 'storage_read_only', detail: 'The database is read-only right now, so nothing can be saved; please try again later.' },
  '53200': { code: 'server_overloaded', detail: 'The database is out of memory right now; please try again shortly.' },
  '53300': { code: 'server_overloaded', detail: 'The database has too many connections right now; please try again shortly.' },
  '53000': { code: 'server_overloaded', detail: 'The database lacks resources right now; please try again shortly.' },
};

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
  const operational = operationalFailures[code];
  if (operational) return new ServiceUnavailableError(operational.detail, operational.code);
  if (connectionErrorCodes.has(code)) {
    return new ServiceUnavailableError('The database is not answering right now; please try again shortly.', 'database_unavailable');
  }
  // 22021/22P05 (a NUL in text or jsonb, bytes that are not UTF-8): the input guard refuses these
  // first; input it does not see (e.g. a file parsed later) must still not end as a 500.
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
    case '22021':
    case '22P05':
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
