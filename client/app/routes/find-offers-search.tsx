import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { paths } from '../../config/paths';
import { ErrorMessage } from '../../components/ui/error-message';
import { PageHeader } from '../../components/ui/page-header';
import { StatusMessage } from '../../components/ui/status-message';
import { useConfig } from '../../features/app-config/api/get-config';
import { FindOffersPage } from '../../features/search/components/find-offers-page';
import { useDocumentTitle } from '../../lib/use-document-title';
import { isValidBbox } from '../../map/geometry';

// Angebote finden: the citizens' search (address, filters, list and map) with the city's map settings.
export function FindOffersSearchRoute() {
  const { t } = useTranslation();
  const { t: searchT } = useTranslation(undefined, { keyPrefix: 'search' });
  useDocumentTitle(t('pages.findOffers.title'), t('app.name'));
  const configQuery = useConfig();
  return (
    <>
      <PageHeader title={t('pages.findOffers.title')} intro={searchT('page.intro')} />
      {configQuery.isPending ? <StatusMessage>{t('status.loading')}</StatusMessage> : null}
      {configQuery.isError ? <ErrorMessage error={configQuery.error} onRetry={() => void configQuery.refetch()} /> : null}
      {configQuery.data && isValidBbox(configQuery.data.city.bbox) ? (
        <FindOffersPage
          cityName={configQuery.data.city.name}
          cityBounds={configQuery.data.city.bbox}
          basemapStyleUrl={configQuery.data.basemapStyleUrl}
          dataAttributions={configQuery.data.attributions.map((item) => item.attribution)}
          contact={configQuery.data.city.contact}
          recordSources={configQuery.data.recordSources}
        />
      ) : null}
    </>
  );
}

/** Shared links from before the search became the home page keep working. */
export function LegacySearchRedirect() {
  const location = useLocation();
  return <Navigate replace to={paths.offerSearch.href(location.search)} />;
}
