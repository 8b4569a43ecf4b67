import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FeatureCollection } from 'geojson';
import type { SessionUser } from '../../../../server/auth/auth.schema';
import type { Offer } from '../../../../server/offers/offers.schema';
import type { Taxonomy } from '../../../../server/taxonomies/taxonomies.schema';
import { ErrorSummary, type ErrorSummaryItem } from '../../../components/ui/error-summary';
import { ApiProblem, NetworkError } from '../../../lib/api-client';
import { useCreateOffer } from '../api/create-offer';
import { useDepartments } from '../api/get-departments';
import { offerQueryKey } from '../api/get-offer';
import { useUpdateOffer } from '../api/update-offer';
import { toFormErrors, type FormErrorKey, type FormErrors } from '../utils/field-errors';
import {
  changedKeys,
  emptyOfferFormValues,
  formValuesToBody,
  mergeFormValues,
  offerToFormValues,
  type OfferFormKey,
  type OfferFormValues,
} from '../utils/offer-form-values';
import { canChooseDepartment, canEditOffer } from '../utils/permissions';
import { ConflictPanel } from './conflict-panel';
import { LocationSection, type MapSettings } from './location-section';
import { OfferActions } from './offer-actions';
import { fieldId, OfferFields } from './offer-fields';
import './offers-admin.css';

type OfferEditorProps = {
  // null: a new offer.
  offer: Offer | null;
  user: SessionUser;
  taxonomies: readonly Taxonomy[];
  // The Sozialräume (polygons): shown on the picker map and used to name the point's area.
  areas: FeatureCollection;
  map: MapSettings;
  onCreated: (offer: Offer) => void;
  // Shown once at the top, e.g. "created" after the page changed from "new" to "edit".
  initialNotice?: string | null;
};

type Synced = { version: number | null; base: OfferFormValues };

// The labels the error summary uses for each input.
function useErrorLabels() {
  const { t } = useTranslation();
  return (key: FormErrorKey): string => {
    if (key === 'form') return t('offersAdmin.form.generalError');
    const location = /^locations\.(\d+)\.(\w+)$/.exec(key);
    if (location) {
      const number = Number(location[1]) + 1;
      const part = location[2] === 'coordinates' ? 'coordinates' : location[2];
      const partLabel =
        part === 'name' ? t('offersAdmin.form.locationName') : t(`offersAdmin.form.${part as 'street'}`);
      return `${t('offersAdmin.form.location', { number })} – ${partLabel}`;
    }
    return t(`offersAdmin.fields.${key as Exclude<OfferFormKey, 'locations'>}`);
  };
}

function summaryFieldId(key: FormErrorKey): string {
  const location = /^locations\.(\d+)\.coordinates$/.exec(key);
  if (location) return fieldId(`locations.${location[1]}.latitude`);
  return fieldId(key);
}

