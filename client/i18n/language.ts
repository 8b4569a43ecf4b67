// Pure language helpers (no DOM, no i18next) so they can be unit-tested in node.
export const supportedLanguages = ['de', 'en'] as const;
export type Language = (typeof supportedLanguages)[number];
export const defaultLanguage: Language = 'de';
export const languageStorageKey = 'angebotsatlas.language';

export function isSupportedLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (supportedLanguages as readonly string[]).includes(value);
}

/** A stored choice must be exactly a supported code; anything else falls back to German. */
export function resolveLanguage(stored: string | null | undefined): Language {
  return isSupportedLanguage(stored) ? stored : defaultLanguage;
}

/**
 * The language of the first page view: the person's own choice once made; until then the first
 * language of the browser's list (navigator.languages, the list Accept-Language is built from) that
 * the UI speaks, by its primary subtag ("en-GB" → English); German when none matches.
 */
export function initialLanguage(stored: string | null | undefined, browserLanguages: readonly string[] | undefined): Language {
  if (isSupportedLanguage(stored)) return stored;
  for (const tag of browserLanguages ?? []) {
    const primary = tag.trim().toLowerCase().split('-')[0];
    if (isSupportedLanguage(primary)) return primary;
  }
  return defaultLanguage;
}
