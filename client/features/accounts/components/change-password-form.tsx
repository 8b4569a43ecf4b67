import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, type ErrorSummaryItem } from '../../../components/ui/error-summary';
import { describedBy, FieldError } from '../../../components/ui/field-error';
import { ApiProblem } from '../../../lib/api-client';
import { useChangePassword } from '../api/change-password';
import { problemText } from './problem-text';

type Field = 'currentPassword' | 'newPassword' | 'repeatPassword';
type FieldMessages = Partial<Record<Field, string>>;

// Changing one's own password: the current one is required; the server checks the new one
// against the policy (length, breached list, the account's own data) and ends every other session.
export function ChangePasswordForm() {
  const { t } = useTranslation();
  const change = useChangePassword();
  const baseId = useId();
  const ids: Record<Field, string> = {
    currentPassword: `${baseId}-current`,
    newPassword: `${baseId}-new`,
    repeatPassword: `${baseId}-repeat`,
  };
  const hintId = `${baseId}-hint`;
  const [values, setValues] = useState<Record<Field, string>>({ currentPassword: '', newPassword: '', repeatPassword: '' });
  const [fieldErrors, setFieldErrors] = useState<FieldMessages>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [attempt, setAttempt] = useState(0);

  const labels: Record<Field, string> = {
    currentPassword: t('accounts.password.current'),
    newPassword: t('accounts.password.new'),
    repeatPassword: t('accounts.password.repeat'),
  };

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(false);
    setAttempt((value) => value + 1);
    const missing: FieldMessages = {};
    if (values.currentPassword === '') missing.currentPassword = t('accounts.password.currentMissing');
    if (values.newPassword === '') missing.newPassword = t('accounts.password.newMissing');
    else if (values.repeatPassword !== values.newPassword) missing.repeatPassword = t('accounts.password.mismatch');
    setFieldErrors(missing);
    setFormError(null);
    if (Object.keys(missing).length > 0) return;
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: () => {
          setValues({ currentPassword: '', newPassword: '', repeatPassword: '' });
          setDone(true);
        },
        onError: (error) => {
          const fields: FieldMessages = {};
          if (error instanceof ApiProblem && error.status === 400) {
            for (const item of error.problem?.errors ?? []) {
              if ((item.field === 'currentPassword' || item.field === 'newPassword') && item.message) fields[item.field] = item.message;
            }
          }
          setFieldErrors(fields);
          setFormError(Object.keys(fields).length > 0 ? null : problemText(error, { network: t('errors.network'), unexpected: t('errors.unexpected') }));
          setAttempt((value) => value + 1);
        },
      },
    );
  }

  const summaryItems: ErrorSummaryItem[] = (Object.keys(fieldErrors) as Field[]).map((field) => ({
    fieldId: ids[field],
    label: labels[field],
    message: fieldErrors[field] ?? '',
  }));

  const input = (field: Field, autoComplete: string, hint?: string) => (
    <div className="form-field">
      <label htmlFor={ids[field]}>{labels[field]}</label>
      {hint ? (
        <p id={hintId} className="form-field__hint">
          {hint}
        </p>
      ) : null}
      <input
        id={ids[field]}
        name={field}
        type="password"
        autoComplete={autoComplete}
        value={values[field]}
        onChange={(event) => setValues((current) => ({ ...current, [field]: event.target.value }))}
        aria-invalid={fieldErrors[field] ? true : undefined}
        aria-describedby={describedBy(hint && hintId, fieldErrors[field] && `${ids[field]}-error`)}
        required
      />
      <FieldError id={`${ids[field]}-error`} message={fieldErrors[field]} />
    </div>
  );

  return (
    <form className="accounts-form" noValidate onSubmit={handleSubmit} aria-labelledby="change-password-heading">
      <h2 id="change-password-heading">{t('accounts.password.heading')}</h2>
      <ErrorSummary title={t('forms.errorSummaryTitle')} items={summaryItems} focusKey={summaryItems.length > 0 ? attempt : 0} />
      <div role="status" className="accounts-form__status">
        {done ? <p className="notice">{t('accounts.password.changed')}</p> : null}
      </div>
      <div role="alert">{formError ? <p className="field-error">{formError}</p> : null}</div>
      {input('currentPassword', 'current-password')}
      {input('newPassword', 'new-password', t('accounts.password.hint'))}
      {input('repeatPassword', 'new-password')}
      <div className="form-actions">
        <button type="submit" className="button" disabled={change.isPending}>
          {change.isPending ? t('accounts.password.saving') : t('accounts.password.submit')}
        </button>
      </div>
    </form>
  );
}
