import type { AreaCoverage } from '../../../../server/coverage/coverage.schema';
import { useTranslation } from 'react-i18next';
import { formatIndicator, indicatorValue, mappableIndicators } from '../utils/indicators';

// Areas side by side (columns), indicators as rows, with the city as the last column for reference.
export function AreaComparison({ areas, city, onRemove }: { areas: readonly AreaCoverage[]; city: AreaCoverage | null; onRemove: (areaId: string) => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'de';
  const columns = city ? [...areas, city] : [...areas];
  return (
    <section className="coverage-comparison" aria-labelledby="coverage-comparison-heading">
      <h3 id="coverage-comparison-heading">{t('coverage.comparison.title')}</h3>
      {areas.length === 0 ? (
        <p>{t('coverage.comparison.empty')}</p>
      ) : (
        <div className="coverage-table__scroll" tabIndex={0} role="region" aria-labelledby="coverage-comparison-heading">
          <table className="coverage-table">
            <thead>
              <tr>
                <td />
                {columns.map((area) => (
                  <th scope="col" key={area.areaId}>
                    {area.name}
                    {area.level !== 'city' ? (
                      <button type="button" className="button button--secondary" onClick={() => onRemove(area.areaId)}>
                        {t('coverage.comparison.remove')}
                        <span className="visually-hidden"> {area.name}</span>
                      </button>
                    ) : null}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {mappableIndicators.map((key) => (
                <tr key={key}>
                  <th scope="row">{t(`coverage.indicators.${key}`)}</th>
                  {columns.map((area) => (
                    <td key={area.areaId} className="is-number">
                      {formatIndicator(indicatorValue(area, key), key, language)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
