import type { GapsResult } from '../../../../server/coverage/coverage.schema';
import { fill, useCoverageTexts } from '../i18n/coverage-texts';
import { formatIndicator } from '../utils/indicators';

// The ranked gaps as a list: the top of the gap layer, readable without the map.
export function GapList({ gaps, limit = 15 }: { gaps: GapsResult; limit?: number }) {
  const { texts, language } = useCoverageTexts();
  return (
    <section className="coverage-gaps" aria-labelledby="coverage-gaps-heading">
      <h3 id="coverage-gaps-heading">{texts.gaps.title}</h3>
      <p>{fill(texts.gaps.total, { total: formatIndicator(gaps.totalUncovered, 'uncoveredPopulation', language) })}</p>
      <table className="coverage-table">
        <thead>
          <tr>
            <th scope="col">{texts.gaps.rank}</th>
            <th scope="col">{texts.gaps.where}</th>
            <th scope="col">{texts.gaps.residents}</th>
            <th scope="col">{texts.gaps.distance}</th>
          </tr>
        </thead>
        <tbody>
          {gaps.features.slice(0, limit).map((feature) => (
            <tr key={String(feature.id)}>
              <td className="is-number">{feature.properties.rank}</td>
              <th scope="row">
                {feature.properties.streetName ? `${feature.properties.streetName}, ` : ''}
                {feature.properties.areaName}
              </th>
              <td className="is-number">{formatIndicator(feature.properties.uncoveredResidents, 'uncoveredPopulation', language)}</td>
              <td className="is-number">{formatIndicator(feature.properties.distanceMeters, 'medianDistanceMeters', language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
