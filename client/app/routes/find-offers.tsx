import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/ui/page-header';
import { useDocumentTitle } from '../../lib/use-document-title';
import { CityAreaExplorer } from '../city-area-explorer';

export function FindOffersRoute() {
  const { t } = useTranslation();
  useDocumentTitle(t('pages.findOffers.title'), t('app.name'));
  return (
    <>
      <PageHeader title={t('pages.findOffers.title')} intro={t('pages.findOffers.intro')} />
      <CityAreaExplorer />
    </>
  );
}
