import { useTranslation } from 'react-i18next';
import { useLocation, useParams } from 'react-router';
import { useConfig } from '../../features/app-config/api/get-config';
import { OfferDetailPage } from '../../features/offer-detail/components/offer-detail-page';

// One offer for citizens. The result list passes its query string in the link state, so that
// "back to the results" returns to the same list, page and selection.
export function OfferDetailRoute() {
  const { t } = useTranslation();
  const { offerId = '' } = useParams();
  const location = useLocation();
  const configQuery = useConfig();
  const state = location.state as { search?: unknown } | null;
  const backSearch = typeof state?.search === 'string' ? state.search : null;
  return (
    <OfferDetailPage
      key={offerId}
      offerId={offerId}
      backSearch={backSearch}
      appName={t('app.name')}
      basemapStyleUrl={configQuery.data?.basemapStyleUrl ?? null}
      dataAttributions={configQuery.data?.attributions.map((item) => item.attribution) ?? []}
      recordSources={configQuery.data?.recordSources ?? []}
      cityContact={configQuery.data?.city.contact ?? null}
    />
  );
}
