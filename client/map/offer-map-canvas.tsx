import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useRef, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import type { Bbox } from './geometry';
import { supportsWebgl } from './map-base';
import type { OfferPoint } from './layers/offer-layers';
import { OfferMapController, type OfferMapLocale, type OfferMapView } from './offer-map-controller';

export type OfferMapCanvasProps = {
  bounds: Bbox;
  // Read once, when the map is created (a new basemap needs a new map: give the component a key).
  basemapStyleUrl: string | null;
  dataAttributions: readonly string[];
  points: readonly OfferPoint[];
  origin: { lon: number; lat: number } | null;
  contextAreas: FeatureCollection;
  /** Street lines for the current view (see onViewChange); an empty collection draws none. */
  contextStreets: FeatureCollection;
  onViewChange?: (view: OfferMapView) => void;
  selectedId: string | null;
  /** True when the selection came from the list, so the map pans to it if needed. */
  revealSelected: boolean;
  onOfferClick?: (id: string) => void;
  locale: OfferMapLocale;
  unavailableMessage: string;
  compact?: boolean;
  className?: string;
};

// Thin bridge: creates the OfferMapController once and forwards prop changes to its setters.
export function OfferMapCanvas(props: OfferMapCanvasProps) {
  const { points, origin, contextAreas, contextStreets, selectedId, revealSelected, onOfferClick, onViewChange, locale } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<OfferMapController | null>(null);
  // The first view is reported during construction, before the callbacks effect runs.
  const initialViewChange = useRef(props.onViewChange);
  const [webglAvailable] = useState(supportsWebgl);
  const [initialOptions] = useState(() => ({
    bounds: props.bounds,
    locale: props.locale,
    basemapStyleUrl: props.basemapStyleUrl,
    dataAttributions: props.dataAttributions,
    compact: props.compact ?? false,
  }));

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    const controller = new OfferMapController({
      container,
      ...initialOptions,
      ...(initialViewChange.current ? { onViewChange: initialViewChange.current } : {}),
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
      ...(onOfferClick ? { onOfferClick } : {}),
      ...(onViewChange ? { onViewChange } : {}),
      onError: (error) => console.error('Map error:', error.message),
    });
  }, [onOfferClick, onViewChange]);

  useEffect(() => {
    controllerRef.current?.setContextStreets(contextStreets);
  }, [contextStreets]);

  useEffect(() => {
    controllerRef.current?.setResults(points, origin);
  }, [points, origin]);

  useEffect(() => {
    controllerRef.current?.setContextAreas(contextAreas);
  }, [contextAreas]);

  useEffect(() => {
    controllerRef.current?.setSelected(selectedId, revealSelected);
  }, [selectedId, revealSelected]);

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
