import { useEffect } from 'react';
import type { FeatureCollection } from 'geojson';
import type { Bbox } from './geometry';
import { MapController, type MapLocale } from './map-controller';
import { baseMapOptions, logMapError, MapContainer, useMapController } from './use-map-controller';

export type MapCanvasProps = {
  bounds: Bbox;
  // Read once, when the map is created (changing them needs a new map: give the component a key).
  basemapStyleUrl: string | null;
  dataAttributions: readonly string[];
  areas: FeatureCollection;
  districts: FeatureCollection;
  selectedAreaId: string | null;
  onAreaClick: (areaId: string) => void;
  locale: MapLocale;
  unavailableMessage: string;
  className?: string;
};

// Thin bridge: creates the MapController once and forwards prop changes to its setters.
export function MapCanvas(props: MapCanvasProps) {
  const { areas, districts, selectedAreaId, onAreaClick, bounds, locale } = props;
  const { containerRef, controllerRef, webglAvailable } = useMapController(
    (container) =>
      new MapController({
        ...baseMapOptions(container, props),
        onError: logMapError,
      }),
    locale,
  );

  useEffect(() => {
    controllerRef.current?.setCallbacks({ onAreaClick, onError: logMapError });
  }, [controllerRef, onAreaClick]);
  useEffect(() => controllerRef.current?.setAreas(areas), [controllerRef, areas]);
  useEffect(() => controllerRef.current?.setDistricts(districts), [controllerRef, districts]);
  useEffect(() => controllerRef.current?.setSelectedArea(selectedAreaId), [controllerRef, selectedAreaId]);
  useEffect(() => controllerRef.current?.setBounds(bounds), [controllerRef, bounds]);

  return <MapContainer {...{ webglAvailable, containerRef }} unavailableMessage={props.unavailableMessage} className={props.className} />;
}
