import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { ErrorMessage } from '../../../components/ui/error-message';
import { StatusMessage } from '../../../components/ui/status-message';
import { signedInUser, useSession } from '../api/get-session';

type RequireSessionProps = {
  signInHref: (next: string) => string;
};

// Layout route for the staff pages: without a session the person is sent to sign in and comes
// back to the page they asked for.
export function RequireSession({ signInHref }: RequireSessionProps) {
  const { t } = useTranslation();
  const location = useLocation();
  const sessionQuery = useSession();
  if (sessionQuery.isPending) return <StatusMessage>{t('auth.checkingSession')}</StatusMessage>;
  if (sessionQuery.isError) {
    return <ErrorMessage error={sessionQuery.error} onRetry={() => void sessionQuery.refetch()} />;
  }
  if (!signedInUser(sessionQuery.data)) {
    return <Navigate to={signInHref(`${location.pathname}${location.search}`)} replace />;
  }
  return <Outlet />;
}

// For pages inside RequireSession: the signed-in user (the guard has made sure there is one).
export function useSignedInUser() {
  const sessionQuery = useSession();
  const user = signedInUser(sessionQuery.data);
  if (!user) throw new Error('useSignedInUser is only used below RequireSession');
  return user;
}
