import '../steering.css';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CoverageMeasure, Goal, GoalCreateInput, KeyFigure } from '../../../../server/steering/steering.schema';
import { coverageMeasures } from '../../../../server/steering/steering.schema';
import { ErrorSummary } from '../../../components/ui/error-summary';
import { useCreateGoal, useUpdateGoal, type FormChoices } from '../api/edit-steering';
import { useSteeringForm } from '../hooks/use-steering-form';
import { parseNumber } from '../utils/problem-fields';
import { ChoiceFieldset, TextField, SelectField, TextAreaField } from '../../../components/ui/form-fields';

type KeyFigureKind = KeyFigure['kind'];

type GoalValues = {
  fieldOfAction: string;
  title: string;
  rationale: string;
  targetGroup: string;
  scope: 'city' | 'areas';
  areaIds: string[];
  kind: KeyFigureKind;
  measure: string;
  offerType: string;
  figureTargetGroup: string;
  mode: string;
  distance: string;
  indicator: string;
  processLabel: string;
  processUnit: string;
  baselineValue: string;
  baselineDate: string;
  targetValue: string;
  deadline: string;
  ownerDepartmentCode: string;
  contributingDepartmentCodes: string[];
  councilReference: string;
};

function valuesOf(goal: Goal | undefined, choices: FormChoices): GoalValues {
  const figure = goal?.keyFigure;
  return {
    fieldOfAction: goal?.fieldOfAction ?? choices.fieldsOfAction[0]?.code ?? '',
    title: goal?.title ?? '',
    rationale: goal?.rationale ?? '',
    targetGroup: goal?.targetGroup ?? '',
    scope: goal?.scope ?? 'areas',
    areaIds: goal?.areas.map((area) => area.id) ?? [],
    kind: figure?.kind ?? 'coverage',
    measure: figure?.kind === 'coverage' ? figure.measure : 'share_within_reach',
    offerType: figure?.kind === 'coverage' ? (figure.offerType ?? '') : '',
    figureTargetGroup: figure?.kind === 'coverage' ? (figure.targetGroup ?? '') : '',
    mode: figure?.kind === 'coverage' ? (figure.mode ?? '') : '',
    distance: figure?.kind === 'coverage' && figure.distance !== undefined ? String(figure.distance) : '',
    indicator: figure?.kind === 'statistic' ? figure.indicator : '',
    processLabel: figure?.kind === 'process' ? figure.label : '',
    processUnit: figure?.kind === 'process' ? figure.unit : '',
    baselineValue: goal ? String(goal.baseline.value) : '',
    baselineDate: goal?.baseline.date ?? '',
    targetValue: goal ? String(goal.target.value) : '',
    deadline: goal?.target.deadline ?? '',
    ownerDepartmentCode: goal?.ownerDepartment.code ?? '',
    contributingDepartmentCodes: goal?.contributingDepartments.map((department) => department.code) ?? [],
    councilReference: goal?.councilReference ?? '',
  };
}

/** A number when it reads as one; otherwise the text itself, so that the server names the field. */
function numberOrText(text: string): number | string {
  return parseNumber(text) ?? text;
}

function keyFigureOf(values: GoalValues): KeyFigure {
  if (values.kind === 'statistic') return { kind: 'statistic', indicator: values.indicator };
  if (values.kind === 'process') return { kind: 'process', label: values.processLabel, unit: values.processUnit };
  const distance = parseNumber(values.distance);
  return {
    kind: 'coverage',
    measure: values.measure as CoverageMeasure,
    ...(values.offerType ? { offerType: values.offerType } : {}),
    ...(values.figureTargetGroup ? { targetGroup: values.figureTargetGroup } : {}),
    ...(values.mode === 'walk' || values.mode === 'airline' ? { mode: values.mode } : {}),
    ...(distance !== null ? { distance } : {}),
  };
}

function bodyOf(values: GoalValues): GoalCreateInput {
  // The server validates every field; numbers that do not parse go as text so that it names them.
  return {
    fieldOfAction: values.fieldOfAction,
    title: values.title,
    rationale: values.rationale.trim() === '' ? null : values.rationale,
    targetGroup: values.targetGroup === '' ? null : values.targetGroup,
    scope: values.scope,
    areaIds: values.scope === 'city' ? [] : values.areaIds,
    keyFigure: keyFigureOf(values),
    baseline: { value: numberOrText(values.baselineValue) as number, date: values.baselineDate },
    target: { value: numberOrText(values.targetValue) as number, deadline: values.deadline },
    ownerDepartmentCode: values.ownerDepartmentCode,
    contributingDepartmentCodes: values.contributingDepartmentCodes,
    councilReference: values.councilReference.trim() === '' ? null : values.councilReference,
  };
}

