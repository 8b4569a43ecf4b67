import type { GapsResult } from '../../../../server/coverage/coverage.schema';
import { useTranslation } from 'react-i18next';
import { formatIndicator } from '../utils/indicators';

// The ranked gaps as a list: the top of the gap layer, readable without the map.
export function GapList({ gaps, limit = 15 }: { gaps: GapsResult; limit?: number }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'de';
  return (
    <section className="coverage-gaps" aria-labelledby="coverage-gaps-heading">
      <h3 id="coverage-gaps-heading">{t('coverage.gaps.title')}</h3>
      <p>{t('coverage.gaps.total', { total: formatIndicator(gaps.totalUncovered, 'uncoveredPopulation', language) })}</p>
      <table className="coverage-table">
        <thead>
          <tr>
            <th scope="col">{t('coverage.gaps.rank')}</th>
            <th scope="col">{t('coverage.gaps.where')}</th>
            <th scope="col">{t('coverage.gaps.residents')}</th>
            <th scope="col">{t('coverage.gaps.distance')}</th>
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
