import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FeatureCollection } from 'geojson';
import { ErrorMessage } from '../../../components/ui/error-message';
import { StatusMessage } from '../../../components/ui/status-message';
import { searchParameterNames } from '../../../config/paths';
import { useQueryString, withParameters } from '../../../lib/use-query-string';
import { bboxOfGeometry, type Bbox } from '../../../map/geometry';
import type { MapLocale } from '../../../map/map-controller';
import { useAreas } from '../api/get-areas';
import { toAreaRows } from '../utils/area-rows';
import { AreaTable } from './area-table';

type AreaExplorerProps = {
  cityName: string;
  cityBounds: Bbox;
  basemapStyleUrl: string | null;
  dataAttributions: readonly string[];
};

const emptyCollection: FeatureCollection = { type: 'FeatureCollection', features: [] };

// MapLibre is most of the bundle; pages without a map (and the table) do not wait for it.
const MapCanvas = lazy(() => import('../../../map/map-canvas').then((module) => ({ default: module.MapCanvas })));

// The Sozialraum map and its equivalent table; the selected area lives in the URL (?area=<id>).
export function AreaExplorer({ cityName, cityBounds, basemapStyleUrl, dataAttributions }: AreaExplorerProps) {
  const { t } = useTranslation();
  const areasQuery = useAreas('sozialraum');
  const districtsQuery = useAreas('district');
  const [searchParams, changeQueryString] = useQueryString();
  const selectedAreaId = searchParams.get(searchParameterNames.selectedArea);
  // Only a choice in the table moves the map; a click on the map must not pull the view away.
  const [focusBounds, setFocusBounds] = useState<Bbox | null>(null);

  const areas = areasQuery.data;
  const rows = useMemo(() => (areas ? toAreaRows(areas) : []), [areas]);
  const selectedRow = rows.find((row) => row.id === selectedAreaId) ?? null;

  const updateSelection = useCallback(
    (areaId: string | null) => {
      changeQueryString((previous) => withParameters(previous, { [searchParameterNames.selectedArea]: areaId }), { replace: true });
    },
    [changeQueryString],
  );

  const handleMapClick = useCallback((areaId: string) => updateSelection(areaId), [updateSelection]);

  const handleTableSelect = useCallback(
    (areaId: string | null) => {
      const feature = areaId ? areas?.features.find((item) => String(item.properties.id) === areaId) : undefined;
      setFocusBounds(feature ? bboxOfGeometry(feature.geometry) : null);
      updateSelection(areaId);
    },
    [areas, updateSelection],
  );

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

  return (
    <section className="area-explorer" aria-labelledby="area-explorer-heading">
      <h2 id="area-explorer-heading">{t('areas.heading')}</h2>
      <div className="area-explorer__layout">
        <div className="area-explorer__map">
          <Suspense fallback={<div className="map-canvas" />}>
            <MapCanvas
            className="area-explorer__canvas"
            bounds={focusBounds ?? cityBounds}
            basemapStyleUrl={basemapStyleUrl}
            dataAttributions={dataAttributions}
            areas={areas ?? emptyCollection}
            districts={districtsQuery.data ?? emptyCollection}
            selectedAreaId={selectedAreaId}
            onAreaClick={handleMapClick}
            locale={locale}
            unavailableMessage={t('map.unavailable')}
            />
          </Suspense>
          <p className="area-explorer__hint">{t('map.keyboardHint')}</p>
        </div>
        <div className="area-explorer__list">
          {areasQuery.isPending ? <StatusMessage>{t('areas.loading')}</StatusMessage> : null}
          {areasQuery.isError ? (
            <ErrorMessage error={areasQuery.error} onRetry={() => void areasQuery.refetch()} />
          ) : null}
          {areasQuery.isSuccess && rows.length === 0 ? <p>{t('areas.empty')}</p> : null}
          {rows.length > 0 ? (
            <AreaTable rows={rows} selectedAreaId={selectedAreaId} onSelect={handleTableSelect} />
          ) : null}
          {selectedRow ? (
            <button type="button" className="button button--secondary" onClick={() => handleTableSelect(null)}>
              {t('areas.clearSelection')}
            </button>
          ) : null}
        </div>
      </div>
      <p className="visually-hidden" role="status">
        {selectedRow ? t('areas.selectedAnnouncement', { name: selectedRow.name }) : ''}
      </p>
    </section>
  );
}
