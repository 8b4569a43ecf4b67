import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../../components/ui/page-header';
import { paths } from '../../config/paths';
import { ChangePasswordForm } from '../../features/accounts/components/change-password-form';
import { SessionsList } from '../../features/accounts/components/sessions-list';
import { UsersTable } from '../../features/accounts/components/users-table';
import '../../features/accounts/components/accounts.css';
import { useSignedInUser } from '../../features/auth/components/require-session';
import { useDocumentTitle } from '../../lib/use-document-title';

// Everyone signed in: their own password and sessions. Administrators: every account as well.
export function AdministrationAccountsRoute() {
  const { t } = useTranslation();
  useDocumentTitle(t('pages.administrationAccounts.title'), t('app.name'));
  const user = useSignedInUser();
  return (
    <>
      <p className="back-link">
        <Link to={paths.administration.href()}>{t('navigation.administration')}</Link>
      </p>
      <PageHeader title={t('pages.administrationAccounts.title')} intro={t('pages.administrationAccounts.intro')} />
      <ChangePasswordForm />
      <SessionsList userId={user.id} />
      {user.role === 'admin' ? <UsersTable currentUserId={user.id} /> : null}
    </>
  );
}
