import type { AreaCoverage } from '../../../../server/coverage/coverage.schema';
import { useTranslation } from 'react-i18next';
import { formatIndicator, indicatorValue, mappableIndicators, type IndicatorKey } from '../utils/indicators';

type CoverageTableProps = {
  areas: readonly AreaCoverage[];
  scenario: readonly AreaCoverage[] | null;
  indicator: IndicatorKey;
  selectedAreaId: string | null;
  comparedAreaIds: readonly string[];
  onProfile: (areaId: string) => void;
  onToggleCompare: (areaId: string) => void;
};

const levelOrder = { city: 0, district: 1, area_set: 2, sozialraum: 3 } as const;

// The same figures as the map (and more), for reading, screen readers and copying into papers.
export function CoverageTable(props: CoverageTableProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'de';
  const scenarioById = new Map((props.scenario ?? []).map((area) => [area.areaId, area]));
  const rows = [...props.areas].sort((a, b) => levelOrder[a.level] - levelOrder[b.level] || a.name.localeCompare(b.name, language));
  return (
    <div className="coverage-table__scroll" tabIndex={0} role="region" aria-label={t('coverage.table.caption')}>
      <table className="coverage-table">
        <caption>{t('coverage.table.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('coverage.table.area')}</th>
            <th scope="col">{t('coverage.table.level')}</th>
            {mappableIndicators.map((key) => (
              <th scope="col" key={key} aria-sort={key === props.indicator ? 'none' : undefined} className={key === props.indicator ? 'is-current' : undefined}>
                {t(`coverage.indicators.${key}`)}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">{t('coverage.table.profile')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((area) => {
            const after = scenarioById.get(area.areaId);
            return (
              <tr key={area.areaId} aria-selected={area.areaId === props.selectedAreaId} className={area.level !== 'sozialraum' ? 'is-aggregate' : undefined}>
                <th scope="row">{area.name}</th>
                <td>{t(`coverage.table.levels.${area.level}`)}</td>
                {mappableIndicators.map((key) => {
                  const before = indicatorValue(area, key);
                  const changed = after ? indicatorValue(after, key) : null;
                  return (
                    <td key={key} className="is-number">
                      {formatIndicator(before, key, language)}
                      {after && changed !== before ? (
                        <span className="coverage-table__after">
                          {' → '}
                          {formatIndicator(changed, key, language)}
                        </span>
                      ) : null}
                    </td>
                  );
                })}
                <td className="coverage-table__actions">
                  <button type="button" className="button button--secondary" onClick={() => props.onProfile(area.areaId)} disabled={area.level === 'city'}>
                    {t('coverage.table.profile')}
                  </button>
                  <label>
                    <input
                      type="checkbox"
                      checked={props.comparedAreaIds.includes(area.areaId)}
                      onChange={() => props.onToggleCompare(area.areaId)}
                      disabled={!props.comparedAreaIds.includes(area.areaId) && props.comparedAreaIds.length >= 4}
                    />{' '}
                    {t('coverage.table.compare')}
                  </label>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
