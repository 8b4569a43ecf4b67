import { AppError, ConflictError, ServiceUnavailableError } from './errors.ts';
import { bilingualValidationError, inBothLanguages, type Message } from './localized-validation.ts';

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
const diskFull: Message = {
  de: 'Die Festplatte des Servers ist voll, deshalb lässt sich gerade nichts speichern; bitte später erneut versuchen.',
  en: "The server's disk is full, so nothing can be saved right now; please try again later.",
};
const operationalFailures: Record<string, { code: string; detail: Message }> = {
  '53100': { code: 'disk_full', detail: diskFull },
  ENOSPC: { code: 'disk_full', detail: diskFull },
  EDQUOT: { code: 'disk_full', detail: diskFull },
  EROFS: {
    code: 'storage_read_only',
    detail: {
      de: 'Der Speicher des Servers ist gerade schreibgeschützt, deshalb lässt sich nichts speichern; bitte später erneut versuchen.',
      en: "The server's storage is read-only right now, so nothing can be saved; please try again later.",
    },
  },
  '25006': {
    code: 'storage_read_only',
    detail: {
      de: 'Die Datenbank ist gerade schreibgeschützt, deshalb lässt sich nichts speichern; bitte später erneut versuchen.',
      en: 'The database is read-only right now, so nothing can be saved; please try again later.',
    },
  },
  '53200': {
    code: 'server_overloaded',
    detail: { de: 'Der Datenbank fehlt gerade Arbeitsspeicher; bitte gleich erneut versuchen.', en: 'The database is out of memory right now; please try again shortly.' },
  },
  '53300': {
    code: 'server_overloaded',
    detail: { de: 'Die Datenbank hat gerade zu viele Verbindungen; bitte gleich erneut versuchen.', en: 'The database has too many connections right now; please try again shortly.' },
  },
  '53000': {
    code: 'server_overloaded',
    detail: { de: 'Der Datenbank fehlen gerade Ressourcen; bitte gleich erneut versuchen.', en: 'The database lacks resources right now; please try again shortly.' },
  },
};

/** What the other translated errors say, German first. */
const messages = {
  database_unavailable: {
    de: 'Die Datenbank antwortet gerade nicht; bitte gleich erneut versuchen.',
    en: 'The database is not answering right now; please try again shortly.',
  },
  duplicate: { de: 'Es gibt schon einen Eintrag mit demselben eindeutigen Schlüssel.', en: 'A record with the same unique key already exists.' },
  reference_conflict: {
    de: 'Der Eintrag verweist auf einen anderen Eintrag (oder wird von einem verwiesen), der diese Änderung nicht zulässt.',
    en: 'The record refers to, or is referred to by, another record that does not allow this change.',
  },
  database_constraint: { de: 'Der Wert verletzt die Regel {rule}.', en: 'The value breaks the rule {rule}.' },
  of_the_database: { de: 'der Datenbank', en: 'of the database' },
  concurrent_change: {
    de: 'Gleichzeitig gab es eine andere Änderung; bitte erneut versuchen.',
    en: 'Another change happened at the same time; please try again.',
  },
  immutable: { de: 'Dieser Eintrag lässt sich nicht ändern.', en: 'This record cannot be changed.' },
  query_timeout: { de: 'Die Abfrage dauerte zu lange und wurde abgebrochen.', en: 'The query took too long and was cancelled.' },
} satisfies Record<string, Message>;

function databaseUnavailable(): ServiceUnavailableError {
  return inBothLanguages(new ServiceUnavailableError(messages.database_unavailable.en, 'database_unavailable'), messages.database_unavailable);
}

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
      return databaseUnavailable();
    }
    return undefined;
  }
  const operational = operationalFailures[code];
  if (operational) return inBothLanguages(new ServiceUnavailableError(operational.detail.en, operational.code), operational.detail);
  if (connectionErrorCodes.has(code)) return databaseUnavailable();
  // 22021/22P05 (a NUL in text or jsonb, bytes that are not UTF-8): the input guard refuses these
  // first; input it does not see (e.g. a file parsed later) must still not end as a 500.
  switch (code) {
    case '23505':
      return inBothLanguages(new ConflictError(messages.duplicate.en, 'duplicate', { constraint }), messages.duplicate);
    case '23503':
      return inBothLanguages(new ConflictError(messages.reference_conflict.en, 'reference_conflict', { constraint }), messages.reference_conflict);
    case '23514':
    case '23502':
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
    case '22023':
    case '22021':
    case '22P05':
      return bilingualValidationError([
        {
          field: column ?? constraint ?? 'input',
          code: 'database_constraint',
          message: messages.database_constraint,
          params: { rule: constraint ?? column ?? messages.of_the_database },
        },
      ]);
    case '40001':
    case '40P01':
      return inBothLanguages(new ConflictError(messages.concurrent_change.en, 'concurrent_change'), messages.concurrent_change);
    case '55000':
      return inBothLanguages(new ConflictError(messages.immutable.en, 'immutable'), messages.immutable);
    case '57014':
      return inBothLanguages(new ServiceUnavailableError(messages.query_timeout.en, 'query_timeout'), messages.query_timeout);
    default:
      return undefined;
  }
}
