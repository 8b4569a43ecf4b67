import { useTranslation } from 'react-i18next';

type MeasureToolProps = {
  measuring: boolean;
  points: number;
  meters: number;
  onToggle: () => void;
  onClear: () => void;
};

// Measuring on the map: the button starts and ends it (Escape ends it too); every click on the map
// adds a point; the distance is announced in a live region for screen readers.
export function MeasureTool({ measuring, points, meters, onToggle, onClear }: MeasureToolProps) {
  const { t, i18n } = useTranslation();
  const distance = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 0 }).format(Math.round(meters));
  return (
    <div className="coverage-measure">
      <button type="button" className="button button--secondary" aria-pressed={measuring} onClick={onToggle}>
        {measuring ? t('coverage.measure.stop') : t('coverage.measure.start')}
      </button>
      {points > 0 ? (
        <button type="button" className="button button--secondary" onClick={onClear}>
          {t('coverage.measure.clear')}
        </button>
      ) : null}
      <p className="coverage-measure__result" role="status" aria-live="polite" data-testid="measure-result">
        {points >= 2 ? t('coverage.measure.result', { distance, count: points }) : measuring ? t('coverage.measure.hint') : ''}
      </p>
    </div>
  );
}
