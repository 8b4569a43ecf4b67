import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorMessage } from '../../components/ui/error-message';
import { PageHeader } from '../../components/ui/page-header';
import { StatusMessage } from '../../components/ui/status-message';
import { paths } from '../../config/paths';
import { useAreas } from '../../features/areas/api/get-areas';
import { useSignedInUser } from '../../features/auth/components/require-session';
import { useOffer } from '../../features/offers-admin/api/get-offer';
import { useTaxonomies } from '../../features/offers-admin/api/get-taxonomies';
import { OfferHistory } from '../../features/offers-admin/components/offer-history';
import { useDocumentTitle } from '../../lib/use-document-title';

export function AdministrationOfferHistoryRoute() {
  const { t } = useTranslation();
  const { offerId = '' } = useParams();
  const user = useSignedInUser();
  const offerQuery = useOffer(offerId);
  const taxonomiesQuery = useTaxonomies();
  const areasQuery = useAreas('sozialraum');
  const offer = offerQuery.data;
  const areaNames = useMemo(
    () => new Map((areasQuery.data?.features ?? []).map((feature) => [String(feature.properties.id), feature.properties.name])),
    [areasQuery.data],
  );
  const title = offer
    ? t('pages.administrationOfferHistory.titleWithName', { name: offer.name })
    : t('pages.administrationOfferHistory.title');
  useDocumentTitle(title, t('app.name'));
  return (
    <>
      <p className="back-link">
        <Link to={paths.administrationOffer.href(offerId)}>{t('offersAdmin.history.backToOffer')}</Link>
      </p>
      <PageHeader title={title} intro={t('offersAdmin.history.intro')} />
      {offerQuery.isPending ? <StatusMessage>{t('status.loading')}</StatusMessage> : null}
      {offerQuery.isError ? <ErrorMessage error={offerQuery.error} onRetry={() => void offerQuery.refetch()} /> : null}
      {offer ? (
        <OfferHistory offer={offer} user={user} taxonomies={taxonomiesQuery.data?.taxonomies ?? []} areaNames={areaNames} />
      ) : null}
    </>
  );
}
