import type { ReachMode } from '../../../../server/coverage/coverage.schema';
import type { OfferTypeOption } from '../api/get-offer-types';
import { useCoverageTexts } from '../i18n/coverage-texts';
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
};

type CoverageControlsProps = {
  view: CoverageView;
  offerTypes: readonly OfferTypeOption[];
  availableYears: readonly number[];
  onChange: (change: Partial<CoverageView>) => void;
};

export function CoverageControls({ view, offerTypes, availableYears, onChange }: CoverageControlsProps) {
  const { texts, language } = useCoverageTexts();
  const c = texts.controls;
  return (
    <form className="coverage-controls" onSubmit={(event) => event.preventDefault()}>
      <fieldset>
        <legend>{c.legend}</legend>
        <label>
          {c.offerType}
          <select value={view.offerType} onChange={(event) => onChange({ offerType: event.target.value })}>
            {offerTypes.map((option) => (
              <option key={option.code} value={option.code}>
                {`${'\u00a0\u00a0'.repeat(option.depth)}${option.label[language]}`}
              </option>
            ))}
          </select>
        </label>
        <label>
          {c.mode}
          <select value={view.mode ?? ''} onChange={(event) => onChange({ mode: event.target.value === '' ? null : (event.target.value as ReachMode) })}>
            <option value="">{c.modeDefault}</option>
            <option value="walk">{c.modeWalk}</option>
            <option value="airline">{c.modeAirline}</option>
          </select>
        </label>
        <label>
          {c.distance}
          <input
            type="number"
            min={50}
            max={10000}
            step={50}
            placeholder={c.distanceDefault}
            value={view.distance ?? ''}
            onChange={(event) => {
              const value = Number(event.target.value);
              onChange({ distance: event.target.value === '' || !Number.isInteger(value) || value < 50 || value > 10000 ? null : value });
            }}
          />
        </label>
        <label>
          {c.year}
          <select value={view.year ?? ''} onChange={(event) => onChange({ year: event.target.value === '' ? null : Number(event.target.value) })}>
            <option value="">{c.yearLatest}</option>
            {availableYears.map((year) => (
              <option key={year} value={year}>
                {year}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <fieldset>
        <legend>{texts.legend.title}</legend>
        <label>
          {c.indicator}
          <select value={view.indicator} onChange={(event) => onChange({ indicator: event.target.value as IndicatorKey })}>
            {mappableIndicators.map((key) => (
              <option key={key} value={key}>
                {texts.indicators[key]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {c.classification}
          <select value={view.classification} onChange={(event) => onChange({ classification: event.target.value as ClassificationMethod })}>
            <option value="quantile">{c.quantile}</option>
            <option value="equal_interval">{c.equalInterval}</option>
          </select>
        </label>
        <label>
          {c.palette}
          <select value={view.palette} onChange={(event) => onChange({ palette: event.target.value as PaletteName })}>
            <option value="viridis">viridis</option>
            <option value="cividis">cividis</option>
          </select>
        </label>
        <label className="coverage-controls__check">
          <input type="checkbox" checked={view.showGaps} onChange={(event) => onChange({ showGaps: event.target.checked })} /> {c.showGaps}
        </label>
      </fieldset>
    </form>
  );
}
