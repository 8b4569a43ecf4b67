import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import type { FeatureCollection } from 'geojson';
import { ErrorMessage } from '../../components/ui/error-message';
import { PageHeader } from '../../components/ui/page-header';
import { StatusMessage } from '../../components/ui/status-message';
import { paths } from '../../config/paths';
import { useConfig } from '../../features/app-config/api/get-config';
import { useAreas } from '../../features/areas/api/get-areas';
import { useSignedInUser } from '../../features/auth/components/require-session';
import { useOffer } from '../../features/offers-admin/api/get-offer';
import { useTaxonomies } from '../../features/offers-admin/api/get-taxonomies';
import { OfferEditor } from '../../features/offers-admin/components/offer-editor';
import type { MapSettings } from '../../features/offers-admin/components/location-section';
import { canCreateOffers } from '../../features/offers-admin/utils/permissions';
import { useDocumentTitle } from '../../lib/use-document-title';

const noAreas: FeatureCollection = { type: 'FeatureCollection', features: [] };

type EditorData =
  | { state: 'pending' }
  | { state: 'error'; error: unknown; retry: () => void }
  | { state: 'ready'; taxonomies: NonNullable<ReturnType<typeof useTaxonomies>['data']>['taxonomies']; map: MapSettings; areas: FeatureCollection };

// What the offer form needs besides the offer: the terms, the city (map view, attributions) and
// the Sozialräume. The areas are optional: without them the form works, only the area name is missing.
export function useEditorData(): EditorData {
  const configQuery = useConfig();
  const taxonomiesQuery = useTaxonomies();
  const areasQuery = useAreas('sozialraum');
  const config = configQuery.data;
  const map = useMemo<MapSettings | null>(
    () =>
      config
        ? {
            cityName: config.city.name,
            cityBounds: config.city.bbox,
            basemapStyleUrl: config.basemapStyleUrl,
            dataAttributions: config.attributions.map((item) => item.attribution),
          }
        : null,
    [config],
  );
  if (configQuery.isError) return { state: 'error', error: configQuery.error, retry: () => void configQuery.refetch() };
  if (taxonomiesQuery.isError) return { state: 'error', error: taxonomiesQuery.error, retry: () => void taxonomiesQuery.refetch() };
  if (!map || !taxonomiesQuery.data || areasQuery.isPending) return { state: 'pending' };
  return { state: 'ready', taxonomies: taxonomiesQuery.data.taxonomies, map, areas: areasQuery.data ?? noAreas };
}

export function BackToList() {
  const { t } = useTranslation();
  return (
    <p className="back-link">
      <Link to={paths.administrationOffers.href()}>{t('offersAdmin.backToList')}</Link>
    </p>
  );
}

export function AdministrationNewOfferRoute() {
  const { t } = useTranslation();
  useDocumentTitle(t('pages.administrationNewOffer.title'), t('app.name'));
  const user = useSignedInUser();
  const navigate = useNavigate();
  const data = useEditorData();
  return (
    <>
      <BackToList />
      <PageHeader title={t('pages.administrationNewOffer.title')} intro={t('pages.administrationNewOffer.intro')} />
      {!canCreateOffers(user) ? <p className="notice">{t('offersAdmin.form.readOnlyPlanner')}</p> : null}
      {canCreateOffers(user) && data.state === 'pending' ? (
        <StatusMessage>{t('status.loading')}</StatusMessage>
      ) : null}
      {data.state === 'error' ? <ErrorMessage error={data.error} onRetry={data.retry} /> : null}
      {canCreateOffers(user) && data.state === 'ready' ? (
        <OfferEditor
          offer={null}
          user={user}
          taxonomies={data.taxonomies}
          areas={data.areas}
          map={data.map}
          onCreated={(offer) =>
            void navigate(paths.administrationOffer.href(offer.id), { state: { notice: 'created' } })
          }
        />
      ) : null}
    </>
  );
}

export function AdministrationOfferRoute() {
  const { t } = useTranslation();
  const { offerId = '' } = useParams();
  const location = useLocation();
  const user = useSignedInUser();
  const offerQuery = useOffer(offerId);
  const data = useEditorData();
  const offer = offerQuery.data;
  useDocumentTitle(
    offer ? t('pages.administrationOffer.titleWithName', { name: offer.name }) : t('pages.administrationOffer.title'),
    t('app.name'),
  );
  const created = (location.state as { notice?: string } | null)?.notice === 'created';
  return (
    <>
      <BackToList />
      <PageHeader title={offer ? offer.name : t('pages.administrationOffer.title')} />
      {offerQuery.isPending || data.state === 'pending' ? <StatusMessage>{t('status.loading')}</StatusMessage> : null}
      {offerQuery.isError ? <ErrorMessage error={offerQuery.error} onRetry={() => void offerQuery.refetch()} /> : null}
      {data.state === 'error' ? <ErrorMessage error={data.error} onRetry={data.retry} /> : null}
      {offer && data.state === 'ready' ? (
        <OfferEditor
          // A different offer starts a fresh form.
          key={offer.id}
          offer={offer}
          user={user}
          taxonomies={data.taxonomies}
          areas={data.areas}
          map={data.map}
          onCreated={() => undefined}
          initialNotice={created ? t('offersAdmin.form.created') : null}
        />
      ) : null}
    </>
  );
}
