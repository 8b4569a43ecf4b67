import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, type ErrorSummaryItem } from '../../../components/ui/error-summary';
import { describedBy, FieldError } from '../../../components/ui/field-error';
import { ApiProblem, NetworkError } from '../../../lib/api-client';
import type { SessionUser } from '../api/get-session';
import { useSignIn } from '../api/sign-in';
import './auth.css';

type SignInFormProps = {
  onSignedIn: (user: SessionUser) => void;
};

type Field = 'email' | 'password';
type FieldMessages = Partial<Record<Field, string>>;

export function SignInForm({ onSignedIn }: SignInFormProps) {
  const { t } = useTranslation();
  const signIn = useSignIn();
  const emailId = useId();
  const passwordId = useId();
  const emailErrorId = `${emailId}-error`;
  const passwordErrorId = `${passwordId}-error`;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldMessages>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const passwordRef = useRef<HTMLInputElement>(null);

  const labels: Record<Field, string> = { email: t('auth.email'), password: t('auth.password') };
  const fieldIds: Record<Field, string> = { email: emailId, password: passwordId };

  function explain(error: unknown): { form: string | null; fields: FieldMessages } {
    if (error instanceof NetworkError) return { form: t('errors.network'), fields: {} };
    if (error instanceof ApiProblem) {
      if (error.code === 'invalid_credentials') return { form: t('auth.invalidCredentials'), fields: {} };
      // The server words this one in the request's language and names the waiting time.
      if (error.status === 429) return { form: error.problem?.detail ?? t('auth.tooManyAttempts'), fields: {} };
      if (error.status === 400 && error.problem?.errors) {
        const fields: FieldMessages = {};
        for (const item of error.problem.errors) {
          if ((item.field === 'email' || item.field === 'password') && item.message) fields[item.field] = item.message;
        }
        return { form: null, fields };
      }
      if (error.code === 'csrf_token_invalid') return { form: t('auth.sessionProblem'), fields: {} };
    }
    return { form: t('errors.unexpected'), fields: {} };
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const missing: FieldMessages = {};
    if (email.trim() === '') missing.email = t('auth.emailMissing');
    if (password === '') missing.password = t('auth.passwordMissing');
    setAttempt((value) => value + 1);
    if (Object.keys(missing).length > 0) {
      setFieldErrors(missing);
      setFormError(null);
      return;
    }
    setFieldErrors({});
    setFormError(null);
    signIn.mutate(
      { email: email.trim(), password },
      {
        onSuccess: (session) => {
          if (session.user) onSignedIn(session.user);
        },
        onError: (error) => {
          const explained = explain(error);
          setFieldErrors(explained.fields);
          setFormError(explained.form);
          setPassword('');
          setAttempt((value) => value + 1);
          if (explained.form) passwordRef.current?.focus();
        },
      },
    );
  }

  const summaryItems: ErrorSummaryItem[] = (Object.keys(fieldErrors) as Field[]).map((field) => ({
    fieldId: fieldIds[field],
    label: labels[field],
    message: fieldErrors[field] ?? '',
  }));

  return (
    <form className="sign-in-form" noValidate onSubmit={handleSubmit}>
      <ErrorSummary title={t('forms.errorSummaryTitle')} items={summaryItems} focusKey={summaryItems.length > 0 ? attempt : 0} />
      {/* Present from the start, so that screen readers announce a message put into it. */}
      <div id="sign-in-status" className="sign-in-form__status" role="alert">
        {formError ? <p className="sign-in-form__error">{formError}</p> : null}
      </div>
      <div className="form-field">
        <label htmlFor={emailId}>{labels.email}</label>
        <input
          id={emailId}
          name="email"
          type="email"
          inputMode="email"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={fieldErrors.email ? true : undefined}
          aria-describedby={describedBy(fieldErrors.email && emailErrorId)}
          required
        />
        <FieldError id={emailErrorId} message={fieldErrors.email} />
      </div>
      <div className="form-field">
        <label htmlFor={passwordId}>{labels.password}</label>
        <input
          ref={passwordRef}
          id={passwordId}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-invalid={fieldErrors.password ? true : undefined}
          aria-describedby={describedBy(fieldErrors.password && passwordErrorId)}
          required
        />
        <FieldError id={passwordErrorId} message={fieldErrors.password} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={signIn.isPending}>
          {signIn.isPending ? t('auth.signingIn') : t('auth.signIn')}
        </button>
      </div>
    </form>
  );
}
