import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describedBy, FieldError } from '../../../components/ui/field-error';
import {
  emptySchedule,
  openingHoursToSchedule,
  rangeProblem,
  scheduleToOpeningHours,
  weekDays,
  type HolidayRule,
  type TimeRange,
  type WeekDay,
  type WeekSchedule,
} from '../utils/opening-hours-editor';

type OpeningHoursEditorProps = {
  id: string;
  value: string;
  error?: string | undefined;
  onChange: (value: string) => void;
};

type RangesEditorProps = {
  idPrefix: string;
  /** "Montag", "Feiertage": names every control of the row for screen readers. */
  name: string;
  ranges: readonly TimeRange[];
  onChange: (ranges: TimeRange[]) => void;
};

function RangesEditor({ idPrefix, name, ranges, onChange }: RangesEditorProps) {
  const { t } = useTranslation();
  const change = (index: number, patch: Partial<TimeRange>) => onChange(ranges.map((range, at) => (at === index ? { ...range, ...patch } : range)));
  return (
    <div className="opening-hours-editor__ranges">
      {ranges.length === 0 ? <p className="opening-hours-editor__closed">{t('offersAdmin.openingHoursEditor.closed')}</p> : null}
      {ranges.map((range, index) => {
        const problem = rangeProblem(range);
        const problemId = `${idPrefix}-${index}-problem`;
        const position = { name, number: index + 1 };
        return (
          <div className="opening-hours-editor__range" key={index}>
            <label>
              <span className="visually-hidden">{t('offersAdmin.openingHoursEditor.fromLabel', position)}</span>
              <span aria-hidden="true">{t('offersAdmin.openingHoursEditor.from')}</span>
              <input
                type="time"
                value={range.from}
                onChange={(event) => change(index, { from: event.target.value })}
                aria-invalid={problem ? true : undefined}
                aria-describedby={describedBy(problem && problemId)}
              />
            </label>
            <label>
              <span className="visually-hidden">{t('offersAdmin.openingHoursEditor.toLabel', position)}</span>
              <span aria-hidden="true">{t('offersAdmin.openingHoursEditor.to')}</span>
              <input
                type="time"
                value={range.to}
                onChange={(event) => change(index, { to: event.target.value })}
                aria-invalid={problem ? true : undefined}
                aria-describedby={describedBy(problem && problemId)}
              />
            </label>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => onChange(ranges.filter((_, at) => at !== index))}
              aria-label={t('offersAdmin.openingHoursEditor.removeLabel', position)}
            >
              {t('offersAdmin.openingHoursEditor.remove')}
            </button>
            {problem ? (
              <p id={problemId} className="field-error opening-hours-editor__problem">
                {t(`offersAdmin.openingHoursEditor.problems.${problem}`)}
              </p>
            ) : null}
          </div>
        );
      })}
      <button
        type="button"
        className="button button--secondary opening-hours-editor__add"
        onClick={() => onChange([...ranges, { from: '', to: '' }])}
        aria-label={t('offersAdmin.openingHoursEditor.addLabel', { name })}
      >
        {t('offersAdmin.openingHoursEditor.add')}
      </button>
    </div>
  );
}

/**
 * Opening hours as days and times (several ranges a day) and public holidays, written in OSM's
 * `opening_hours` syntax. Values the editor cannot show stay in the raw text field.
 */
