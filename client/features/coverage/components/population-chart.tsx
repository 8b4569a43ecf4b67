import { useTranslation } from 'react-i18next';
import { linePath, niceMaximum, scaleLinear, yearOf } from '../utils/chart';

type Series = { label: string; points: { period: string; value: number }[] };

const lineColors = ['#440154', '#21918c', '#3b528b', '#5ec962'];
const frame = { width: 520, height: 220, left: 56, right: 12, top: 12, bottom: 28 };

// Inline SVG line chart with its values as a table right after it (for screen readers and print).
export function PopulationChart({ areaName, series }: { areaName: string; series: Series[] }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'de';
  const years = [...new Set(series.flatMap((entry) => entry.points.map((point) => yearOf(point.period))))].sort();
  if (years.length === 0) return null;
  const from = years[0]!;
  const to = years[years.length - 1]!;
  const maximum = niceMaximum(Math.max(...series.flatMap((entry) => entry.points.map((point) => point.value))));
  const x = scaleLinear([from, to], [frame.left, frame.width - frame.right]);
  const y = scaleLinear([0, maximum], [frame.height - frame.bottom, frame.top]);
  const number = new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'de-DE', { maximumFractionDigits: 0 });
  const ticks = [0, maximum / 2, maximum];
  return (
    <figure className="coverage-chart">
      <figcaption>{t('coverage.profile.series', { from, to })}</figcaption>
      <svg
        viewBox={`0 0 ${frame.width} ${frame.height}`}
        role="img"
        aria-label={t('coverage.profile.chartLabel', { indicator: series.map((entry) => entry.label).join(', '), name: areaName, from, to })}
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={frame.left} x2={frame.width - frame.right} y1={y(tick)} y2={y(tick)} stroke="#c8ced6" />
            <text x={frame.left - 6} y={y(tick) + 4} textAnchor="end" fontSize="11" fill="#17212b">
              {number.format(tick)}
            </text>
          </g>
        ))}
        {years.map((year) => (
          <text key={year} x={x(year)} y={frame.height - 8} textAnchor="middle" fontSize="11" fill="#17212b">
            {year}
          </text>
        ))}
        {series.map((entry, index) => (
          <path
            key={entry.label}
            d={linePath(entry.points.map((point) => ({ x: yearOf(point.period), y: point.value })), x, y)}
            fill="none"
            stroke={lineColors[index % lineColors.length]}
            strokeWidth={2.5}
            strokeDasharray={index % 2 === 1 ? '6 3' : undefined}
          />
        ))}
      </svg>
      <ul className="coverage-chart__key">
        {series.map((entry, index) => (
          <li key={entry.label}>
            <span className="coverage-legend__swatch" style={{ background: lineColors[index % lineColors.length] }} aria-hidden="true" />
            {entry.label}
          </li>
        ))}
      </ul>
      <table className="coverage-table coverage-chart__table">
        <thead>
          <tr>
            <td />
            {years.map((year) => (
              <th scope="col" key={year}>
                {year}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {series.map((entry) => (
            <tr key={entry.label}>
              <th scope="row">{entry.label}</th>
              {years.map((year) => {
                const point = entry.points.find((candidate) => yearOf(candidate.period) === year);
                return (
                  <td key={year} className="is-number">
                    {point ? number.format(point.value) : '–'}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
