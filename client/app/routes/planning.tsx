import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { paths } from '../../config/paths';
import { PageHeader } from '../../components/ui/page-header';
import { useDocumentTitle } from '../../lib/use-document-title';
import { CityAreaExplorer } from '../city-area-explorer';

export function PlanningRoute() {
  const { t } = useTranslation();
  useDocumentTitle(t('pages.planning.title'), t('app.name'));
  return (
    <>
      <PageHeader title={t('pages.planning.title')} intro={t('pages.planning.intro')} />
      <p className="page-lead-link">
        <Link to={paths.planningCoverage.href()}>{t('pages.planning.coverageLink')}</Link>
      </p>
      <p className="page-lead-link">
        <Link to={paths.steering.href()}>{t('steering.staffTitle')}</Link>
      </p>
      <CityAreaExplorer />
    </>
  );
}
