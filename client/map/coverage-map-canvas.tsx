import { useEffect } from 'react';
import type { FeatureCollection } from 'geojson';
import type { Bbox } from './geometry';
import { MapController, type MapLocale, type MapOverlay } from './map-controller';
import { baseMapOptions, logMapError, MapContainer, useMapController } from './use-map-controller';

export type CoverageMapHandle = { exportPng(): Promise<Blob>; showBounds(bounds: Bbox): void };

export type CoverageMapCanvasProps = {
  bounds: Bbox;
  basemapStyleUrl: string | null;
  dataAttributions: readonly string[];
  areas: FeatureCollection;
  districts: FeatureCollection;
  selectedAreaId: string | null;
  overlay: MapOverlay | null;
  onAreaClick: (areaId: string) => void;
  onMapClick: (position: { lon: number; lat: number }) => void;
  // Receives the export handle once the map exists (and null when it goes).
  onReady: (handle: CoverageMapHandle | null) => void;
  locale: MapLocale;
  unavailableMessage: string;
  className?: string;
};

// Thin bridge for the planning map: the shared MapController with the coverage overlay.
export function CoverageMapCanvas(props: CoverageMapCanvasProps) {
  const { areas, districts, selectedAreaId, overlay, onAreaClick, onMapClick, onReady, bounds, locale } = props;
  const { containerRef, controllerRef, webglAvailable } = useMapController(
    (container) => new MapController(baseMapOptions(container, props)),
    locale,
  );

  useEffect(() => {
    const controller = controllerRef.current;
    onReady(controller ? { exportPng: () => controller.exportPng(), showBounds: (box) => controller.showBounds(box) } : null);
    return () => onReady(null);
  }, [controllerRef, onReady]);

  useEffect(() => {
    controllerRef.current?.setCallbacks({ onAreaClick, onMapClick, onError: logMapError });
  }, [controllerRef, onAreaClick, onMapClick]);
  useEffect(() => controllerRef.current?.setAreas(areas), [controllerRef, areas]);
  useEffect(() => controllerRef.current?.setDistricts(districts), [controllerRef, districts]);
  useEffect(() => controllerRef.current?.setSelectedArea(selectedAreaId), [controllerRef, selectedAreaId]);
  useEffect(() => controllerRef.current?.setOverlay(overlay), [controllerRef, overlay]);
  useEffect(() => controllerRef.current?.setBounds(bounds), [controllerRef, bounds]);

  return <MapContainer {...{ webglAvailable, containerRef }} unavailableMessage={props.unavailableMessage} className={props.className} />;
}
