import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../components/ui/error-message';
import { StatusMessage } from '../components/ui/status-message';
import { useConfig } from '../features/app-config/api/get-config';
import { AreaExplorer } from '../features/areas/components/area-explorer';
import { isValidBbox } from '../map/geometry';

// Joins the city configuration (bbox, basemap, attributions) with the areas feature.
export function CityAreaExplorer() {
  const { t } = useTranslation();
  const configQuery = useConfig();
  if (configQuery.isPending) return <StatusMessage>{t('status.loading')}</StatusMessage>;
  if (configQuery.isError) {
    return <ErrorMessage error={configQuery.error} onRetry={() => void configQuery.refetch()} />;
  }
  const config = configQuery.data;
  if (!isValidBbox(config.city.bbox)) {
    return <ErrorMessage error={new Error('Invalid city bbox in /api/config')} />;
  }
  return (
    <AreaExplorer
      // A new basemap needs a new map instance.
      key={config.basemapStyleUrl ?? 'offline'}
      cityName={config.city.name}
      cityBounds={config.city.bbox}
      basemapStyleUrl={config.basemapStyleUrl}
      dataAttributions={config.attributions.map((item) => item.attribution)}
    />
  );
}
