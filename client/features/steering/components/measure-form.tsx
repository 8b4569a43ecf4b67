import '../steering.css';
import { useRef, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../server/auth/auth.schema';
import { measureKinds, measureStatuses, type Goal, type Measure, type MeasureCreateInput, type MeasureKind, type MeasureStatus } from '../../../../server/steering/steering.schema';
import { ErrorSummary } from '../../../components/ui/error-summary';
import { useCreateMeasure, useUpdateMeasure, type FormChoices } from '../api/edit-steering';
import { useSteeringForm } from '../hooks/use-steering-form';
import { parseNumber } from '../utils/problem-fields';
import { ChoiceFieldset, TextField, SelectField, TextAreaField } from '../../../components/ui/form-fields';

type MilestoneValues = { key: number; title: string; dueDate: string; doneOn: string };

type MeasureValues = {
  kind: MeasureKind;
  title: string;
  description: string;
  goalIds: string[];
  departmentCode: string;
  contributingDepartmentCodes: string[];
  status: MeasureStatus;
  progress: string;
  budget: string;
  offerName: string;
  offerType: string;
  lon: string;
  lat: string;
  capacity: string;
  milestones: MilestoneValues[];
};

function valuesOf(measure: Measure | undefined, goalId: string | undefined, user: SessionUser): MeasureValues {
  const planned = measure?.plannedOffer;
  return {
    kind: measure?.kind ?? 'project',
    title: measure?.title ?? '',
    description: measure?.description ?? '',
    goalIds: measure?.goalIds ?? (goalId ? [goalId] : []),
    departmentCode: measure?.department.code ?? user.department?.code ?? '',
    contributingDepartmentCodes: measure?.contributingDepartments.map((department) => department.code) ?? [],
    status: measure?.status ?? 'planned',
    progress: String(measure?.progress ?? 0),
    budget: measure?.budget === null || measure?.budget === undefined ? '' : String(measure.budget),
    offerName: planned?.name ?? '',
    offerType: planned?.offerType ?? '',
    lon: planned ? String(planned.lon) : '',
    lat: planned ? String(planned.lat) : '',
    capacity: planned?.capacity === undefined ? '' : String(planned.capacity),
    milestones: (measure?.milestones ?? []).map((milestone, index) => ({ key: index, title: milestone.title, dueDate: milestone.dueDate, doneOn: milestone.doneOn ?? '' })),
  };
}

function numberOrText(text: string): number {
  // Text that does not read as a number goes as it is, so that the server names the field.
  return (parseNumber(text) ?? text) as number;
}

function bodyOf(values: MeasureValues, measure: Measure | undefined): MeasureCreateInput {
  return {
    kind: values.kind,
    title: values.title,
    description: values.description.trim() === '' ? null : values.description,
    goalIds: values.goalIds,
    departmentCode: values.departmentCode,
    contributingDepartmentCodes: values.contributingDepartmentCodes,
    status: values.status,
    progress: numberOrText(values.progress),
    budget: values.budget.trim() === '' ? null : numberOrText(values.budget),
    plannedOffer:
      values.kind === 'new_offer'
        ? {
            name: values.offerName,
            offerType: values.offerType,
            lon: numberOrText(values.lon),
            lat: numberOrText(values.lat),
            ...(values.capacity.trim() === '' ? {} : { capacity: numberOrText(values.capacity) }),
          }
        : null,
    // An opened measure keeps its offer.
    ...(measure?.offerId ? { offerId: measure.offerId } : {}),
    milestones: values.milestones.map((milestone) => ({ title: milestone.title, dueDate: milestone.dueDate, doneOn: milestone.doneOn === '' ? null : milestone.doneOn })),
  };
}

const fieldIds: Record<string, string> = {
  kind: 'measure-kind',
  title: 'measure-title',
  description: 'measure-description',
  goalIds: 'measure-goals',
  departmentCode: 'measure-department',
  contributingDepartmentCodes: 'measure-contributing',
  status: 'measure-status',
  progress: 'measure-progress',
  budget: 'measure-budget',
  plannedOffer: 'measure-offer-name',
  'plannedOffer.name': 'measure-offer-name',
  'plannedOffer.offerType': 'measure-offer-type',
  'plannedOffer.lon': 'measure-offer-lon',
  'plannedOffer.lat': 'measure-offer-lat',
  'plannedOffer.capacity': 'measure-offer-capacity',
  milestones: 'measure-milestones',
};

function milestoneFieldId(field: string): string | undefined {
  const match = /^milestones\.(\d+)\.(title|dueDate|doneOn)$/.exec(field);
  return match ? `measure-milestone-${match[1]}-${match[2]}` : undefined;
}

/**
 * Create or edit a measure. Editors keep their own department's measures, for goals their
 * department owns or contributes to (the server decides and says so at the field or on top).
 */
export function MeasureForm(props: { measure?: Measure; goalId?: string; goals: readonly Goal[]; choices: FormChoices; user: SessionUser; onSaved: (measure: Measure) => void }) {
  const { measure, goals, choices, user, onSaved } = props;
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'de';
  const { values, setValues, set, bind, error, saving, errorSummary } = useSteeringForm({
    formId: 'measure-form',
    initial: () => valuesOf(measure, props.goalId, user),
    fieldIdOf: (field) => milestoneFieldId(field) ?? fieldIds[field],
    onSaved,
  });
  const nextKey = useRef(values.milestones.length);
  const create = useCreateMeasure();
  const update = useUpdateMeasure();
  const pending = create.isPending || update.isPending;
  const editorOnly = user.role === 'editor';

  function setMilestone(index: number, change: Partial<MilestoneValues>) {
    setValues((previous) => ({ ...previous, milestones: previous.milestones.map((milestone, position) => (position === index ? { ...milestone, ...change } : milestone)) }));
  }

  function addMilestone() {
    const key = nextKey.current++;
    setValues((previous) => ({ ...previous, milestones: [...previous.milestones, { key, title: '', dueDate: '', doneOn: '' }] }));
    // The new row's first field takes focus, so a keyboard user can type on.
    requestAnimationFrame(() => document.getElementById(`measure-milestone-${values.milestones.length}-title`)?.focus());
  }

  function removeMilestone(index: number) {
    setValues((previous) => ({ ...previous, milestones: previous.milestones.filter((_, position) => position !== index) }));
    requestAnimationFrame(() => document.getElementById('measure-add-milestone')?.focus());
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const done = saving();
    const body = bodyOf(values, measure);
    if (measure) update.mutate({ id: measure.id, version: measure.version, body }, done);
    else create.mutate(body, done);
  }

  const departmentChoices = choices.departments.map((department) => ({ value: department.code, label: department.name }));
  return (
    <form id="measure-form" className="steering-form" onSubmit={submit} noValidate tabIndex={-1}>
      <ErrorSummary {...errorSummary} />
      <ChoiceFieldset
        id="measure-kind"
        legend={t('steeringForms.measureKind')}
        multiple={false}
        value={values.kind}
        onChange={(value) => set('kind')(value as MeasureKind)}
        choices={measureKinds.map((kind) => ({ value: kind, label: t(`steeringForms.measureKinds.${kind}`) }))}
        error={error('kind')}
      />
      <TextField id="measure-title" label={t('steeringForms.title')} required {...bind('title')} />
      <TextAreaField id="measure-description" label={t('steeringForms.description')} {...bind('description')} />
      <ChoiceFieldset
        id="measure-goals"
        legend={t('steeringForms.goals')}
        hint={editorOnly ? t('steeringForms.goalsEditorHint') : undefined}
        multiple
        {...bind('goalIds')}
        choices={goals.map((goal) => ({ value: goal.id, label: `${goal.title} (${goal.ownerDepartment.name})` }))}
      />
      <SelectField
        id="measure-department"
        label={t('steering.department')}
        required
        hint={editorOnly ? t('steeringForms.departmentEditorHint') : undefined}
        {...bind('departmentCode')}
        empty={t('steeringForms.choose')}
        choices={departmentChoices}
      />
      <ChoiceFieldset
        id="measure-contributing"
        legend={t('steering.contributing')}
        multiple
        {...bind('contributingDepartmentCodes')}
        choices={departmentChoices.filter((choice) => choice.value !== values.departmentCode)}
      />
      <div className="steering-form-row">
        <SelectField
          id="measure-status"
          label={t('steering.status')}
          value={values.status}
          onChange={(value) => set('status')(value as MeasureStatus)}
          choices={measureStatuses.map((status) => ({ value: status, label: t(`steering.measureStatus.${status}`) }))}
          error={error('status')}
        />
        <TextField id="measure-progress" type="number" min="0" max="100" step="1" label={t('steeringForms.progressPercent')} {...bind('progress')} />
        <TextField id="measure-budget" label={t('steeringForms.budget')} hint={t('steeringForms.budgetHint')} {...bind('budget')} />
      </div>
      {values.kind === 'new_offer' ? (
        <fieldset className="form-fieldset">
          <legend>{t('steeringForms.plannedOffer')}</legend>
          <p className="form-field__hint">{t('steeringForms.plannedOfferHint')}</p>
          <TextField id="measure-offer-name" label={t('steeringForms.offerName')} required value={values.offerName} onChange={set('offerName')} error={error('plannedOffer.name') ?? error('plannedOffer')} />
          <SelectField
            id="measure-offer-type"
            label={t('steeringForms.offerType')}
            required
            {...bind('offerType', 'plannedOffer.offerType')}
            empty={t('steeringForms.choose')}
            choices={choices.offerTypes.map((term) => ({ value: term.code, label: term.label[language] }))}
          />
          <div className="steering-form-row">
            <TextField id="measure-offer-lon" label={t('steeringForms.longitude')} required {...bind('lon', 'plannedOffer.lon')} />
            <TextField id="measure-offer-lat" label={t('steeringForms.latitude')} required {...bind('lat', 'plannedOffer.lat')} />
            <TextField id="measure-offer-capacity" label={t('steeringForms.capacity')} {...bind('capacity', 'plannedOffer.capacity')} />
          </div>
        </fieldset>
      ) : null}
      <fieldset id="measure-milestones" className="form-fieldset" tabIndex={-1}>
        <legend>{t('steeringForms.milestones')}</legend>
        {values.milestones.length === 0 ? <p className="form-field__hint">{t('steeringForms.noMilestones')}</p> : null}
        {values.milestones.map((milestone, index) => (
          <div key={milestone.key} className="steering-milestone" role="group" aria-label={t('steeringForms.milestoneNumber', { number: index + 1 })}>
            <TextField id={`measure-milestone-${index}-title`} label={t('steeringForms.milestoneTitle')} value={milestone.title} onChange={(title) => setMilestone(index, { title })} error={error(`milestones.${index}.title`)} />
            <TextField id={`measure-milestone-${index}-dueDate`} type="date" label={t('steeringForms.dueDate')} value={milestone.dueDate} onChange={(dueDate) => setMilestone(index, { dueDate })} error={error(`milestones.${index}.dueDate`)} />
            <TextField id={`measure-milestone-${index}-doneOn`} type="date" label={t('steeringForms.doneOn')} value={milestone.doneOn} onChange={(doneOn) => setMilestone(index, { doneOn })} error={error(`milestones.${index}.doneOn`)} />
            <button type="button" className="button button--small link-button" onClick={() => removeMilestone(index)}>
              {t('steeringForms.removeMilestone', { number: index + 1 })}
            </button>
          </div>
        ))}
        <button id="measure-add-milestone" type="button" className="button button--small" onClick={addMilestone}>
          {t('steeringForms.addMilestone')}
        </button>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button" disabled={pending}>
          {pending ? t('steeringForms.saving') : measure ? t('steeringForms.saveMeasure') : t('steeringForms.createMeasure')}
        </button>
      </div>
    </form>
  );
}
