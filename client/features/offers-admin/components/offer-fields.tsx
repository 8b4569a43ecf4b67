import { useTranslation } from 'react-i18next';
import type { Department } from '../../../../server/departments/departments.schema';
import { costKinds, offerStatuses } from '../../../../server/offers/offers.schema';
import type { Taxonomy, TaxonomyTerm } from '../../../../server/taxonomies/taxonomies.schema';
import { departmentChoices } from '../utils/department-choices';
import type { FormErrors } from '../utils/field-errors';
import type { OfferFormValues, ReachChoice } from '../utils/offer-form-values';
import { languageOf, termsOf, termTree } from '../utils/terms';
import { ChoiceFieldset, SelectField, TextAreaField, TextField, type Choice } from '../../../components/ui/form-fields';
import { OrganizationPicker } from './organization-picker';
import { OpeningHoursEditor } from './opening-hours-editor';

export type AreaChoice = { id: string; name: string };

type OfferFieldsProps = {
  values: OfferFormValues;
  errors: FormErrors;
  onChange: (change: Partial<OfferFormValues>) => void;
  taxonomies: readonly Taxonomy[];
  areaChoices: readonly AreaChoice[];
  // GET /api/departments (empty while loading); `departmentsFailed` when it could not be loaded.
  departments: readonly Department[];
  departmentsFailed: boolean;
  // Administrators choose the department. Otherwise the form shows it but does not let it be
  // changed: an editor's offers belong to their own (`ownOnly`; the server refuses another anyway).
  departmentLock: { department: Pick<Department, 'code' | 'name'>; ownOnly: boolean } | null;
  canCreateOrganization: boolean;
};

export function fieldId(key: string): string {
  return `offer-${key.replaceAll('.', '-')}`;
}

function termChoices(terms: readonly TaxonomyTerm[], language: 'de' | 'en'): Choice[] {
  return terms.map((term) => ({ value: term.code, label: term.label[language] }));
}

