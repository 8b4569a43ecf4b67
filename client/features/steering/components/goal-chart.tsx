import { useTranslation } from 'react-i18next';
import type { Goal, Snapshot } from '../../../../server/steering/steering.schema';
import { formatFigure, formatMonth } from '../utils/format';

type Point = { month: string; value: number | null };

const frame = { width: 560, height: 220, left: 64, right: 36, top: 14, bottom: 30 };
const sparkFrame = { width: 120, height: 32 };

function domain(points: readonly Point[], goal: Pick<Goal, 'baseline' | 'target'>): [number, number] {
  const values = [goal.baseline.value, goal.target.value, ...points.flatMap((point) => (point.value === null ? [] : [point.value]))];
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = (high - low || Math.abs(high) || 1) * 0.1;
  return [Math.max(0, low - pad) === 0 && low >= 0 ? 0 : low - pad, high + pad];
}

/** Path segments through the measured months; a missing month breaks the line instead of dropping to zero. */
function segments(points: readonly Point[], x: (index: number) => number, y: (value: number) => number): string {
  let path = '';
  let drawing = false;
  points.forEach((point, index) => {
    if (point.value === null) {
      drawing = false;
      return;
    }
    path += `${drawing ? 'L' : 'M'}${x(index).toFixed(1)},${y(point.value).toFixed(1)} `;
    drawing = true;
  });
  return path.trim();
}

/** A small line of the monthly values against the target line, labelled with all values for screen readers. */
export function Sparkline({ goal, points }: { goal: Goal; points: readonly Point[] }) {
  const { t, i18n } = useTranslation();
  const [low, high] = domain(points, goal);
  const x = (index: number) => (points.length <= 1 ? sparkFrame.width / 2 : 4 + (index * (sparkFrame.width - 8)) / (points.length - 1));
  const y = (value: number) => sparkFrame.height - 3 - ((value - low) / (high - low || 1)) * (sparkFrame.height - 6);
  const values = points.map((point) => `${formatMonth(point.month, i18n.language)} ${point.value === null ? t('steering.missing') : formatFigure(point.value, goal.unit, i18n.language, t)}`);
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${sparkFrame.width} ${sparkFrame.height}`}
      width={sparkFrame.width}
      height={sparkFrame.height}
      role="img"
      aria-label={t('steering.sparklineLabel', {
        title: goal.title,
        values: values.length > 0 ? values.join(', ') : t('steering.noValue'),
        target: formatFigure(goal.target.value, goal.unit, i18n.language, t),
      })}
    >
      <line x1={0} x2={sparkFrame.width} y1={y(goal.target.value)} y2={y(goal.target.value)} className="chart-target" strokeDasharray="4 3" />
      <path d={segments(points, x, y)} className="chart-line" fill="none" />
      {points.map((point, index) =>
        point.value === null ? null : <circle key={point.month} cx={x(index)} cy={y(point.value)} r={2} className="chart-dot" />,
      )}
    </svg>
  );
}

/** The goal's monthly values against baseline and target, with the same values as a table. */
export function GoalChart({ goal, snapshots }: { goal: Goal; snapshots: readonly Snapshot[] }) {
  const { t, i18n } = useTranslation();
  const points: Point[] = snapshots.map((snapshot) => ({ month: snapshot.month, value: snapshot.value }));
  const [low, high] = domain(points, goal);
  const x = (index: number) =>
    points.length <= 1 ? (frame.left + frame.width - frame.right) / 2 : frame.left + (index * (frame.width - frame.left - frame.right)) / (points.length - 1);
  const y = (value: number) => frame.height - frame.bottom - ((value - low) / (high - low || 1)) * (frame.height - frame.top - frame.bottom);
  const ticks = [low, (low + high) / 2, high];
  const target = formatFigure(goal.target.value, goal.unit, i18n.language, t);
  return (
    <figure className="goal-chart">
      <figcaption>{t('steering.chartCaption')}</figcaption>
      {points.length > 0 ? (
        <svg
          viewBox={`0 0 ${frame.width} ${frame.height}`}
          role="img"
          aria-label={t('steering.chartLabel', {
            title: goal.title,
            from: formatMonth(points[0]!.month, i18n.language),
            to: formatMonth(points[points.length - 1]!.month, i18n.language),
            target,
          })}
        >
          {ticks.map((tick) => (
            <g key={tick}>
              <line x1={frame.left} x2={frame.width - frame.right} y1={y(tick)} y2={y(tick)} className="chart-grid" />
              <text x={frame.left - 6} y={y(tick) + 4} textAnchor="end" fontSize="11">
                {formatFigure(tick, goal.unit, i18n.language, t)}
              </text>
            </g>
          ))}
          <line x1={frame.left} x2={frame.width - frame.right} y1={y(goal.target.value)} y2={y(goal.target.value)} className="chart-target" strokeDasharray="6 4" />
          <text x={frame.width - frame.right} y={y(goal.target.value) - 4} textAnchor="end" fontSize="11">
            {t('steering.target')} {target}
          </text>
          <path d={segments(points, x, y)} className="chart-line" fill="none" />
          {points.map((point, index) => (
            <g key={point.month}>
              {point.value === null ? null : <circle cx={x(index)} cy={y(point.value)} r={3.5} className="chart-dot" />}
              <text x={x(index)} y={frame.height - 10} textAnchor="middle" fontSize="11">
                {formatMonth(point.month, i18n.language)}
              </text>
            </g>
          ))}
        </svg>
      ) : null}
      <table className="steering-table">
        <caption>{t('steering.valuesTableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('steering.month')}</th>
            <th scope="col">{t('steering.value')}</th>
            <th scope="col">{t('steering.status')}</th>
          </tr>
        </thead>
        <tbody>
          {snapshots.map((snapshot) => (
            <tr key={snapshot.month}>
              <th scope="row">{formatMonth(snapshot.month, i18n.language)}</th>
              <td className="is-number">{snapshot.value === null ? t('steering.missing') : formatFigure(snapshot.value, goal.unit, i18n.language, t)}</td>
              <td>{t(`steering.trackStatus.${snapshot.status}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