export function OpeningHoursEditor({ id, value, error, onChange }: OpeningHoursEditorProps) {
  const { t } = useTranslation();
  const readable = openingHoursToSchedule(value);
  // The schedule keeps ranges still being typed, which the text leaves out. It follows the value
  // when the value changes from outside (loading, restoring, merging a newer version).
  const [local, setLocal] = useState<{ written: string; schedule: WeekSchedule } | null>(null);
  const [rawMode, setRawMode] = useState(readable === null);
  const schedule = local && local.written === value ? local.schedule : (readable ?? emptySchedule());
  const update = (next: WeekSchedule) => {
    const written = scheduleToOpeningHours(next);
    setLocal({ written, schedule: next });
    if (written !== value) onChange(written);
  };
  const setDay = (day: WeekDay, ranges: TimeRange[]) => update({ ...schedule, days: { ...schedule.days, [day]: ranges } });
  const setHolidays = (holidays: HolidayRule) => update({ ...schedule, holidays });
  const copyMonday = () =>
    update({ ...schedule, days: { ...schedule.days, Tu: schedule.days.Mo, We: schedule.days.Mo, Th: schedule.days.Mo, Fr: schedule.days.Mo } });
  const showRaw = rawMode || readable === null;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;

  return (
    // In the editor the group itself takes the field's id, so that the error summary can focus it.
    <fieldset
      id={showRaw ? undefined : id}
      tabIndex={showRaw ? undefined : -1}
      className="opening-hours-editor form-field--wide"
      aria-describedby={describedBy(hintId, error && errorId)}
    >
      <legend>{t('offersAdmin.fields.openingHours')}</legend>
      <p id={hintId} className="form-field__hint">
        {showRaw ? t('offersAdmin.form.openingHoursHint') : t('offersAdmin.openingHoursEditor.hint')}
      </p>
      {readable === null && value.trim() !== '' ? (
        <p className="opening-hours-editor__note">{t('offersAdmin.openingHoursEditor.cannotShow')}</p>
      ) : null}
      {readable !== null ? (
        <p>
          <button type="button" className="button button--secondary" onClick={() => setRawMode(!showRaw)} aria-pressed={showRaw}>
            {t('offersAdmin.openingHoursEditor.editAsText')}
          </button>
        </p>
      ) : null}
      {showRaw ? (
        <div className="form-field">
          <label htmlFor={id}>{t('offersAdmin.openingHoursEditor.textLabel')}</label>
          <input
            id={id}
            type="text"
            autoComplete="off"
            value={value}
            onChange={(event) => onChange(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy(hintId, error && errorId)}
          />
        </div>
      ) : (
        <>
          <div className="opening-hours-editor__week">
            {weekDays.map((day) => {
              const name = t(`offersAdmin.openingHoursEditor.days.${day}`);
              return (
                <fieldset key={day} className="opening-hours-editor__day">
                  <legend>{name}</legend>
                  <RangesEditor idPrefix={`${id}-${day}`} name={name} ranges={schedule.days[day]} onChange={(ranges) => setDay(day, ranges)} />
                </fieldset>
              );
            })}
          </div>
          <p>
            <button type="button" className="button button--secondary" onClick={copyMonday} disabled={schedule.days.Mo.length === 0}>
              {t('offersAdmin.openingHoursEditor.copyMonday')}
            </button>
          </p>
          <fieldset className="opening-hours-editor__holidays">
            <legend>{t('offersAdmin.openingHoursEditor.holidays')}</legend>
            {(['unspecified', 'closed', 'open'] as const).map((kind) => (
              <label key={kind} className="opening-hours-editor__choice">
                <input
                  type="radio"
                  name={`${id}-holidays`}
                  checked={schedule.holidays.kind === kind}
                  onChange={() => setHolidays(kind === 'open' ? { kind, ranges: [{ from: '', to: '' }] } : { kind })}
                />{' '}
                {t(`offersAdmin.openingHoursEditor.holidayKinds.${kind}`)}
              </label>
            ))}
            {schedule.holidays.kind === 'open' ? (
              <RangesEditor
                idPrefix={`${id}-PH`}
                name={t('offersAdmin.openingHoursEditor.holidays')}
                ranges={schedule.holidays.ranges}
                onChange={(ranges) => setHolidays({ kind: 'open', ranges })}
              />
            ) : null}
          </fieldset>
          <p className="opening-hours-editor__result">
            {t('offersAdmin.openingHoursEditor.written')} <code>{value === '' ? t('offersAdmin.openingHoursEditor.nothing') : value}</code>
          </p>
        </>
      )}
      <FieldError id={errorId} message={error} />
    </fieldset>
  );
}
