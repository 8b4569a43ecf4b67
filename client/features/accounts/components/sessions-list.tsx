import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../../components/ui/error-message';
import { StatusMessage } from '../../../components/ui/status-message';
import { useEndSession, useSessions } from '../api/sessions';
import { formatDateTime } from './format-date-time';

// One's own live sessions (other browsers, other devices); any but the current one can be ended.
export function SessionsList({ userId }: { userId: string }) {
  const { t, i18n } = useTranslation();
  const sessionsQuery = useSessions(userId);
  const endSession = useEndSession(userId);
  return (
    <section aria-labelledby="own-sessions-heading" className="accounts-section">
      <h2 id="own-sessions-heading">{t('accounts.sessions.heading')}</h2>
      <p>{t('accounts.sessions.intro')}</p>
      {sessionsQuery.isPending ? <StatusMessage>{t('status.loading')}</StatusMessage> : null}
      {sessionsQuery.isError ? <ErrorMessage error={sessionsQuery.error} onRetry={() => void sessionsQuery.refetch()} /> : null}
      {sessionsQuery.data ? (
        <table className="accounts-table">
          <caption className="visually-hidden">{t('accounts.sessions.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('accounts.sessions.signedInAt')}</th>
              <th scope="col">{t('accounts.sessions.expiresAt')}</th>
              <th scope="col">{t('accounts.sessions.action')}</th>
            </tr>
          </thead>
          <tbody>
            {sessionsQuery.data.items.map((session) => (
              <tr key={session.id}>
                <td>{formatDateTime(session.createdAt, i18n.language)}</td>
                <td>{formatDateTime(session.expiresAt, i18n.language)}</td>
                <td>
                  {session.current ? (
                    t('accounts.sessions.current')
                  ) : (
                    <button
                      type="button"
                      className="button button--secondary"
                      disabled={endSession.isPending}
                      onClick={() => endSession.mutate(session.id)}
                    >
                      {t('accounts.sessions.end', { time: formatDateTime(session.createdAt, i18n.language) })}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {endSession.isError ? <ErrorMessage error={endSession.error} /> : null}
    </section>
  );
}
