// Pure language helpers (no DOM, no i18next) so they can be unit-tested in node.
export const supportedLanguages = ['de', 'en'] as const;
export type Language = (typeof supportedLanguages)[number];
export const defaultLanguage: Language = 'de';
export const languageStorageKey = 'angebotsatlas.language';

export function isSupportedLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (supportedLanguages as readonly string[]).includes(value);
}

// German stays the default: the browser language is deliberately not sniffed, so that a shared
// link looks the same for everyone until they choose English themselves.
export function resolveLanguage(stored: string | null | undefined): Language {
  return isSupportedLanguage(stored) ? stored : defaultLanguage;
}
