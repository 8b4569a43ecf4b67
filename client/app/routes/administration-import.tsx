import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../../components/ui/page-header';
import { paths } from '../../config/paths';
import { useSignedInUser } from '../../features/auth/components/require-session';
import { ImportWizard } from '../../features/imports/components/import-wizard';
import { useDocumentTitle } from '../../lib/use-document-title';

export function AdministrationImportRoute() {
  const { t } = useTranslation();
  useDocumentTitle(t('pages.administrationImport.title'), t('app.name'));
  const user = useSignedInUser();
  return (
    <>
      <p className="back-link">
        <Link to={paths.administrationOffers.href()}>{t('offersAdmin.backToList')}</Link>
      </p>
      <PageHeader title={t('pages.administrationImport.title')} intro={t('pages.administrationImport.intro')} />
      {user.role === 'planner' ? (
        <p className="notice">{t('offersAdmin.form.readOnlyPlanner')}</p>
      ) : (
        <ImportWizard canChooseDepartment={user.role === 'admin'} departmentCode={user.department?.code ?? null} />
      )}
    </>
  );
}
