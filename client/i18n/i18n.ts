import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setRequestLanguage } from '../lib/api-client';
import { defaultLanguage, initialLanguage, languageStorageKey, resolveLanguage, type Language } from './language';
import { de } from './locales/de';
import { en } from './locales/en';

export const resources = {
  de: { translation: de },
  en: { translation: en },
} as const;

function readStoredLanguage(): string | null {
  try {
    return window.localStorage.getItem(languageStorageKey);
  } catch {
    // Storage can be disabled (private mode, strict settings); German is the fallback.
    return null;
  }
}

function storeLanguage(language: Language): void {
  try {
    window.localStorage.setItem(languageStorageKey, language);
  } catch {
    // Not persisting is acceptable: the choice still holds for this page view.
  }
}

function reflectLanguage(language: string): void {
  document.documentElement.lang = language;
  setRequestLanguage(language);
}

export function initI18n(): typeof i18next {
  // The browser's languages count until the person chooses one (the choice is stored).
  const browserLanguages = typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];
  const language = initialLanguage(readStoredLanguage(), browserLanguages);
  void i18next.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: defaultLanguage,
    supportedLngs: ['de', 'en'],
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  reflectLanguage(language);
  i18next.on('languageChanged', (next) => {
    const resolved = resolveLanguage(next);
    reflectLanguage(resolved);
    storeLanguage(resolved);
  });
  return i18next;
}
