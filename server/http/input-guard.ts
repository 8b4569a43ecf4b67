import type { RequestHandler } from 'express';
import { ValidationError, type FieldError } from './errors.ts';
import type { Language } from './localized-validation.ts';
import { requestLanguage } from './problem.ts';

/**
 * Input that no route can use is refused before any route sees it: a path whose
 * percent-encoding is broken (`/api/offers/%E0%A4%A`), and the NUL character anywhere in the
 * path, the query string or a JSON body. PostgreSQL cannot store NUL in `text` or `jsonb`
 * (it failed deep in a query as a 500, logged with the SQL); a field name in the answer says
 * where it was. Raw file uploads are checked by their importer (they name the file).
 */

const messages = {
  invalid_encoding: {
    de: 'Der Pfad enthält eine ungültige Prozent-Kodierung (z. B. %E0%A4%A); bitte die Adresse prüfen.',
    en: 'The path holds broken percent-encoding (e.g. %E0%A4%A); please check the address.',
  },
  nul_character: {
    de: 'Darf kein NUL-Zeichen (\\u0000) enthalten.',
    en: 'Must not contain a NUL character (\\u0000).',
  },
} as const;

const maxDepth = 64;

/**
 * The keys to the first NUL character in `value` (a key or a string), after `path`. The keys are
 * gathered on the way back from a find: a clean query (every request's) allocates no path per key.
 */
export function findNulCharacter(value: unknown, path: readonly string[], depth = 0): string[] | undefined {
  const found = nulKeysWithin(value, depth);
  return found ? [...path, ...found.reverse()] : undefined;
}

/** The keys to the first NUL within `value`, innermost first; undefined when there is none. */
function nulKeysWithin(value: unknown, depth: number): string[] | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? [] : undefined;
  if (depth > maxDepth || typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const found = nulKeysWithin(value[index], depth + 1);
      if (found) return [...found, String(index)];
    }
    return undefined;
  }
  if (Buffer.isBuffer(value)) return undefined;
  const record = value as Record<string, unknown>;
  // Own enumerable keys in order, as Object.entries gives them, without an array of pairs per object.
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    if (key.includes('\u0000')) return [key.replaceAll('\u0000', '\\u0000')];
    const found = nulKeysWithin(record[key], depth + 1);
    if (found) return [...found, key];
  }
  return undefined;
}

function nulError(field: string, language: Language): ValidationError {
  const message = messages.nul_character[language];
  const errors: FieldError[] = [{ field, code: 'nul_character', message }];
  return new ValidationError(errors, `${field}: ${message}`);
}

/** Mounted after the JSON body parser and before every router. */
export function createInputGuard(): RequestHandler {
  return (request, _response, next) => {
    const language = requestLanguage(request.get('accept-language'));
    let decodedPath: string;
    try {
      decodedPath = decodeURIComponent(request.path);
    } catch {
      const message = messages.invalid_encoding[language];
      throw new ValidationError([{ field: 'path', code: 'invalid_encoding', message }], message, 'invalid_encoding');
    }
    if (decodedPath.includes('\u0000')) throw nulError('path', language);
    const inQuery = findNulCharacter(request.query, []);
    if (inQuery) throw nulError(['query', ...inQuery].join('.'), language);
    if (request.body !== undefined && !Buffer.isBuffer(request.body)) {
      const inBody = findNulCharacter(request.body, []);
      if (inBody) throw nulError(inBody.length > 0 ? inBody.join('.') : 'body', language);
    }
    next();
  };
}
