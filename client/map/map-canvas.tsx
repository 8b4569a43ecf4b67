import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useRef, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import type { Bbox } from './geometry';
import { supportsWebgl } from './map-base';
import { MapController, type MapLocale } from './map-controller';

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
    const controller = new MapController({
      container,
      ...initialOptions,
      onError: (error) => console.error('Map error:', error.message),
    });
    controllerRef.current = controller;
    return () => {
      controller.destroy();
      controllerRef.current = null;
    };
  }, [initialOptions]);

  useEffect(() => {
    controllerRef.current?.setCallbacks({
      onAreaClick,
      onError: (error) => console.error('Map error:', error.message),
    });
  }, [onAreaClick]);

  useEffect(() => {
    controllerRef.current?.setAreas(areas);
  }, [areas]);

  useEffect(() => {
    controllerRef.current?.setDistricts(districts);
  }, [districts]);

  useEffect(() => {
    controllerRef.current?.setSelectedArea(selectedAreaId);
  }, [selectedAreaId]);

  useEffect(() => {
    controllerRef.current?.setBounds(bounds);
  }, [bounds]);

  useEffect(() => {
    controllerRef.current?.setLocale(locale);
  }, [locale]);

  if (!webglAvailable) {
    return (
      <div className={`${props.className ?? ''} map-canvas map-canvas--unavailable`}>
        <p>{props.unavailableMessage}</p>
      </div>
    );
  }
  return <div ref={containerRef} className={`${props.className ?? ''} map-canvas`} />;
}
