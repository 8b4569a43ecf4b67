import '../steering.css';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { GoalTracking } from '../../../../server/steering/steering.schema';
import { formatDate, formatFigure, formatMonth } from '../utils/format';
import { GoalChart } from './goal-chart';
import { TrafficLight } from './traffic-light';

type MethodFacts = { dataDates?: { statistics?: string; offersUpdated?: string | null }; period?: string | null };

/** Everything about one goal: facts, status, monthly chart and table, values per area, measures, method. */
export function GoalView({
  tracking,
  heading: Heading = 'h2',
  areasMap,
  measureHref,
}: {
  tracking: GoalTracking;
  heading?: 'h2' | 'h3' | 'h4';
  /** The choropleth of the areas (goal page; the report leaves it out); the table below says the same. */
  areasMap?: ReactNode;
  /** Staff: each measure links to its form. */
  measureHref?: (measureId: string) => string;
}) {
  const { t, i18n } = useTranslation();
  const { goal, snapshots, measures } = tracking;
  const latest = snapshots[snapshots.length - 1];
  const method = (latest?.method ?? {}) as MethodFacts;
  const figure = (value: number | null) => formatFigure(value, goal.unit, i18n.language, t);
  return (
    <article className="goal-view">
      <p>
        <TrafficLight status={tracking.status} /> · {t(`steering.goalStatus.${goal.status}`)}
      </p>
      <dl className="goal-facts">
        <dt>{t('steering.keyFigure')}</dt>
        <dd>
          {goal.keyFigure.kind === 'process' ? goal.keyFigure.label : t(`steering.keyFigureKinds.${goal.keyFigure.kind}`)}
          {goal.keyFigure.kind === 'coverage' && goal.keyFigure.offerType ? ` (${goal.keyFigure.offerType})` : null}
          {goal.keyFigure.kind === 'statistic' ? ` (${goal.keyFigure.indicator})` : null}
        </dd>
        <dt>{t('steering.baseline')}</dt>
        <dd>
          {figure(goal.baseline.value)} ({formatDate(goal.baseline.date, i18n.language)})
        </dd>
        <dt>{t('steering.target')}</dt>
        <dd>
          {figure(goal.target.value)} ({t('steering.deadline')} {formatDate(goal.target.deadline, i18n.language)})
        </dd>
        <dt>{t('steering.areas')}</dt>
        <dd>{goal.scope === 'city' ? t('steering.wholeCity') : goal.areas.map((area) => area.name).join(', ')}</dd>
        <dt>{t('steering.owner')}</dt>
        <dd>
          {goal.ownerDepartment.name}
          {goal.contributingDepartments.length > 0
            ? ` · ${t('steering.contributing')}: ${goal.contributingDepartments.map((department) => department.name).join(', ')}`
            : null}
        </dd>
        {goal.councilReference ? (
          <>
            <dt>{t('steering.councilReference')}</dt>
            <dd>{goal.councilReference}</dd>
          </>
        ) : null}
        {goal.rationale ? (
          <>
            <dt>{t('steering.rationale')}</dt>
            <dd>{goal.rationale}</dd>
          </>
        ) : null}
      </dl>
      <GoalChart goal={goal} snapshots={snapshots} />
      {areasMap ? (
        <>
          <Heading>{t('steeringForms.mapHeading')}</Heading>
          {areasMap}
        </>
      ) : null}
      {latest ? (
        <table className="steering-table">
          <caption>{t('steering.areasTableCaption', { month: formatMonth(latest.month, i18n.language) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('steering.area')}</th>
              <th scope="col">{t('steering.value')}</th>
            </tr>
          </thead>
          <tbody>
            {latest.areas.map((area) => (
              <tr key={area.areaId}>
                <th scope="row">{area.name}</th>
                <td className="is-number">{area.missing ? t('steering.missing') : figure(area.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Heading>{t('steering.measures')}</Heading>
      {measures.length === 0 ? (
        <p className="steering-muted">{t('steering.noMeasures')}</p>
      ) : (
        <ul className="goal-measures">
          {measures.map((measure) => (
            <li key={measure.id}>
              <strong>{measureHref ? <Link to={measureHref(measure.id)}>{measure.title}</Link> : measure.title}</strong> — {measure.department.name}, {t(`steering.measureStatus.${measure.status}`)}, {t('steering.progress')}{' '}
              {measure.progress} %
              {measure.overdueMilestones > 0 ? (
                <span className="steering-overdue"> · {t('steering.overdueMilestones', { count: measure.overdueMilestones })}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <Heading>{t('steering.method')}</Heading>
      {latest ? <p>{t('steering.takenAt', { date: formatDate(latest.takenAt, i18n.language) })}</p> : null}
      {method.dataDates ? (
        <p>
          {t('steering.dataDates', {
            statistics: method.dataDates.statistics ?? '–',
            offers: method.dataDates.offersUpdated ? formatDate(method.dataDates.offersUpdated, i18n.language) : '–',
          })}
        </p>
      ) : null}
      <p className="steering-rule">{t('steering.statusRule')}</p>
    </article>
  );
}
