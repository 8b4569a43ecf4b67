import '../steering.css';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SessionUser } from '../../../../server/auth/auth.schema';
import type { Goal, GoalTracking } from '../../../../server/steering/steering.schema';
import { ErrorMessage } from '../../../components/ui/error-message';
import { ErrorSummary } from '../../../components/ui/error-summary';
import { useEnterProcessValue, useHistory, useNeeds, useProcessValues, useTransitionGoal } from '../api/edit-steering';
import { formatDate, formatFigure, formatMonth } from '../utils/format';
import { formProblemOf, parseNumber, type FormProblem } from '../utils/problem-fields';
import { TextField, SelectField } from '../../../components/ui/form-fields';

// The staff parts of a goal page: status changes (administrators), needs, monthly process
// figures, and the history of every change (audit log).

const transitions: Record<Goal['status'], ('adopted' | 'achieved' | 'dropped')[]> = {
  draft: ['adopted', 'dropped'],
  adopted: ['achieved', 'dropped'],
  achieved: [],
  dropped: [],
};

export function GoalActions({ goal, user, editHref, newMeasureHref }: { goal: Goal; user: SessionUser; editHref: string; newMeasureHref: string }) {
  const { t } = useTranslation();
  const transition = useTransitionGoal();
  const [message, setMessage] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<'adopted' | 'achieved' | 'dropped' | null>(null);
  const mayEdit = user.role !== 'editor';
  return (
    <div className="steering-actions">
      {mayEdit ? (
        <Link className="button" to={editHref}>
          {t('steeringForms.editGoal')}
        </Link>
      ) : null}
      <Link className="button" to={newMeasureHref}>
        {t('steeringForms.newMeasure')}
      </Link>
      {user.role === 'admin'
        ? transitions[goal.status].map((status) =>
            confirming === status ? (
              <span key={status} className="steering-confirm" role="group" aria-label={t(`steeringForms.transitions.${status}`)}>
                {t('steeringForms.confirmTransition', { status: t(`steering.goalStatus.${status}`) })}{' '}
                <button
                  type="button"
                  className="button button--small"
                  disabled={transition.isPending}
                  onClick={() =>
                    transition.mutate(
                      { id: goal.id, version: goal.version, status },
                      {
                        onSuccess: () => {
                          setConfirming(null);
                          setMessage(t('steeringForms.transitionDone', { status: t(`steering.goalStatus.${status}`) }));
                        },
                        onError: (error) => {
                          setConfirming(null);
                          setMessage(formProblemOf(error, t('steeringForms.saveFailed')).general ?? t('steeringForms.saveFailed'));
                        },
                      },
                    )
                  }
                >
                  {t('steeringForms.yes')}
                </button>{' '}
                <button type="button" className="button button--small" onClick={() => setConfirming(null)}>
                  {t('steeringForms.cancel')}
                </button>
              </span>
            ) : (
              <button key={status} type="button" className={status === 'dropped' ? 'button button--danger' : 'button'} onClick={() => setConfirming(status)}>
                {t(`steeringForms.transitions.${status}`)}
              </button>
            ),
          )
        : null}
      <p role="status" className="steering-status-message">
        {message}
      </p>
    </div>
  );
}

