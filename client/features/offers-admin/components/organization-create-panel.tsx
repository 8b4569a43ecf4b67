import { useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrganizationSummary } from '../../../../server/organizations/organizations.schema';
import { ApiProblem, NetworkError } from '../../../lib/api-client';
import { useCreateOrganization } from '../api/create-organization';
import { TextField } from '../../../components/ui/form-fields';

type NewOrganizationField = 'name' | 'website' | 'email' | 'phone' | 'legalStatus';

type OrganizationCreatePanelProps = {
  id: string;
  initialName: string;
  onCreated: (organization: OrganizationSummary) => void;
  onChooseExisting: (organization: OrganizationSummary) => void;
  onCancel: () => void;
};

const fields: NewOrganizationField[] = ['name', 'website', 'email', 'phone', 'legalStatus'];

// A few fields to add a provider (Träger) the search does not find. It sits inside the offer
// form, so it has no form of its own: "Enter" in its fields creates the provider instead of
// sending the offer.
export function OrganizationCreatePanel({ id, initialName, onCreated, onChooseExisting, onCancel }: OrganizationCreatePanelProps) {
  const { t } = useTranslation();
  const createOrganization = useCreateOrganization();
  const [values, setValues] = useState<Record<NewOrganizationField, string>>({
    name: initialName,
    website: '',
    email: '',
    phone: '',
    legalStatus: '',
  });
  const [errors, setErrors] = useState<Partial<Record<NewOrganizationField, string>>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [existing, setExisting] = useState<OrganizationSummary | null>(null);

  const fieldId = (field: NewOrganizationField) => `${id}-${field}`;

  // Opening the panel starts at its first field (the group's heading names it on entry).
  useEffect(() => {
    document.getElementById(`${id}-name`)?.focus();
  }, [id]);

  function fail(error: unknown) {
    setExisting(null);
    if (error instanceof ApiProblem && error.status === 400 && error.problem?.errors) {
      const next: Partial<Record<NewOrganizationField, string>> = {};
      const rest: string[] = [];
      for (const item of error.problem.errors) {
        const field = fields.find((name) => name === item.field);
        if (field && item.message) next[field] = [next[field], item.message].filter(Boolean).join(' ');
        else if (item.message) rest.push(item.message);
      }
      setErrors(next);
      setProblem(rest.length > 0 ? rest.join(' ') : null);
      const first = fields.find((field) => next[field]);
      if (first) document.getElementById(fieldId(first))?.focus();
      return;
    }
    setErrors({});
    if (error instanceof ApiProblem && error.status === 409 && error.code === 'duplicate_organization') {
      const found = (error.problem as { existing?: OrganizationSummary } | undefined)?.existing ?? null;
      setExisting(found);
      setProblem(error.problem?.detail ?? t('offersAdmin.organization.create.duplicate', { name: found?.name ?? values.name }));
      return;
    }
    setProblem(
      error instanceof NetworkError
        ? t('errors.network')
        : error instanceof ApiProblem && error.status === 401
          ? t('offersAdmin.form.sessionEnded')
          : error instanceof ApiProblem && error.problem?.detail && error.status < 500
            ? error.problem.detail
            : t('errors.unexpected'),
    );
  }

  function create() {
    if (createOrganization.isPending) return;
    setProblem(null);
    createOrganization.mutate(
      {
        name: values.name,
        website: values.website,
        email: values.email,
        phone: values.phone,
        legalStatus: values.legalStatus,
      },
      { onSuccess: (created) => onCreated({ id: created.id, name: created.name, website: created.website }), onError: fail },
    );
  }

  function handleKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Enter' && event.target instanceof HTMLInputElement) {
      event.preventDefault();
      create();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    }
  }

  const set = (field: NewOrganizationField) => (value: string) => setValues((current) => ({ ...current, [field]: value }));
  return (
    <div id={id} className="organization-create" role="group" aria-labelledby={`${id}-heading`} onKeyDown={handleKeyDown}>
      <h3 id={`${id}-heading`}>
        {t('offersAdmin.organization.create.heading')}
      </h3>
      <p className="form-field__hint">{t('offersAdmin.organization.create.intro')}</p>
      <TextField
        id={fieldId('name')}
        label={t('offersAdmin.organization.create.name')}
        error={errors.name}
        value={values.name}
        onChange={set('name')}
        required
      />
      <TextField
        id={fieldId('website')}
        type="url"
        label={t('offersAdmin.organization.create.website')}
        hint={t('offersAdmin.form.websiteHint')}
        error={errors.website}
        value={values.website}
        onChange={set('website')}
      />
      <TextField
        id={fieldId('email')}
        type="email"
        label={t('offersAdmin.organization.create.email')}
        error={errors.email}
        value={values.email}
        onChange={set('email')}
      />
      <TextField
        id={fieldId('phone')}
        type="tel"
        label={t('offersAdmin.organization.create.phone')}
        hint={t('offersAdmin.form.phoneHint')}
        error={errors.phone}
        value={values.phone}
        onChange={set('phone')}
      />
      <TextField
        id={fieldId('legalStatus')}
        label={t('offersAdmin.organization.create.legalStatus')}
        hint={t('offersAdmin.organization.create.legalStatusHint')}
        error={errors.legalStatus}
        value={values.legalStatus}
        onChange={set('legalStatus')}
      />
      <div role="alert" className="organization-create__problem">
        {problem ? <p className="field-error">{problem}</p> : null}
      </div>
      {existing ? (
        <p>
          <button type="button" className="button" onClick={() => onChooseExisting(existing)}>
            {t('offersAdmin.organization.create.chooseExisting', { name: existing.name })}
          </button>
        </p>
      ) : null}
      <div className="form-actions">
        <button type="button" className="button" disabled={createOrganization.isPending} onClick={create}>
          {createOrganization.isPending ? t('offersAdmin.organization.create.saving') : t('offersAdmin.organization.create.submit')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('offersAdmin.organization.create.cancel')}
        </button>
      </div>
    </div>
  );
}
