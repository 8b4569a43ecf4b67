import { useId } from 'react';
import type { ReachMode } from '../../../../server/coverage/coverage.schema';
import type { OfferTypeOption } from '../api/get-offer-types';
import { useTranslation } from 'react-i18next';
import type { ClassificationMethod, PaletteName } from '../utils/classify';
import { mappableIndicators, type IndicatorKey } from '../utils/indicators';

export type CoverageView = {
  offerType: string;
  mode: ReachMode | null;
  distance: number | null;
  year: number | null;
  indicator: IndicatorKey;
  classification: ClassificationMethod;
  palette: PaletteName;
  showGaps: boolean;
  /** The level the map colours: Sozialräume, districts (quarters when the data has them) or area sets (issue 13). */
  level: 'sozialraum' | 'district' | 'area_set';
};

type CoverageControlsProps = {
  view: CoverageView;
  offerTypes: readonly OfferTypeOption[];
  availableYears: readonly number[];
  availableLevels: readonly CoverageView['level'][];
  onChange: (change: Partial<CoverageView>) => void;
};

export function CoverageControls({ view, offerTypes, availableYears, availableLevels, onChange }: CoverageControlsProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'de';
  return (
    <form className="coverage-controls" onSubmit={(event) => event.preventDefault()}>
      <fieldset>
        <legend>{t('coverage.controls.legend')}</legend>
        <label>
          {t('coverage.controls.offerType')}
          <select value={view.offerType} onChange={(event) => onChange({ offerType: event.target.value })}>
            {offerTypes.map((option) => (
              <option key={option.code} value={option.code}>
                {`${'\u00a0\u00a0'.repeat(option.depth)}${option.label[language]}`}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('coverage.controls.mode')}
          <select value={view.mode ?? ''} onChange={(event) => onChange({ mode: event.target.value === '' ? null : (event.target.value as ReachMode) })}>
            <option value="">{t('coverage.controls.modeDefault')}</option>
            <option value="walk">{t('coverage.controls.modeWalk')}</option>
            <option value="airline">{t('coverage.controls.modeAirline')}</option>
          </select>
        </label>
        <label>
          {t('coverage.controls.distance')}
          <input
            type="number"
            min={50}
            max={10000}
            step={50}
            placeholder={t('coverage.controls.distanceDefault')}
            value={view.distance ?? ''}
            onChange={(event) => {
              const value = Number(event.target.value);
              onChange({ distance: event.target.value === '' || !Number.isInteger(value) || value < 50 || value > 10000 ? null : value });
            }}
          />
        </label>
        {availableYears.length > 1 ? (
          <YearSlider years={availableYears} value={view.year} onChange={(year) => onChange({ year })} />
        ) : null}
      </fieldset>
      <fieldset>
        <legend>{t('coverage.legend.title')}</legend>
        <label>
          {t('coverage.controls.indicator')}
          <select value={view.indicator} onChange={(event) => onChange({ indicator: event.target.value as IndicatorKey })}>
            {mappableIndicators.map((key) => (
              <option key={key} value={key}>
                {t(`coverage.indicators.${key}`)}
              </option>
            ))}
          </select>
        </label>
        {availableLevels.length > 1 ? (
          <label>
            {t('coverage.controls.level')}
            <select value={view.level} onChange={(event) => onChange({ level: event.target.value as CoverageView['level'] })}>
              {availableLevels.map((level) => (
                <option key={level} value={level}>
                  {level === 'area_set' ? t('coverage.controls.levelAreaSets') : t(`coverage.table.levels.${level}`)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          {t('coverage.controls.classification')}
          <select value={view.classification} onChange={(event) => onChange({ classification: event.target.value as ClassificationMethod })}>
            <option value="quantile">{t('coverage.controls.quantile')}</option>
            <option value="equal_interval">{t('coverage.controls.equalInterval')}</option>
          </select>
        </label>
        <label>
          {t('coverage.controls.palette')}
          <select value={view.palette} onChange={(event) => onChange({ palette: event.target.value as PaletteName })}>
            <option value="viridis">viridis</option>
            <option value="cividis">cividis</option>
          </select>
        </label>
        <label className="coverage-controls__check">
          <input type="checkbox" checked={view.showGaps} onChange={(event) => onChange({ showGaps: event.target.checked })} /> {t('coverage.controls.showGaps')}
        </label>
      </fieldset>
    </form>
  );
}

// Years as a slider over the statistics years there are; the newest is the default. The value is
// announced in words (aria-valuetext) and shown beside the label.
function YearSlider({ years, value, onChange }: { years: readonly number[]; value: number | null; onChange: (year: number | null) => void }) {
  const { t } = useTranslation();
  const sorted = [...years].sort((a, b) => a - b);
  const latest = sorted[sorted.length - 1]!;
  const current = value !== null && sorted.includes(value) ? value : latest;
  const index = sorted.indexOf(current);
  const text = current === latest ? t('coverage.controls.yearLatestValue', { year: current }) : String(current);
  const labelId = useId();
  return (
    <label className="coverage-controls__year">
      <span>
        <span id={labelId}>{t('coverage.controls.year')}</span>: <output>{text}</output>
      </span>
      <input
        aria-labelledby={labelId}
        type="range"
        min={0}
        max={sorted.length - 1}
        step={1}
        value={index}
        aria-valuetext={text}
        onChange={(event) => {
          const year = sorted[Number(event.target.value)] ?? latest;
          onChange(year === latest ? null : year);
        }}
      />
      <span className="coverage-controls__range" aria-hidden="true">
        {sorted[0]} – {latest}
      </span>
    </label>
  );
}
