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
      {status.reason === 'data_dir_missing' ? (
        <>
          <p>{t('pages.administration.dataMissing')}</p>
          <ul>
            {status.downloadPages.map((page) => (
              <li key={page.url}>
                <a href={page.url}>{page.title}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {status.reason === 'no_default_datasets' ? <p>{t('pages.administration.dataNoDefaults')}</p> : null}
      {status.reason === 'import_failed' ? <p>{t('pages.administration.dataImportFailed')}</p> : null}
    </section>
  );
}
