import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/ui/page-header';
import { useDocumentTitle } from '../../lib/use-document-title';
import { CityAreaExplorer } from '../city-area-explorer';

export function PlanningRoute() {
  const { t } = useTranslation();
  useDocumentTitle(t('pages.planning.title'), t('app.name'));
  return (
    <>
      <PageHeader title={t('pages.planning.title')} intro={t('pages.planning.intro')} />
      <CityAreaExplorer />
    </>
  );
}
