import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/ui/page-header';
import { StatusMessage } from '../../components/ui/status-message';
import { paths, searchParameterNames } from '../../config/paths';
import { signedInUser, useSession } from '../../features/auth/api/get-session';
import { SignInForm } from '../../features/auth/components/sign-in-form';
import { safeNextPath } from '../../features/auth/utils/next-path';
import { useDocumentTitle } from '../../lib/use-document-title';

export function SignInRoute() {
  const { t } = useTranslation();
  useDocumentTitle(t('pages.signIn.title'), t('app.name'));
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = safeNextPath(searchParams.get(searchParameterNames.next), paths.administrationOffers.href());
  const sessionQuery = useSession();
  if (sessionQuery.isPending) return <StatusMessage>{t('auth.checkingSession')}</StatusMessage>;
  if (signedInUser(sessionQuery.data)) return <Navigate to={next} replace />;
  return (
    <>
      <PageHeader title={t('pages.signIn.title')} intro={t('pages.signIn.intro')} />
      <SignInForm onSignedIn={() => void navigate(next, { replace: true })} />
    </>
  );
}
