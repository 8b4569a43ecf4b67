import type { TFunction } from 'i18next';
import type { TranslationResource } from './locales/de';

/** The `t` of one feature's group (`useTranslation(undefined, { keyPrefix })`), to pass to its components. */
export type GroupTranslate<Group extends keyof TranslationResource> = TFunction<'translation', Group>;

/** The two languages the UI speaks, as a component needs it for formatting and term labels. */
export function uiLanguage(resolvedLanguage: string | undefined): 'de' | 'en' {
  return resolvedLanguage === 'en' ? 'en' : 'de';
}
