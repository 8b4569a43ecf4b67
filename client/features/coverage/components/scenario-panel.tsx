import type { AreaCoverage, HypotheticalOffer } from '../../../../server/coverage/coverage.schema';
import { useTranslation } from 'react-i18next';
import { formatIndicator, indicatorValue, type IndicatorKey } from '../utils/indicators';

type ScenarioPanelProps = {
  placing: boolean;
  onTogglePlacing: () => void;
  offers: readonly HypotheticalOffer[];
  onClear: () => void;
  capacity: number | null;
  onCapacityChange: (capacity: number | null) => void;
  baseline: readonly AreaCoverage[] | null;
  scenario: readonly AreaCoverage[] | null;
  indicator: IndicatorKey;
};

// What-if: place hypothetical offers on the map and read before / after for every area that changes.
export function ScenarioPanel(props: ScenarioPanelProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'de';
  const baselineById = new Map((props.baseline ?? []).map((area) => [area.areaId, area]));
  const changed = (props.scenario ?? []).filter((area) => {
    const before = baselineById.get(area.areaId);
    return before && (before.coveredPopulation !== area.coveredPopulation || before.offers !== area.offers || before.e2sfcaPer1000 !== area.e2sfcaPer1000);
  });
  return (
    <section className="coverage-scenario" aria-labelledby="coverage-scenario-heading">
      <h3 id="coverage-scenario-heading">{t('coverage.scenario.title')}</h3>
      <p>{t('coverage.scenario.hint')}</p>
      <div className="coverage-scenario__actions">
        <button type="button" className="button" aria-pressed={props.placing} onClick={props.onTogglePlacing}>
          {props.placing ? t('coverage.scenario.stop') : t('coverage.scenario.start')}
        </button>
        <label>
          {t('coverage.scenario.capacity')}{' '}
          <input
            type="number"
            min={0}
            max={100000}
            value={props.capacity ?? ''}
            onChange={(event) => props.onCapacityChange(event.target.value === '' ? null : Number(event.target.value))}
          />
        </label>
        <button type="button" className="button button--secondary" onClick={props.onClear} disabled={props.offers.length === 0}>
          {t('coverage.scenario.clear')}
        </button>
      </div>
      <p role="status">{props.offers.length === 0 ? t('coverage.scenario.none') : t('coverage.scenario.placed', { count: props.offers.length })}</p>
      {changed.length > 0 ? (
        <div className="coverage-table__scroll" tabIndex={0} role="region" aria-label={t('coverage.scenario.changedAreas')}>
        <table className="coverage-table">
          <caption>{t('coverage.scenario.changedAreas')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('coverage.table.area')}</th>
              <th scope="col">{`${t(`coverage.indicators.${props.indicator}`)} (${t('coverage.scenario.before')})`}</th>
              <th scope="col">{`${t(`coverage.indicators.${props.indicator}`)} (${t('coverage.scenario.after')})`}</th>
              <th scope="col">{`${t('coverage.indicators.shareWithinReach')} (${t('coverage.scenario.before')} → ${t('coverage.scenario.after')})`}</th>
            </tr>
          </thead>
          <tbody>
            {changed.map((area) => {
              const before = baselineById.get(area.areaId)!;
              return (
                <tr key={area.areaId}>
                  <th scope="row">{area.name}</th>
                  <td className="is-number">{formatIndicator(indicatorValue(before, props.indicator), props.indicator, language)}</td>
                  <td className="is-number">{formatIndicator(indicatorValue(area, props.indicator), props.indicator, language)}</td>
                  <td className="is-number">
                    {formatIndicator(indicatorValue(before, 'shareWithinReach'), 'shareWithinReach', language)} →{' '}
                    {formatIndicator(indicatorValue(area, 'shareWithinReach'), 'shareWithinReach', language)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        </div>
      ) : null}
    </section>
  );
}
