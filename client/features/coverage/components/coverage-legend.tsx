import type { LegendEntry } from '../utils/classify';
import { noDataColor } from '../utils/classify';
import { formatIndicator, type IndicatorKey } from '../utils/indicators';
import { useTranslation } from 'react-i18next';

type CoverageLegendProps = {
  indicator: IndicatorKey;
  entries: LegendEntry[];
  showGaps: boolean;
  showHypothetical: boolean;
  /** Set when the city holds too few matching offers for classes: the legend says so instead. */
  thinOffers: number | null;
};

export function CoverageLegend({ indicator, entries, showGaps, showHypothetical, thinOffers }: CoverageLegendProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'de';
  return (
    <figure className="coverage-legend" aria-label={t('coverage.legend.title')}>
      <figcaption>{t(`coverage.indicators.${indicator}`)}</figcaption>
      <ul>
        {entries.map((entry) => (
          <li key={`${entry.from}-${entry.to}`}>
            <span className="coverage-legend__swatch" style={{ background: entry.color }} aria-hidden="true" />
            {formatIndicator(entry.from, indicator, language) === formatIndicator(entry.to, indicator, language)
              ? entries.length === 1
                ? t('coverage.legend.allAreas', { value: formatIndicator(entry.to, indicator, language) })
                : formatIndicator(entry.to, indicator, language)
              : `${formatIndicator(entry.from, indicator, language)} – ${formatIndicator(entry.to, indicator, language)}`}
          </li>
        ))}
        <li>
          <span className="coverage-legend__swatch" style={{ background: noDataColor }} aria-hidden="true" />
          {t('coverage.legend.noData')}
        </li>
        {showGaps ? (
          <li>
            <span className="coverage-legend__line" aria-hidden="true" />
            {t('coverage.legend.gap')}
          </li>
        ) : null}
        {showHypothetical ? (
          <li>
            <span className="coverage-legend__point" aria-hidden="true" />
            {t('coverage.legend.hypothetical')}
          </li>
        ) : null}
      </ul>
      {thinOffers !== null ? (
        <p className="coverage-legend__note">{thinOffers === 0 ? t('coverage.legend.thinZero') : t('coverage.legend.thin', { count: thinOffers })}</p>
      ) : null}
    </figure>
  );
}
