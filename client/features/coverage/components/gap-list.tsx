import { useTranslation } from 'react-i18next';
import type { GapsResult } from '../../../../server/coverage/coverage.schema';
import type { Bbox } from '../../../map/geometry';
import { gapRows } from '../utils/gap-rows';
import { formatIndicator } from '../utils/indicators';

// The ranked gaps as a list: the top of the gap layer, readable without the map; each row shows its place on the map.
export function GapList({ gaps, limit = 15, onShow }: { gaps: GapsResult; limit?: number; onShow: (bounds: Bbox) => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'de';
  const rows = gapRows(gaps, limit);
  return (
    <section className="coverage-gaps" aria-labelledby="coverage-gaps-heading">
      <h3 id="coverage-gaps-heading">{t('coverage.gaps.title')}</h3>
      <p>{t('coverage.gaps.total', { total: formatIndicator(gaps.totalUncovered, 'uncoveredPopulation', language) })}</p>
      <p className="form-field__hint">{t('coverage.gaps.hint')}</p>
      <div className="coverage-table__scroll" tabIndex={0} role="region" aria-labelledby="coverage-gaps-heading">
        <table className="coverage-table coverage-gaps__table">
          <thead>
            <tr>
              <th scope="col">{t('coverage.gaps.rank')}</th>
              <th scope="col">{t('coverage.gaps.where')}</th>
              <th scope="col">{t('coverage.gaps.residents')}</th>
              <th scope="col">{t('coverage.gaps.distance')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const where = row.streetName ? `${row.streetName}, ${row.areaName}` : row.areaName;
              const bounds = row.bounds;
              return (
                <tr key={row.key} className={bounds ? 'is-clickable' : undefined} onClick={bounds ? () => onShow(bounds) : undefined}>
                  <td className="is-number">{row.rank}</td>
                  <th scope="row">
                    {bounds ? (
                      <button
                        type="button"
                        className="link-button"
                        aria-label={t('coverage.gaps.show', { where })}
                        onClick={(event) => {
                          event.stopPropagation();
                          onShow(bounds);
                        }}
                      >
                        {where}
                      </button>
                    ) : (
                      where
                    )}
                  </th>
                  <td className="is-number">{formatIndicator(row.uncoveredResidents, 'uncoveredPopulation', language)}</td>
                  <td className="is-number">{formatIndicator(row.distanceMeters, 'medianDistanceMeters', language)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
