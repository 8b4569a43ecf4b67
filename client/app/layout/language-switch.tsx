import { useTranslation } from 'react-i18next';
import { supportedLanguages, resolveLanguage } from '../../i18n/language';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current = resolveLanguage(i18n.resolvedLanguage ?? i18n.language);
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')}>
      {supportedLanguages.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          className="language-switch__button"
          aria-pressed={language === current}
          onClick={() => void i18n.changeLanguage(language)}
        >
          {t(`language.${language}`)}
        </button>
      ))}
    </div>
  );
}