export function NeedsPanel({ goalId }: { goalId: string }) {
  const { t, i18n } = useTranslation();
  const needs = useNeeds(goalId);
  const figure = (value: number | null, unit: string) => formatFigure(value, unit, i18n.language, t);
  const number = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'de-DE', { maximumFractionDigits: 0 });
  if (needs.isPending) return <p role="status">{t('status.loading')}</p>;
  if (needs.isError) return <ErrorMessage error={needs.error} onRetry={() => void needs.refetch()} />;
  const { data } = needs;
  const coverage = data.areas.some((area) => area.uncoveredResidents !== null);
  return (
    <>
      <p>{t('steeringForms.needsSummary', { current: figure(data.current, data.unit), target: figure(data.target, data.unit), gap: figure(data.gap, data.unit) })}</p>
      <div className="table-scroll">
        <table className="steering-table">
          <caption>{t('steeringForms.needsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('steering.area')}</th>
              <th scope="col">{t('steeringForms.current')}</th>
              <th scope="col">{t('steering.target')}</th>
              <th scope="col">{t('steeringForms.gap')}</th>
              {coverage ? <th scope="col">{t('steeringForms.uncovered')}</th> : null}
              {coverage ? <th scope="col">{t('steeringForms.toReach')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {data.areas.map((area) => (
              <tr key={area.areaId}>
                <th scope="row">{area.name}</th>
                <td className="is-number">{figure(area.current, data.unit)}</td>
                <td className="is-number">{figure(area.target, data.unit)}</td>
                <td className="is-number">{figure(area.gap, data.unit)}</td>
                {coverage ? <td className="is-number">{area.uncoveredResidents === null ? '–' : number.format(area.uncoveredResidents)}</td> : null}
                {coverage ? <td className="is-number">{area.residentsToReach === null ? '–' : number.format(area.residentsToReach)}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.suggestions.length > 0 ? (
        <>
          <p>{t('steeringForms.suggestionsIntro')}</p>
          <ol className="steering-suggestions">
            {data.suggestions.map((suggestion) => (
              <li key={suggestion.rank}>
                {t('steeringForms.suggestion', {
                  street: suggestion.streetName ?? t('steeringForms.noStreet'),
                  area: suggestion.areaName,
                  residents: number.format(suggestion.newlyCovered),
                  lon: suggestion.lon.toFixed(5),
                  lat: suggestion.lat.toFixed(5),
                })}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </>
  );
}

/** The months from the baseline to this month (newest first), at most 36. */
function monthsSince(baselineDate: string, today: Date): string[] {
  const months: string[] = [];
  let year = today.getUTCFullYear();
  let month = today.getUTCMonth() + 1;
  const first = baselineDate.slice(0, 7);
  while (months.length < 36) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    if (key < first) break;
    months.push(key);
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  return months;
}

export function ProcessValuesPanel({ tracking }: { tracking: GoalTracking }) {
  const { t, i18n } = useTranslation();
  const { goal } = tracking;
  const values = useProcessValues(goal.id, true);
  const enter = useEnterProcessValue();
  const thisMonth = new Date().toISOString().slice(0, 7);
  const [form, setForm] = useState({ month: thisMonth, value: '', source: '', areaId: '' });
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [saved, setSaved] = useState<string | null>(null);
  const months = monthsSince(goal.baseline.date, new Date());
  const entries = values.data?.items ?? [];
  const error = (field: string) => problem?.fields.get(field);

  function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setSaved(null);
    enter.mutate(
      {
        goalId: goal.id,
        body: { month: form.month, value: (parseNumber(form.value) ?? form.value) as number, source: form.source, ...(form.areaId ? { areaId: form.areaId } : {}) },
      },
      {
        onSuccess: (entry) => {
          setSaved(t('steeringForms.processSaved', { month: formatMonth(entry.month, i18n.language) }));
          setForm((previous) => ({ ...previous, value: '' }));
        },
        onError: (failure) => {
          setProblem(formProblemOf(failure, t('steeringForms.saveFailed')));
          setAttempt((count) => count + 1);
        },
      },
    );
  }

  const ids: Record<string, string> = { month: 'process-month', value: 'process-value', source: 'process-source', areaId: 'process-area' };
  return (
    <>
      {values.isPending ? <p role="status">{t('status.loading')}</p> : null}
      {values.isError ? <ErrorMessage error={values.error} onRetry={() => void values.refetch()} /> : null}
      {/* Only with the entries loaded: before that, every month would look missing. */}
      {values.data ? (
        <div className="table-scroll">
          <table className="steering-table">
            <caption>{t('steeringForms.processCaption', { label: goal.keyFigure.kind === 'process' ? goal.keyFigure.label : '' })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('steering.month')}</th>
                <th scope="col">{t('steering.area')}</th>
                <th scope="col">{t('steering.value')}</th>
                <th scope="col">{t('steeringForms.source')}</th>
                <th scope="col">{t('steeringForms.enteredBy')}</th>
              </tr>
            </thead>
            <tbody>
              {months.flatMap((month) => {
                const own = entries.filter((entry) => entry.month === month);
                if (own.length === 0) {
                  return [
                    <tr key={month}>
                      <th scope="row">{formatMonth(month, i18n.language)}</th>
                      <td>–</td>
                      <td className="steering-missing">{t('steering.missing')}</td>
                      <td>–</td>
                      <td>–</td>
                    </tr>,
                  ];
                }
                return own.map((entry) => (
                  <tr key={entry.id}>
                    <th scope="row">{formatMonth(month, i18n.language)}</th>
                    <td>{entry.areaId ? (goal.areas.find((area) => area.id === entry.areaId)?.name ?? '–') : t('steeringForms.allAreas')}</td>
                    <td className="is-number">{formatFigure(entry.value, goal.unit, i18n.language, t)}</td>
                    <td>{entry.source}</td>
                    <td>
                      {entry.enteredBy}, {formatDate(entry.enteredAt, i18n.language)}
                    </td>
                  </tr>
                ));
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <form className="steering-form steering-process-form" onSubmit={submit} noValidate aria-labelledby="process-form-heading">
        <h3 id="process-form-heading">{t('steeringForms.enterProcess')}</h3>
        <ErrorSummary
          title={t('steeringForms.errorTitle')}
          focusKey={attempt}
          items={[...(problem?.fields ?? new Map<string, string>())].map(([field, message]) => ({ fieldId: ids[field] ?? 'process-month', label: t(`steeringForms.processFields.${field === 'areaId' || field === 'value' || field === 'source' ? field : 'month'}`), message }))}
          {...(problem?.general ? { intro: problem.general } : {})}
        />
        <div className="steering-form-row">
          <TextField id="process-month" type="month" label={t('steeringForms.processFields.month')} hint={t('steeringForms.monthHint')} max={thisMonth} value={form.month} onChange={(month) => setForm({ ...form, month })} error={error('month')} />
          <TextField id="process-value" label={t('steeringForms.processFields.value')} required value={form.value} onChange={(value) => setForm({ ...form, value })} error={error('value')} />
        </div>
        <TextField id="process-source" label={t('steeringForms.processFields.source')} hint={t('steeringForms.sourceHint')} required value={form.source} onChange={(source) => setForm({ ...form, source })} error={error('source')} />
        {goal.areas.length > 1 ? (
          <SelectField
            id="process-area"
            label={t('steeringForms.processFields.areaId')}
            value={form.areaId}
            onChange={(areaId) => setForm({ ...form, areaId })}
            empty={t('steeringForms.allAreas')}
            choices={goal.areas.map((area) => ({ value: area.id, label: area.name }))}
            error={error('areaId')}
          />
        ) : null}
        <button type="submit" className="button" disabled={enter.isPending}>
          {t('steeringForms.saveProcess')}
        </button>
        <p role="status" className="steering-status-message">
          {saved}
        </p>
      </form>
    </>
  );
}

function shortValue(value: unknown, language: string): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return value.length > 80 ? `${value.slice(0, 77)}…` : value;
  if (typeof value === 'number') return new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'de-DE').format(value);
  if (typeof value === 'boolean') return String(value);
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** Every change of a goal or a measure from the audit log, newest first, with the changed fields. */
export function SteeringHistory({ kind, id }: { kind: 'goal' | 'measure'; id: string }) {
  const { t, i18n } = useTranslation();
  const history = useHistory(kind, id);
  if (history.isPending) return <p role="status">{t('status.loading')}</p>;
  if (history.isError) return <ErrorMessage error={history.error} onRetry={() => void history.refetch()} />;
  const entries = [...history.data.items].reverse();
  if (entries.length === 0) return <p className="steering-muted">{t('steeringForms.noHistory')}</p>;
  const dateTime = new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'de-DE', { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <ol className="steering-history">
      {entries.map((entry) => (
        <li key={entry.id}>
          <p>
            <strong>{t(`steeringForms.actions.${actionKey(entry.action)}`)}</strong> · {dateTime.format(new Date(entry.occurredAt))} · {entry.actor.label}
            {entry.version !== null ? ` · ${t('steeringForms.version', { version: entry.version })}` : null}
          </p>
          {entry.changes.length > 0 ? (
            <table className="steering-table steering-history__changes">
              <caption className="visually-hidden">{t('steeringForms.changesCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('steeringForms.field')}</th>
                  <th scope="col">{t('steeringForms.before')}</th>
                  <th scope="col">{t('steeringForms.after')}</th>
                </tr>
              </thead>
              <tbody>
                {entry.changes.map((change) => (
                  <tr key={change.field}>
                    <th scope="row">{change.field}</th>
                    <td>{shortValue(change.before, i18n.language)}</td>
                    <td>{shortValue(change.after, i18n.language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

const knownActions = [
  'steering_goal.created',
  'steering_goal.updated',
  'steering_goal.adopted',
  'steering_goal.achieved',
  'steering_goal.dropped',
  'steering_snapshot.taken',
  'steering_process_value.entered',
  'steering_process_value.corrected',
  'steering_measure.created',
  'steering_measure.updated',
  'steering_measure.opened',
] as const;

function actionKey(action: string): 'other' | 'goal_created' | 'goal_updated' | 'goal_adopted' | 'goal_achieved' | 'goal_dropped' | 'snapshot_taken' | 'process_value_entered' | 'process_value_corrected' | 'measure_created' | 'measure_updated' | 'measure_opened' {
  if (!(knownActions as readonly string[]).includes(action)) return 'other';
  return action.replace('steering_', '').replace('.', '_') as ReturnType<typeof actionKey>;
}
