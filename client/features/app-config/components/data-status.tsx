import { useTranslation } from 'react-i18next';
import type { AppConfig } from '../api/get-config';

type DataStatusProps = {
  status: AppConfig['dataStatus'];
};

export function DataStatus({ status }: DataStatusProps) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="data-status-heading">
      <h2 id="data-status-heading">{t('pages.administration.dataStatusHeading')}</h2>
      <p>{status.loaded ? t('pages.administration.dataLoaded') : t('pages.administration.dataNotLoaded')}</p>
      {status.message ? <p>{status.message}</p> : null}
    </section>
  );
}
