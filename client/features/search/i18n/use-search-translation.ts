import i18next, { type i18n as I18n } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { searchDe } from './de';
import { searchEn } from './en';

export const searchNamespace = 'search';

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
// Plural forms are asked for by their base key ("results.count" with { count }).
type Base<K extends string> = K extends `${infer Stem}_${'one' | 'other'}` ? Stem : K;
export type SearchKey = Base<Leaves<typeof searchDe>>;

/**
 * Adds the feature's texts as the "search" namespace. The i18n set-up may also register them
 * up front; adding here is idempotent and keeps the feature working on its own.
 */
export function registerSearchResources(instance: I18n = i18next): void {
  if (!instance.hasResourceBundle('de', searchNamespace)) instance.addResourceBundle('de', searchNamespace, searchDe);
  if (!instance.hasResourceBundle('en', searchNamespace)) instance.addResourceBundle('en', searchNamespace, searchEn);
}

export type SearchTranslate = (key: SearchKey, options?: Record<string, unknown>) => string;

export function useSearchTranslation(): { t: SearchTranslate; language: 'de' | 'en' } {
  const { i18n } = useTranslation();
  registerSearchResources(i18n);
  const language = i18n.resolvedLanguage === 'en' ? 'en' : 'de';
  const t = useMemo<SearchTranslate>(() => {
    // The app's i18next types know only its own namespace; this one is typed by SearchKey instead.
    const translate = i18n.t as unknown as (key: string, options: Record<string, unknown>) => string;
    return (key, options) => translate.call(i18n, key, { ...options, ns: searchNamespace, lng: language });
  }, [i18n, language]);
  return { t, language };
}
