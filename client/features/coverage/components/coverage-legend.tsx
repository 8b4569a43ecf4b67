import type { LegendEntry } from '../utils/classify';
import { noDataColor } from '../utils/classify';
import { formatIndicator, type IndicatorKey } from '../utils/indicators';
import { useCoverageTexts } from '../i18n/coverage-texts';

type CoverageLegendProps = {
  indicator: IndicatorKey;
  entries: LegendEntry[];
  showGaps: boolean;
  showHypothetical: boolean;
};

export function CoverageLegend({ indicator, entries, showGaps, showHypothetical }: CoverageLegendProps) {
  const { texts, language } = useCoverageTexts();
  return (
    <figure className="coverage-legend" aria-label={texts.legend.title}>
      <figcaption>{texts.indicators[indicator]}</figcaption>
      <ul>
        {entries.map((entry) => (
          <li key={`${entry.from}-${entry.to}`}>
            <span className="coverage-legend__swatch" style={{ background: entry.color }} aria-hidden="true" />
            {formatIndicator(entry.from, indicator, language)} – {formatIndicator(entry.to, indicator, language)}
          </li>
        ))}
        <li>
          <span className="coverage-legend__swatch" style={{ background: noDataColor }} aria-hidden="true" />
          {texts.legend.noData}
        </li>
        {showGaps ? (
          <li>
            <span className="coverage-legend__line" aria-hidden="true" />
            {texts.legend.gap}
          </li>
        ) : null}
        {showHypothetical ? (
          <li>
            <span className="coverage-legend__point" aria-hidden="true" />
            {texts.legend.hypothetical}
          </li>
        ) : null}
      </ul>
    </figure>
  );
}
