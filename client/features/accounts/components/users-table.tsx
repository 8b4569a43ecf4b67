import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../server/auth/auth.schema';
import { ErrorMessage } from '../../../components/ui/error-message';
import { StatusMessage } from '../../../components/ui/status-message';
import { useDepartments } from '../api/get-departments';
import { useUsers, type UserSummary } from '../api/get-users';
import { useEndAllSessions } from '../api/sessions';
import { useResetPassword, useUpdateUser } from '../api/update-user';
import { formatDateTime } from './format-date-time';
import { problemText } from './problem-text';

const roleOptions: readonly Role[] = ['admin', 'editor', 'planner'];

type Outcome = { kind: 'done'; text: string; password?: string } | { kind: 'failed'; text: string };

type RowProps = {
  user: UserSummary;
  isSelf: boolean;
  departments: readonly { code: string; name: string }[];
  onOutcome: (outcome: Outcome) => void;
};

function UserRow({ user, isSelf, departments, onOutcome }: RowProps) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [role, setRole] = useState<Role>(user.role);
  const [departmentCode, setDepartmentCode] = useState(user.department?.code ?? '');
  const update = useUpdateUser();
  const reset = useResetPassword();
  const endAll = useEndAllSessions();
  const failed = (error: unknown) =>
    onOutcome({ kind: 'failed', text: problemText(error, { network: t('errors.network'), unexpected: t('errors.unexpected') }) });
  const name = user.displayName ?? user.email;
  const changed = role !== user.role || departmentCode !== (user.department?.code ?? '');

  function save() {
    update.mutate(
      { userId: user.id, body: { role, departmentCode: departmentCode === '' ? null : departmentCode } },
      { onSuccess: () => onOutcome({ kind: 'done', text: t('accounts.users.saved', { name }) }), onError: failed },
    );
  }

  function toggleDisabled() {
    update.mutate(
      { userId: user.id, body: { disabled: !user.disabled } },
      {
        onSuccess: () => onOutcome({ kind: 'done', text: t(user.disabled ? 'accounts.users.enabled' : 'accounts.users.disabled', { name }) }),
        onError: failed,
      },
    );
  }

  return (
    <tr>
      <th scope="row">
        {user.email}
        {user.displayName ? <span className="accounts-table__name">{user.displayName}</span> : null}
        {isSelf ? <span className="accounts-table__name">{t('accounts.users.you')}</span> : null}
      </th>
      <td>
        <label className="visually-hidden" htmlFor={`${id}-role`}>
          {t('accounts.users.roleOf', { name })}
        </label>
        <select id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as Role)}>
          {roleOptions.map((option) => (
            <option key={option} value={option}>
              {t(`auth.roles.${option}`)}
            </option>
          ))}
        </select>
      </td>
      <td>
        <label className="visually-hidden" htmlFor={`${id}-department`}>
          {t('accounts.users.departmentOf', { name })}
        </label>
        <select id={`${id}-department`} value={departmentCode} onChange={(event) => setDepartmentCode(event.target.value)}>
          <option value="">{t('accounts.users.noDepartment')}</option>
          {departments.map((department) => (
            <option key={department.code} value={department.code}>
              {department.name}
            </option>
          ))}
        </select>
        <button type="button" className="button button--secondary" disabled={!changed || update.isPending} onClick={save}>
          {t('accounts.users.save', { name })}
        </button>
      </td>
      <td>{user.disabled ? t('accounts.users.stateDisabled') : t('accounts.users.stateActive')}</td>
      <td>{user.lastLoginAt ? formatDateTime(user.lastLoginAt, i18n.language) : t('accounts.users.never')}</td>
      <td>{user.sessionCount}</td>
      <td>
        <div className="accounts-table__actions">
        {isSelf ? null : (
          <button type="button" className="button button--secondary" disabled={update.isPending} onClick={toggleDisabled}>
            {t(user.disabled ? 'accounts.users.enable' : 'accounts.users.disable', { name })}
          </button>
        )}
        <button
          type="button"
          className="button button--secondary"
          disabled={reset.isPending}
          onClick={() =>
            reset.mutate(user.id, {
              onSuccess: (result) =>
                onOutcome({
                  kind: 'done',
                  text: t('accounts.users.resetDone', { name, count: result.endedSessions }),
                  password: result.password,
                }),
              onError: failed,
            })
          }
        >
          {t('accounts.users.reset', { name })}
        </button>
        {user.sessionCount > 0 && !isSelf ? (
          <button
            type="button"
            className="button button--secondary"
            disabled={endAll.isPending}
            onClick={() =>
              endAll.mutate(user.id, {
                onSuccess: (result) => onOutcome({ kind: 'done', text: t('accounts.users.sessionsEnded', { name, count: result.endedSessions }) }),
                onError: failed,
              })
            }
          >
            {t('accounts.users.endSessions', { name })}
          </button>
        ) : null}
        </div>
      </td>
    </tr>
  );
}

// Administrators: every account with role, department, state and sessions; each change is
// saved at once and recorded in the audit log by the server.
export function UsersTable({ currentUserId }: { currentUserId: string }) {
  const { t } = useTranslation();
  const usersQuery = useUsers({ enabled: true });
  const departmentsQuery = useDepartments({ enabled: true });
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  return (
    <section aria-labelledby="users-heading" className="accounts-section">
      <h2 id="users-heading">{t('accounts.users.heading')}</h2>
      <p>{t('accounts.users.intro')}</p>
      <div role="status" className="accounts-outcome">
        {outcome?.kind === 'done' ? (
          <div className="notice">
            <p>{outcome.text}</p>
            {outcome.password ? (
              <p>
                {t('accounts.users.newPassword')} <code className="accounts-password">{outcome.password}</code>
              </p>
            ) : null}
          </div>
        ) : null}
      </div>
      <div role="alert">{outcome?.kind === 'failed' ? <p className="field-error">{outcome.text}</p> : null}</div>
      {usersQuery.isPending ? <StatusMessage>{t('status.loading')}</StatusMessage> : null}
      {usersQuery.isError ? <ErrorMessage error={usersQuery.error} onRetry={() => void usersQuery.refetch()} /> : null}
      {usersQuery.data ? (
        <div className="accounts-table__scroll" tabIndex={0} role="region" aria-labelledby="users-heading">
          <table className="accounts-table">
            <caption className="visually-hidden">{t('accounts.users.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('accounts.users.email')}</th>
                <th scope="col">{t('accounts.users.role')}</th>
                <th scope="col">{t('accounts.users.department')}</th>
                <th scope="col">{t('accounts.users.state')}</th>
                <th scope="col">{t('accounts.users.lastLogin')}</th>
                <th scope="col">{t('accounts.users.sessions')}</th>
                <th scope="col">{t('accounts.users.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {usersQuery.data.items.map((user) => (
                <UserRow
                  // A new key after each save resets the row's unsaved choices to the stored values.
                  key={`${user.id}:${user.role}:${user.department?.code ?? ''}`}
                  user={user}
                  isSelf={user.id === currentUserId}
                  departments={departmentsQuery.data?.items ?? []}
                  onOutcome={setOutcome}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