export function OfferEditor({ offer, user, taxonomies, areas, map, onCreated, initialNotice = null }: OfferEditorProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const createOffer = useCreateOffer();
  const updateOffer = useUpdateOffer();
  const errorLabel = useErrorLabels();
  const departmentsQuery = useDepartments();
  const departmentEditable = canChooseDepartment(user);

  const start = (): Synced => ({
    version: offer?.version ?? null,
    base: offer
      ? offerToFormValues(offer)
      : emptyOfferFormValues({ departmentCode: departmentEditable ? '' : (user.department?.code ?? ''), city: map.cityName }),
  });
  const [synced, setSynced] = useState<Synced>(start);
  const [values, setValues] = useState<OfferFormValues>(synced.base);
  const [errors, setErrors] = useState<FormErrors>({});
  const [failedSubmits, setFailedSubmits] = useState(0);
  const [conflict, setConflict] = useState<Offer | null>(null);
  const [notice, setNotice] = useState<string | null>(initialNotice);
  const [generalError, setGeneralError] = useState<string | null>(null);

  // The stored offer changed under the form (publish, verify … or a reload): edits stay, fields
  // nobody touched follow the new version.
  if (offer && offer.version !== synced.version) {
    const next = offerToFormValues(offer);
    setValues(mergeFormValues(synced.base, values, next).values);
    setSynced({ version: offer.version, base: next });
  }

  const readOnly = offer ? !canEditOffer(user, offer) : false;
  const lockedDepartment = offer?.department ?? user.department;
  const departmentLock =
    departmentEditable || !lockedDepartment ? null : { department: lockedDepartment, ownOnly: user.role === 'editor' && !readOnly };
  const dirty = changedKeys(synced.base, values).length > 0;
  const saving = createOffer.isPending || updateOffer.isPending;

  const areaChoices = useMemo(
    () =>
      areas.features
        .map((feature) => ({ id: String(feature.properties?.id ?? feature.id), name: String(feature.properties?.name ?? '') }))
        .sort((a, b) => a.name.localeCompare(b.name, 'de')),
    [areas],
  );
  const areaNames = useMemo(() => new Map(areaChoices.map((area) => [area.id, area.name])), [areaChoices]);

  function change(partial: Partial<OfferFormValues>) {
    setValues((previous) => ({ ...previous, ...partial }));
    setNotice(null);
  }

  function fail(error: unknown) {
    if (error instanceof ApiProblem && error.status === 412) {
      const current = (error.problem as { current?: Offer } | undefined)?.current;
      if (current) {
        setConflict(current);
        return;
      }
    }
    if (error instanceof ApiProblem && error.status === 400 && error.problem?.errors) {
      setErrors(toFormErrors(error.problem.errors));
      setGeneralError(null);
    } else {
      setErrors({});
      setGeneralError(
        error instanceof NetworkError
          ? t('errors.network')
          : error instanceof ApiProblem && error.status === 401
            ? t('offersAdmin.form.sessionEnded')
            : error instanceof ApiProblem && error.problem?.detail && error.status < 500
            ? error.problem.detail
            : t('errors.unexpected'),
      );
    }
    setFailedSubmits((count) => count + 1);
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (readOnly || saving) return;
    setNotice(null);
    const body = formValuesToBody(values);
    if (!offer) {
      createOffer.mutate(body, { onSuccess: (created) => onCreated(created), onError: fail });
      return;
    }
    updateOffer.mutate(
      { offerId: offer.id, version: synced.version ?? offer.version, body },
      {
        onSuccess: (saved) => {
          const next = offerToFormValues(saved);
          setSynced({ version: saved.version, base: next });
          setValues(next);
          setErrors({});
          setGeneralError(null);
          setConflict(null);
          setNotice(t('offersAdmin.form.saved', { version: saved.version }));
        },
        onError: fail,
      },
    );
  }

  function adoptCurrent(current: Offer, merge: boolean) {
    const theirs = offerToFormValues(current);
    queryClient.setQueryData(offerQueryKey(current.id), current);
    if (merge) {
      const merged = mergeFormValues(synced.base, values, theirs);
      setValues(merged.values);
      setNotice(
        merged.conflicts.length > 0
          ? `${t('offersAdmin.conflict.merged', { version: current.version })} ${t('offersAdmin.conflict.mergedConflicts', {
              fields: merged.conflicts.map((key) => errorLabel(key)).join(', '),
            })}`
          : t('offersAdmin.conflict.merged', { version: current.version }),
      );
    } else {
      setValues(theirs);
      setNotice(t('offersAdmin.conflict.reloaded', { version: current.version }));
    }
    setSynced({ version: current.version, base: theirs });
    setConflict(null);
    setErrors({});
  }

  const summaryItems: ErrorSummaryItem[] = (Object.entries(errors) as Array<[FormErrorKey, string]>)
    .filter(([key]) => key !== 'form')
    .map(([key, message]) => ({ fieldId: summaryFieldId(key), label: errorLabel(key), message }));
  // Problems that belong to no input are said above the list.
  const summaryIntro = [generalError, errors.form].filter(Boolean).join(' ') || undefined;

  return (
    <div className="offer-editor">
      {offer ? <OfferActions offer={offer} canEdit={!readOnly} dirty={dirty} /> : null}
      {readOnly ? (
        <p className="notice">
          {user.role === 'planner'
            ? t('offersAdmin.form.readOnlyPlanner')
            : t('offersAdmin.form.readOnlyOtherDepartment', { department: offer?.department.name ?? '' })}
        </p>
      ) : null}
      <p className="offer-editor__notice" role="status">
        {notice ?? ''}
      </p>
      {conflict ? (
        <ConflictPanel
          mine={values}
          myVersion={synced.version ?? 0}
          current={conflict}
          taxonomies={taxonomies}
          areaNames={areaNames}
          onMerge={() => adoptCurrent(conflict, true)}
          onReload={() => adoptCurrent(conflict, false)}
        />
      ) : null}
      <form className="offer-form" noValidate onSubmit={handleSubmit} aria-labelledby="offer-form-heading">
        <h2 id="offer-form-heading" className="visually-hidden">
          {offer ? t('offersAdmin.form.editHeading') : t('offersAdmin.form.createHeading')}
        </h2>
        <ErrorSummary
          title={t('forms.errorSummaryTitle')}
          items={summaryItems}
          intro={summaryIntro}
          focusKey={failedSubmits}
        />
        <p className="form-field__hint">{t('offersAdmin.form.requiredNote')}</p>
        <fieldset className="offer-form__body" disabled={readOnly}>
          <legend className="visually-hidden">{t('offersAdmin.form.fieldsLegend')}</legend>
          <OfferFields
            values={values}
            errors={errors}
            onChange={change}
            taxonomies={taxonomies}
            areaChoices={areaChoices}
            departments={departmentsQuery.data?.items ?? []}
            departmentsFailed={departmentsQuery.isError}
            departmentLock={departmentLock}
            canCreateOrganization={!readOnly}
          />
          <LocationSection
            locations={values.locations}
            errors={errors}
            onChange={(locations) => change({ locations })}
            areas={areas}
            map={map}
            readOnly={readOnly}
          />
        </fieldset>
        {!readOnly ? (
          <div className="form-actions offer-form__submit">
            <button type="submit" className="button" disabled={saving}>
              {saving ? t('offersAdmin.form.saving') : offer ? t('offersAdmin.form.save') : t('offersAdmin.form.create')}
            </button>
            {dirty && offer ? (
              <button type="button" className="button button--secondary" onClick={() => setValues(synced.base)}>
                {t('offersAdmin.form.discard')}
              </button>
            ) : null}
          </div>
        ) : null}
      </form>
    </div>
  );
}