export function OfferFields({
  values,
  errors,
  onChange,
  taxonomies,
  areaChoices,
  departments,
  departmentsFailed,
  departmentLock,
  canCreateOrganization,
}: OfferFieldsProps) {
  const { t, i18n } = useTranslation();
  const language = languageOf(i18n.language);
  const offerTypes = termsOf(taxonomies, 'offer_type');
  const selectedType = offerTypes.find((term) => term.code === values.offerType);
  const defaultReach = selectedType?.defaultReach;
  const defaultReachText = defaultReach
    ? defaultReach.kind === 'area'
      ? t('offersAdmin.form.reachDefaultArea', { level: t(`offersAdmin.areaLevels.${defaultReach.level}`) })
      : t(`offersAdmin.form.reachDefaultMeters.${defaultReach.kind}`, { meters: defaultReach.meters })
    : null;

  const reachChoices: Choice[] = [
    {
      value: 'default',
      label: defaultReachText ? t('offersAdmin.form.reachDefaultWithValue', { value: defaultReachText }) : t('offersAdmin.form.reachDefault'),
    },
    { value: 'walk', label: t('offersAdmin.form.reachWalk') },
    { value: 'radius', label: t('offersAdmin.form.reachRadius') },
    { value: 'area', label: t('offersAdmin.form.reachArea') },
  ];

  return (
    <>
      <section className="offer-form__section" aria-labelledby="offer-section-basics">
        <h2 id="offer-section-basics">{t('offersAdmin.form.sections.basics')}</h2>
        <SelectField
          id={fieldId('departmentCode')}
          label={t('offersAdmin.fields.departmentCode')}
          hint={
            departmentLock
              ? [
                  t('offersAdmin.form.departmentFixed', { name: departmentLock.department.name }),
                  departmentLock.ownOnly ? t('offersAdmin.form.departmentOwnOnly') : '',
                ].join(' ').trim()
              : departmentsFailed
                ? t('offersAdmin.form.departmentsUnavailable')
                : t('offersAdmin.form.departmentHint')
          }
          error={errors.departmentCode}
          value={values.departmentCode}
          onChange={(departmentCode) => onChange({ departmentCode })}
          disabled={departmentLock !== null}
          required={departmentLock === null}
        >
          {departmentLock ? null : <option value="">{t('offersAdmin.form.chooseDepartment')}</option>}
          {departmentChoices(departments, { current: values.departmentCode, lockedTo: departmentLock?.department }).map((choice) => (
            <option key={choice.code} value={choice.code}>
              {choice.label}
            </option>
          ))}
        </SelectField>
        <OrganizationPicker
          id={fieldId('organization')}
          value={values.organization}
          onChange={(organization) => onChange({ organization })}
          error={errors.organization}
          canCreate={canCreateOrganization}
        />
        <TextField
          id={fieldId('name')}
          label={t('offersAdmin.fields.name')}
          error={errors.name}
          value={values.name}
          onChange={(name) => onChange({ name })}
          required
        />
        <TextField
          id={fieldId('alternateName')}
          label={t('offersAdmin.fields.alternateName')}
          hint={t('offersAdmin.form.alternateNameHint')}
          error={errors.alternateName}
          value={values.alternateName}
          onChange={(alternateName) => onChange({ alternateName })}
        />
        <SelectField
          id={fieldId('offerType')}
          label={t('offersAdmin.fields.offerType')}
          error={errors.offerType}
          value={values.offerType}
          onChange={(offerType) => onChange({ offerType })}
          required
        >
          <option value="">{t('offersAdmin.form.chooseType')}</option>
          {termTree(offerTypes).map(({ parent, children }) =>
            children.length === 0 ? (
              <option key={parent.code} value={parent.code}>
                {parent.label[language]}
              </option>
            ) : (
              <optgroup key={parent.code} label={parent.label[language]}>
                <option value={parent.code}>{t('offersAdmin.filters.typeGroup', { label: parent.label[language] })}</option>
                {children.map((child) => (
                  <option key={child.code} value={child.code}>
                    {child.label[language]}
                  </option>
                ))}
              </optgroup>
            ),
          )}
        </SelectField>
        <TextAreaField
          id={fieldId('description')}
          label={t('offersAdmin.fields.description')}
          hint={t('offersAdmin.form.descriptionHint')}
          error={errors.description}
          value={values.description}
          onChange={(description) => onChange({ description })}
          rows={5}
        />
        <SelectField
          id={fieldId('status')}
          label={t('offersAdmin.fields.status')}
          hint={t('offersAdmin.form.statusHint')}
          error={errors.status}
          value={values.status}
          onChange={(status) => onChange({ status: status as OfferFormValues['status'] })}
        >
          {offerStatuses.map((status) => (
            <option key={status} value={status}>
              {t(`offersAdmin.statuses.${status}`)}
            </option>
          ))}
        </SelectField>
      </section>

      <section className="offer-form__section" aria-labelledby="offer-section-audience">
        <h2 id="offer-section-audience">{t('offersAdmin.form.sections.audience')}</h2>
        <ChoiceFieldset
          id={fieldId('targetGroups')}
          legend={t('offersAdmin.fields.targetGroups')}
          error={errors.targetGroups}
          multiple
          choices={termChoices(termsOf(taxonomies, 'target_group'), language)}
          value={values.targetGroups}
          onChange={(targetGroups) => onChange({ targetGroups })}
        />
        <div className="offer-form__pair">
          <TextField
            id={fieldId('minAge')}
            label={t('offersAdmin.fields.minAge')}
            hint={t('offersAdmin.form.ageHint')}
            error={errors.minAge}
            inputMode="numeric"
            value={values.minAge}
            onChange={(minAge) => onChange({ minAge })}
          />
          <TextField
            id={fieldId('maxAge')}
            label={t('offersAdmin.fields.maxAge')}
            hint={t('offersAdmin.form.ageHint')}
            error={errors.maxAge}
            inputMode="numeric"
            value={values.maxAge}
            onChange={(maxAge) => onChange({ maxAge })}
          />
        </div>
        <ChoiceFieldset
          id={fieldId('fieldsOfAction')}
          legend={t('offersAdmin.fields.fieldsOfAction')}
          hint={t('offersAdmin.form.fieldsOfActionHint')}
          error={errors.fieldsOfAction}
          multiple
          choices={termChoices(termsOf(taxonomies, 'field_of_action'), language)}
          value={values.fieldsOfAction}
          onChange={(fieldsOfAction) => onChange({ fieldsOfAction })}
        />
        <ChoiceFieldset
          id={fieldId('costKind')}
          legend={t('offersAdmin.fields.costKind')}
          error={errors.costKind}
          multiple={false}
          choices={[
            { value: '', label: t('offersAdmin.form.costNone') },
            ...costKinds.map((kind) => ({ value: kind, label: t(`offersAdmin.costKinds.${kind}`) })),
          ]}
          value={values.costKind}
          onChange={(costKind) => onChange({ costKind: costKind as OfferFormValues['costKind'] })}
        >
          {values.costKind ? (
            <TextField
              id={fieldId('costText')}
              label={t('offersAdmin.fields.costText')}
              hint={t('offersAdmin.form.costTextHint')}
              error={errors.costText}
              value={values.costText}
              onChange={(costText) => onChange({ costText })}
            />
          ) : null}
        </ChoiceFieldset>
        <TextField
          id={fieldId('languages')}
          label={t('offersAdmin.fields.languages')}
          hint={t('offersAdmin.form.languagesHint')}
          error={errors.languages}
          value={values.languages}
          onChange={(languages) => onChange({ languages })}
        />
        <ChoiceFieldset
          id={fieldId('accessibility')}
          legend={t('offersAdmin.fields.accessibility')}
          error={errors.accessibility}
          multiple
          choices={termChoices(termsOf(taxonomies, 'accessibility'), language)}
          value={values.accessibility}
          onChange={(accessibility) => onChange({ accessibility })}
        />
      </section>

      <section className="offer-form__section" aria-labelledby="offer-section-contact">
        <h2 id="offer-section-contact">{t('offersAdmin.form.sections.contact')}</h2>
        <TextField
          id={fieldId('email')}
          type="email"
          label={t('offersAdmin.fields.email')}
          hint={t('offersAdmin.form.emailHint')}
          error={errors.email}
          value={values.email}
          onChange={(email) => onChange({ email })}
        />
        <TextField
          id={fieldId('phone')}
          type="tel"
          label={t('offersAdmin.fields.phone')}
          hint={t('offersAdmin.form.phoneHint')}
          error={errors.phone}
          value={values.phone}
          onChange={(phone) => onChange({ phone })}
        />
        <TextField
          id={fieldId('website')}
          type="url"
          label={t('offersAdmin.fields.website')}
          hint={t('offersAdmin.form.websiteHint')}
          error={errors.website}
          value={values.website}
          onChange={(website) => onChange({ website })}
        />
        <OpeningHoursEditor
          id={fieldId('openingHours')}
          error={errors.openingHours}
          value={values.openingHours}
          onChange={(openingHours) => onChange({ openingHours })}
        />
        <TextField
          id={fieldId('openingHoursNote')}
          label={t('offersAdmin.fields.openingHoursNote')}
          hint={t('offersAdmin.form.openingHoursNoteHint')}
          error={errors.openingHoursNote}
          value={values.openingHoursNote}
          onChange={(openingHoursNote) => onChange({ openingHoursNote })}
        />
      </section>

      <section className="offer-form__section" aria-labelledby="offer-section-reach">
        <h2 id="offer-section-reach">{t('offersAdmin.form.sections.reachCapacity')}</h2>
        <ChoiceFieldset
          id={fieldId('reachKind')}
          legend={t('offersAdmin.fields.reachKind')}
          hint={t('offersAdmin.form.reachHint')}
          error={errors.reachKind}
          multiple={false}
          choices={reachChoices}
          value={values.reachKind}
          onChange={(reachKind) => onChange({ reachKind: reachKind as ReachChoice })}
        >
          {values.reachKind === 'walk' || values.reachKind === 'radius' ? (
            <TextField
              id={fieldId('reachMeters')}
              label={t('offersAdmin.fields.reachMeters')}
              hint={t('offersAdmin.form.reachMetersHint')}
              error={errors.reachMeters}
              inputMode="numeric"
              value={values.reachMeters}
              onChange={(reachMeters) => onChange({ reachMeters })}
            />
          ) : null}
        </ChoiceFieldset>
        {values.reachKind === 'area' ? (
          <ChoiceFieldset
            id={fieldId('reachAreaIds')}
            legend={t('offersAdmin.fields.reachAreaIds')}
            hint={t('offersAdmin.form.reachAreasHint')}
            error={errors.reachAreaIds}
            className="form-fieldset--scroll"
            multiple
            choices={areaChoices.map((area) => ({ value: area.id, label: area.name }))}
            value={values.reachAreaIds}
            onChange={(reachAreaIds) => onChange({ reachAreaIds })}
          />
        ) : null}
        <div className="offer-form__pair">
          <TextField
            id={fieldId('capacityValue')}
            label={t('offersAdmin.fields.capacityValue')}
            hint={t('offersAdmin.form.capacityHint')}
            error={errors.capacityValue}
            inputMode="decimal"
            value={values.capacityValue}
            onChange={(capacityValue) => onChange({ capacityValue })}
          />
          <TextField
            id={fieldId('capacityUnit')}
            label={t('offersAdmin.fields.capacityUnit')}
            hint={t('offersAdmin.form.capacityUnitHint')}
            error={errors.capacityUnit}
            value={values.capacityUnit}
            onChange={(capacityUnit) => onChange({ capacityUnit })}
          />
        </div>
      </section>
    </>
  );
}
