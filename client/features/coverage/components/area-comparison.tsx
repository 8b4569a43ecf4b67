import type { AreaCoverage } from '../../../../server/coverage/coverage.schema';
import { useCoverageTexts } from '../i18n/coverage-texts';
import { formatIndicator, indicatorValue, mappableIndicators } from '../utils/indicators';

// Areas side by side (columns), indicators as rows, with the city as the last column for reference.
export function AreaComparison({ areas, city, onRemove }: { areas: readonly AreaCoverage[]; city: AreaCoverage | null; onRemove: (areaId: string) => void }) {
  const { texts, language } = useCoverageTexts();
  const columns = city ? [...areas, city] : [...areas];
  return (
    <section className="coverage-comparison" aria-labelledby="coverage-comparison-heading">
      <h3 id="coverage-comparison-heading">{texts.comparison.title}</h3>
      {areas.length === 0 ? (
        <p>{texts.comparison.empty}</p>
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
                        {texts.comparison.remove}
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
                  <th scope="row">{texts.indicators[key]}</th>
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
