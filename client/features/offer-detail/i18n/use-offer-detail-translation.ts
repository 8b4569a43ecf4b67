import i18next, { type i18n as I18n } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { offerDetailDe } from './de';
import { offerDetailEn } from './en';

export const offerDetailNamespace = 'offerDetail';

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
// Plural forms are asked for by their base key ("results.count" with { count }).
type Base<K extends string> = K extends `${infer Stem}_${'one' | 'other'}` ? Stem : K;
export type OfferDetailKey = Base<Leaves<typeof offerDetailDe>>;

/**
 * Adds the feature's texts as the "offerDetail" namespace. The i18n set-up may also register them
 * up front; adding here is idempotent and keeps the feature working on its own.
 */
export function registerOfferDetailResources(instance: I18n = i18next): void {
  if (!instance.hasResourceBundle('de', offerDetailNamespace)) instance.addResourceBundle('de', offerDetailNamespace, offerDetailDe);
  if (!instance.hasResourceBundle('en', offerDetailNamespace)) instance.addResourceBundle('en', offerDetailNamespace, offerDetailEn);
}

export type OfferDetailTranslate = (key: OfferDetailKey, options?: Record<string, unknown>) => string;

export function useOfferDetailTranslation(): { t: OfferDetailTranslate; language: 'de' | 'en' } {
  const { i18n } = useTranslation();
  registerOfferDetailResources(i18n);
  const language = i18n.resolvedLanguage === 'en' ? 'en' : 'de';
  const t = useMemo<OfferDetailTranslate>(() => {
    // The app's i18next types know only its own namespace; this one is typed by OfferDetailKey instead.
    const translate = i18n.t as unknown as (key: string, options: Record<string, unknown>) => string;
    return (key, options) => translate.call(i18n, key, { ...options, ns: offerDetailNamespace, lng: language });
  }, [i18n, language]);
  return { t, language };
}