// Field names of the API (problem+json `errors[].field`) → the id of the control on this form.
const fieldIds: Record<string, string> = {
  fieldOfAction: 'goal-field-of-action',
  title: 'goal-title',
  rationale: 'goal-rationale',
  targetGroup: 'goal-target-group',
  scope: 'goal-scope',
  areaIds: 'goal-areas',
  keyFigure: 'goal-figure-kind',
  'keyFigure.kind': 'goal-figure-kind',
  'keyFigure.measure': 'goal-figure-measure',
  'keyFigure.offerType': 'goal-figure-offer-type',
  'keyFigure.targetGroup': 'goal-figure-target-group',
  'keyFigure.mode': 'goal-figure-mode',
  'keyFigure.distance': 'goal-figure-distance',
  'keyFigure.indicator': 'goal-figure-indicator',
  'keyFigure.label': 'goal-figure-label',
  'keyFigure.unit': 'goal-figure-unit',
  'baseline.value': 'goal-baseline-value',
  'baseline.date': 'goal-baseline-date',
  'target.value': 'goal-target-value',
  'target.deadline': 'goal-deadline',
  ownerDepartmentCode: 'goal-owner',
  contributingDepartmentCodes: 'goal-contributing',
  councilReference: 'goal-council-reference',
};

/** Create or edit a goal (planners). An adopted goal keeps its key figure, baseline and areas. */
export function GoalForm({ goal, choices, onSaved }: { goal?: Goal; choices: FormChoices; onSaved: (goal: Goal) => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'de';
  const { values, set, bind, error, saving, errorSummary } = useSteeringForm({
    formId: 'goal-form',
    initial: () => valuesOf(goal, choices),
    fieldIdOf: (field) => fieldIds[field],
    onSaved,
  });
  const create = useCreateGoal();
  const update = useUpdateGoal();
  const fixed = goal !== undefined && goal.status !== 'draft';
  const pending = create.isPending || update.isPending;
  const termChoices = (terms: FormChoices['targetGroups']) => terms.map((term) => ({ value: term.code, label: term.label[language] }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const done = saving();
    const body = bodyOf(values);
    if (!goal) {
      create.mutate(body, done);
      return;
    }
    const { keyFigure, baseline, scope, areaIds, ...changeable } = body;
    update.mutate({ id: goal.id, version: goal.version, body: fixed ? changeable : { ...changeable, keyFigure, baseline, scope, areaIds } }, done);
  }

  return (
    <form id="goal-form" className="steering-form" onSubmit={submit} noValidate tabIndex={-1}>
      <ErrorSummary {...errorSummary} />
      <SelectField
        id="goal-field-of-action"
        label={t('steering.fieldOfAction')}
        required
        {...bind('fieldOfAction')}
        choices={termChoices(choices.fieldsOfAction)}
      />
      <TextField id="goal-title" label={t('steeringForms.title')} required {...bind('title')} />
      <TextAreaField id="goal-rationale" label={t('steering.rationale')} {...bind('rationale')} />
      <SelectField
        id="goal-target-group"
        label={t('steering.targetGroup')}
        {...bind('targetGroup')}
        empty={t('steeringForms.none')}
        choices={termChoices(choices.targetGroups)}
      />

      <ChoiceFieldset
        id="goal-scope"
        legend={t('steeringForms.scope')}
        multiple={false}
        disabled={fixed}
        hint={fixed ? t('steeringForms.fixedWhenAdopted') : undefined}
        value={values.scope}
        onChange={(value) => set('scope')(value === 'city' ? 'city' : 'areas')}
        choices={[
          { value: 'areas', label: t('steeringForms.scopeAreas') },
          { value: 'city', label: t('steering.wholeCity') },
        ]}
        error={error('scope')}
      />
      {values.scope === 'areas' ? (
        <div className="steering-area-choices">
          <ChoiceFieldset
            id="goal-areas"
            legend={t('steeringForms.areas')}
            hint={t('steeringForms.areasHint')}
            multiple
            disabled={fixed}
            {...bind('areaIds')}
            choices={[
              ...choices.districts.map((area) => ({ value: area.id, label: `${area.name} (${t('steeringForms.district')})` })),
              ...choices.sozialraeume.map((area) => ({ value: area.id, label: area.name })),
            ]}
            className="steering-area-list"
          />
        </div>
      ) : null}

      <fieldset className="form-fieldset" disabled={fixed}>
        <legend>{t('steering.keyFigure')}</legend>
        {fixed ? <p className="form-field__hint">{t('steeringForms.fixedWhenAdopted')}</p> : null}
        <ChoiceFieldset
          id="goal-figure-kind"
          legend={t('steeringForms.figureKind')}
          multiple={false}
          value={values.kind}
          onChange={(value) => set('kind')(value as KeyFigureKind)}
          choices={(['coverage', 'statistic', 'process'] as const).map((kind) => ({ value: kind, label: t(`steering.keyFigureKinds.${kind}`) }))}
          error={error('keyFigure')}
        />
        {values.kind === 'coverage' ? (
          <>
            <SelectField
              id="goal-figure-measure"
              label={t('steeringForms.measure')}
              {...bind('measure', 'keyFigure.measure')}
              choices={coverageMeasures.map((measure) => ({ value: measure, label: t(`steeringForms.measures.${measure}`) }))}
            />
            <SelectField
              id="goal-figure-offer-type"
              label={t('steeringForms.offerType')}
              hint={t('steeringForms.offerTypeHint')}
              {...bind('offerType', 'keyFigure.offerType')}
              empty={t('steeringForms.none')}
              choices={termChoices(choices.offerTypes)}
            />
            <SelectField
              id="goal-figure-target-group"
              label={t('steeringForms.figureTargetGroup')}
              {...bind('figureTargetGroup', 'keyFigure.targetGroup')}
              empty={t('steeringForms.fromOfferType')}
              choices={termChoices(choices.targetGroups)}
            />
            <SelectField
              id="goal-figure-mode"
              label={t('steeringForms.mode')}
              {...bind('mode', 'keyFigure.mode')}
              empty={t('steeringForms.fromOfferType')}
              choices={[
                { value: 'walk', label: t('steeringForms.modes.walk') },
                { value: 'airline', label: t('steeringForms.modes.airline') },
              ]}
            />
            <TextField
              id="goal-figure-distance"
              label={t('steeringForms.distance')}
              hint={t('steeringForms.distanceHint')}
              {...bind('distance', 'keyFigure.distance')}
            />
          </>
        ) : null}
        {values.kind === 'statistic' ? (
          <SelectField
            id="goal-figure-indicator"
            label={t('steeringForms.indicator')}
            required
            {...bind('indicator', 'keyFigure.indicator')}
            empty={t('steeringForms.choose')}
            choices={choices.indicators.map((indicator) => ({ value: indicator.code, label: indicator.label[language] }))}
          />
        ) : null}
        {values.kind === 'process' ? (
          <>
            <TextField id="goal-figure-label" label={t('steeringForms.processLabel')} required {...bind('processLabel', 'keyFigure.label')} />
            <TextField
              id="goal-figure-unit"
              label={t('steeringForms.processUnit')}
              hint={t('steeringForms.processUnitHint')}
              required
              {...bind('processUnit', 'keyFigure.unit')}
            />
          </>
        ) : null}
      </fieldset>

      <fieldset className="form-fieldset">
        <legend>{t('steeringForms.baselineAndTarget')}</legend>
        <div className="steering-form-row">
          <TextField id="goal-baseline-value" label={t('steering.baseline')} required disabled={fixed} {...bind('baselineValue', 'baseline.value')} />
          <TextField id="goal-baseline-date" type="date" label={t('steeringForms.baselineDate')} required disabled={fixed} {...bind('baselineDate', 'baseline.date')} />
        </div>
        <div className="steering-form-row">
          <TextField id="goal-target-value" label={t('steering.target')} required {...bind('targetValue', 'target.value')} />
          <TextField id="goal-deadline" type="date" label={t('steering.deadline')} required {...bind('deadline', 'target.deadline')} />
        </div>
      </fieldset>

      <SelectField
        id="goal-owner"
        label={t('steering.owner')}
        required
        {...bind('ownerDepartmentCode')}
        empty={t('steeringForms.choose')}
        choices={choices.departments.map((department) => ({ value: department.code, label: department.name }))}
      />
      <ChoiceFieldset
        id="goal-contributing"
        legend={t('steering.contributing')}
        multiple
        {...bind('contributingDepartmentCodes')}
        choices={choices.departments
          .filter((department) => department.code !== values.ownerDepartmentCode)
          .map((department) => ({ value: department.code, label: department.name }))}
      />
      <TextField id="goal-council-reference" label={t('steering.councilReference')} hint={t('steeringForms.councilHint')} {...bind('councilReference')} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={pending}>
          {pending ? t('steeringForms.saving') : goal ? t('steeringForms.saveGoal') : t('steeringForms.createGoal')}
        </button>
      </div>
    </form>
  );
}
