import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/ui/page-header';
import { useSignedInUser } from '../../features/auth/components/require-session';
import { OfferList } from '../../features/offers-admin/components/offer-list';
import { useDocumentTitle } from '../../lib/use-document-title';

export function AdministrationOffersRoute() {
  const { t } = useTranslation();
  useDocumentTitle(t('pages.administrationOffers.title'), t('app.name'));
  const user = useSignedInUser();
  return (
    <>
      <PageHeader title={t('pages.administrationOffers.title')} intro={t('pages.administrationOffers.intro')} />
      <OfferList user={user} />
    </>
  );
}
