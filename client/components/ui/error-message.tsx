import { useTranslation } from 'react-i18next';
import { errorCode, errorMessageKey } from '../../lib/error-message';

type ErrorMessageProps = {
  error: unknown;
  onRetry?: () => void;
};

export function ErrorMessage({ error, onRetry }: ErrorMessageProps) {
  const { t } = useTranslation();
  const code = errorCode(error);
  return (
    <div className="error-message" role="alert">
      <p className="error-message__title">{t('errors.title')}</p>
      <p>{t(errorMessageKey(error))}</p>
      {code ? <p className="error-message__code">{t('errors.reference', { code })}</p> : null}
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          {t('errors.retry')}
        </button>
      ) : null}
    </div>
  );
}
