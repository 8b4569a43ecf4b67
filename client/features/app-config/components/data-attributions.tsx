import { useTranslation } from 'react-i18next';
import type { DataAttribution } from '../api/get-config';

type DataAttributionsProps = {
  attributions: readonly DataAttribution[];
};

export function DataAttributions({ attributions }: DataAttributionsProps) {
  const { t } = useTranslation();
  if (attributions.length === 0) return <p>{t('footer.noAttributions')}</p>;
  return (
    <ul className="data-attributions">
      {attributions.map((item) => (
        <li key={item.id}>
          <span className="data-attributions__text">{item.attribution}</span>{' '}
          {item.url ? (
            <a href={item.url} rel="noopener noreferrer external">
              {t('footer.sourceLink', { title: item.title })}
            </a>
          ) : (
            <span>{item.title}</span>
          )}
          {item.datasets.length > 1 ? (
            <ul className="data-attributions__datasets" aria-label={t('footer.datasetsOf', { attribution: item.attribution })}>
              {item.datasets.map((dataset) => (
                <li key={dataset.id}>
                  {dataset.title}
                  {dataset.dataDate ? ` (${t('footer.dataDate', { date: dataset.dataDate })})` : ''}
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
