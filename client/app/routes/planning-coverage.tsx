import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ui/error-message';
import { PageHeader } from '../../components/ui/page-header';
import { StatusMessage } from '../../components/ui/status-message';
import { useConfig } from '../../features/app-config/api/get-config';
import { useAreas } from '../../features/areas/api/get-areas';
import { CoverageExplorer } from '../../features/coverage/components/coverage-explorer';
import { isValidBbox } from '../../map/geometry';
import type { MapLocale } from '../../map/map-controller';
import { useDocumentTitle } from '../../lib/use-document-title';

// Planung › Versorgung: joins the city configuration and the area geometry with the coverage feature.
export function PlanningCoverageRoute() {
  const { t } = useTranslation();
  useDocumentTitle(t('coverage.heading'), t('app.name'));
  const configQuery = useConfig();
  const areasQuery = useAreas('sozialraum');
  const districtsQuery = useAreas('district');
  const areaSetsQuery = useAreas('area_set');
  const cityName = configQuery.data?.city.name ?? '';
  const locale = useMemo<MapLocale>(
    () => ({
      mapLabel: t('map.labelWithCity', { city: cityName }),
      zoomIn: t('map.zoomIn'),
      zoomOut: t('map.zoomOut'),
      resetBearing: t('map.resetBearing'),
      toggleAttribution: t('map.toggleAttribution'),
    }),
    [t, cityName],
  );
  const header = <PageHeader title={t('coverage.heading')} intro={t('coverage.intro')} />;
  if (configQuery.isPending || areasQuery.isPending) return <>{header}<StatusMessage>{t('status.loading')}</StatusMessage></>;
  if (configQuery.isError) return <>{header}<ErrorMessage error={configQuery.error} onRetry={() => void configQuery.refetch()} /></>;
  if (areasQuery.isError) return <>{header}<ErrorMessage error={areasQuery.error} onRetry={() => void areasQuery.refetch()} /></>;
  const config = configQuery.data;
  if (!isValidBbox(config.city.bbox)) return <>{header}<ErrorMessage error={new Error('Invalid city bbox in /api/config')} /></>;
  return (
    <>
      {header}
      <CoverageExplorer
        key={config.basemapStyleUrl ?? 'offline'}
        cityName={config.city.name}
        cityBounds={config.city.bbox}
        basemapStyleUrl={config.basemapStyleUrl}
        dataAttributions={config.attributions.map((item) => item.attribution)}
        areas={areasQuery.data}
        districts={districtsQuery.data ?? { type: 'FeatureCollection', features: [] }}
        areaSets={areaSetsQuery.data ?? null}
        mapLocale={locale}
      />
    </>
  );
}
