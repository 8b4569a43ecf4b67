import '../steering.css';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { DashboardGoal } from '../../../../server/steering/steering.schema';
import { ErrorMessage } from '../../../components/ui/error-message';
import { useSteeringChoices, useSteeringDashboard, type Audience, type DashboardFilter } from '../api/get-steering';
import { formatDate, formatFigure, formatMonth } from '../utils/format';
import { Sparkline } from './goal-chart';
import { TrafficLight } from './traffic-light';

const filterNames = ['department', 'targetGroup', 'area'] as const;

export function readFilter(search: URLSearchParams): DashboardFilter {
  const filter: DashboardFilter = {};
  for (const name of [...filterNames, 'fieldOfAction'] as const) {
    const value = search.get(name);
    if (value) filter[name] = value;
  }
  return filter;
}

function DashboardFilters({ filter }: { filter: DashboardFilter }) {
  const { t, i18n } = useTranslation();
  const choices = useSteeringChoices();
  const language = i18n.language === 'en' ? 'en' : 'de';
  // A plain GET form: the filters land in the address, so a view can be shared as a link.
  return (
    // Keyed by the choices: the selects read their default value again once the options arrived.
    <form key={choices.data ? 'ready' : 'loading'} className="steering-filters" method="get" aria-label={t('steering.filters')}>
      <label>
        {t('steering.department')}
        <select name="department" defaultValue={filter.department ?? ''}>
          <option value="">{t('steering.all')}</option>
          {(choices.data?.departments ?? []).map((department) => (
            <option key={department.code} value={department.code}>
              {department.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('steering.targetGroup')}
        <select name="targetGroup" defaultValue={filter.targetGroup ?? ''}>
          <option value="">{t('steering.all')}</option>
          {(choices.data?.targetGroups ?? []).map((term) => (
            <option key={term.code} value={term.code}>
              {term.label[language]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('steering.area')}
        <select name="area" defaultValue={filter.area ?? ''}>
          <option value="">{t('steering.all')}</option>
          {(choices.data?.districts.length ?? 0) > 0 ? (
            <optgroup label={t('steeringForms.districts')}>
              {choices.data!.districts.map((area) => (
                <option key={area.id} value={area.id}>
                  {area.name}
                </option>
              ))}
            </optgroup>
          ) : null}
          <optgroup label={t('steeringForms.sozialraeume')}>
            {(choices.data?.sozialraeume ?? []).map((area) => (
              <option key={area.id} value={area.id}>
                {area.name}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <button type="submit" className="button">
        {t('steering.apply')}
      </button>
    </form>
  );
}

function GoalRow({ entry, goalHref, audience }: { entry: DashboardGoal; goalHref: (id: string) => string; audience: Audience }) {
  const { t, i18n } = useTranslation();
  const { goal } = entry;
  return (
    <tr>
      <th scope="row">
        <Link to={goalHref(goal.id)}>{goal.title}</Link>
        {audience === 'staff' ? <span className="steering-goal-status"> ({t(`steering.goalStatus.${goal.status}`)})</span> : null}
      </th>
      <td>
        <TrafficLight status={entry.status} />
      </td>
      <td className="is-number">
        {entry.latest ? formatFigure(entry.latest.value, goal.unit, i18n.language, t) : t('steering.noValue')}
        {entry.latest ? <span className="steering-muted"> ({formatMonth(entry.latest.month, i18n.language)})</span> : null}
      </td>
      <td className="is-number">
        {formatFigure(goal.target.value, goal.unit, i18n.language, t)}
        <span className="steering-muted"> ({formatDate(goal.target.deadline, i18n.language)})</span>
      </td>
      <td>
        <Sparkline goal={goal} points={entry.series} />
      </td>
      <td className="is-number">
        {entry.measuresDue} / <span className={entry.measuresOverdue > 0 ? 'steering-overdue' : undefined}>{entry.measuresOverdue}</span>
      </td>
    </tr>
  );
}

/** Goals per Handlungsfeld with traffic light, sparkline and measures; public (adopted goals) or for staff. */
export function SteeringDashboard({ audience, goalHref }: { audience: Audience; goalHref: (id: string) => string }) {
  const { t, i18n } = useTranslation();
  const [search] = useSearchParams();
  const filter = readFilter(search);
  const dashboard = useSteeringDashboard(audience, filter);
  const language = i18n.language === 'en' ? 'en' : 'de';
  return (
    <div className="steering-dashboard">
      <DashboardFilters filter={filter} />
      {dashboard.isPending ? <p role="status">{t('status.loading')}</p> : null}
      {dashboard.isError ? <ErrorMessage error={dashboard.error} onRetry={() => void dashboard.refetch()} /> : null}
      {dashboard.data?.fields.map((field) => (
        <section key={field.fieldOfAction} className="steering-field" aria-labelledby={`field-${field.fieldOfAction}`}>
          <h2 id={`field-${field.fieldOfAction}`}>{field.label[language]}</h2>
          {field.goals.length === 0 ? (
            <p className="steering-muted">{t('steering.noGoals')}</p>
          ) : (
            <div className="table-scroll">
              <table className="steering-table steering-goals">
                <caption className="visually-hidden">{t('steering.goalsTableCaption', { field: field.label[language] })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('steering.goal')}</th>
                    <th scope="col">{t('steering.status')}</th>
                    <th scope="col">{t('steering.latest')}</th>
                    <th scope="col">{t('steering.target')}</th>
                    <th scope="col">{t('steering.trend')}</th>
                    <th scope="col">
                      {t('steering.measuresDue')} / {t('steering.measuresOverdue')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {field.goals.map((entry) => (
                    <GoalRow key={entry.goal.id} entry={entry} goalHref={goalHref} audience={audience} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
      <p className="steering-rule">{t('steering.statusRule')}</p>
    </div>
  );
}
