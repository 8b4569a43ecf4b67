import { AppError, PreconditionFailedError } from './errors.ts';
import { fillMessage, localizedValidationError, type Language, type MessageCatalogue } from './localized-validation.ts';

/**
 * Optimistic concurrency for every versioned record (offers, goals, measures): the client sends
 * the version it changed as an ETag in If-Match; a stale version is refused with 412. One rule,
 * one wording, for every feature.
 */
export const versionMessages: MessageCatalogue = {
  if_match_required: {
    de: 'Bitte die Version mitsenden, auf der die Änderung beruht: Kopfzeile If-Match mit dem ETag des zuletzt gelesenen Stands (z. B. "3").',
    en: 'Please send the version the change is based on: an If-Match header with the ETag of the state you read (e.g. "3").',
  },
  if_match_invalid: {
    de: 'Die Kopfzeile If-Match muss eine Version wie "3" enthalten.',
    en: 'The If-Match header must hold a version such as "3".',
  },
  version_mismatch: {
    de: 'Der Eintrag wurde inzwischen geändert (jetzt Version {current}, Ihre Änderung beruht auf Version {expected}). Bitte die aktuelle Fassung prüfen und erneut speichern.',
    en: 'The record has been changed meanwhile (now version {current}, your change is based on version {expected}). Please review the current state and save again.',
  },
};

/** If-Match carries the version as an ETag: "3" (also W/"3" or 3). */
export function parseIfMatch(header: string | undefined, language: Language, required: true): number;
export function parseIfMatch(header: string | undefined, language: Language, required: boolean): number | undefined;
export function parseIfMatch(header: string | undefined, language: Language, required: boolean): number | undefined {
  if (header === undefined || header.trim() === '') {
    if (required) throw new AppError('if_match_required', 428, fillMessage(versionMessages.if_match_required!, language));
    return undefined;
  }
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) {
    const message = fillMessage(versionMessages.if_match_invalid!, language);
    throw localizedValidationError([{ field: 'header.If-Match', code: 'if_match_invalid', message }], language);
  }
  return Number(match[1]);
}

/** 412 with the version that is current now; `extra` may carry the current record. */
export function versionMismatch(language: Language, current: number, expected: number, extra: Record<string, unknown> = {}): PreconditionFailedError {
  return new PreconditionFailedError(fillMessage(versionMessages.version_mismatch!, language, { current, expected }), {
    currentVersion: current,
    ...extra,
  });
}
