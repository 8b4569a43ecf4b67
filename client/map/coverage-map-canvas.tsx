import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useRef, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import type { Bbox } from './geometry';
import { supportsWebgl } from './map-base';
import { MapController, type MapLocale, type MapOverlay } from './map-controller';

export type CoverageMapHandle = { exportPng(): Promise<Blob> };

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
  const containerRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<MapController | null>(null);
  const [webglAvailable] = useState(supportsWebgl);
  const [initialOptions] = useState(() => ({
    bounds: props.bounds,
    locale: props.locale,
    basemapStyleUrl: props.basemapStyleUrl,
    dataAttributions: props.dataAttributions,
  }));

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    const controller = new MapController({ container, ...initialOptions });
    controllerRef.current = controller;
    return () => {
      controller.destroy();
      controllerRef.current = null;
    };
  }, [initialOptions]);

  useEffect(() => {
    const controller = controllerRef.current;
    onReady(controller ? { exportPng: () => controller.exportPng() } : null);
    return () => onReady(null);
  }, [onReady]);

  useEffect(() => {
    controllerRef.current?.setCallbacks({
      onAreaClick,
      onMapClick,
      onError: (error) => console.error('Map error:', error.message),
    });
  }, [onAreaClick, onMapClick]);

  useEffect(() => controllerRef.current?.setAreas(areas), [areas]);
  useEffect(() => controllerRef.current?.setDistricts(districts), [districts]);
  useEffect(() => controllerRef.current?.setSelectedArea(selectedAreaId), [selectedAreaId]);
  useEffect(() => controllerRef.current?.setOverlay(overlay), [overlay]);
  useEffect(() => controllerRef.current?.setBounds(bounds), [bounds]);
  useEffect(() => controllerRef.current?.setLocale(locale), [locale]);

  if (!webglAvailable) {
    return (
      <div className={`${props.className ?? ''} map-canvas map-canvas--unavailable`}>
        <p>{props.unavailableMessage}</p>
      </div>
    );
  }
  return <div ref={containerRef} className={`${props.className ?? ''} map-canvas`} />;
}
