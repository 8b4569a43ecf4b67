import { useEffect } from 'react';
import type { FeatureCollection } from 'geojson';
import type { Bbox } from './geometry';
import type { OfferPoint } from './layers/offer-layers';
import { OfferMapController, type OfferMapLocale, type OfferMapView } from './offer-map-controller';
import { baseMapOptions, logMapError, MapContainer, useMapController } from './use-map-controller';

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
  const { containerRef, controllerRef, webglAvailable } = useMapController(
    (container) =>
      new OfferMapController({
        ...baseMapOptions(container, props),
        compact: props.compact ?? false,
        // The first view is reported during construction, before the callbacks effect runs.
        ...(props.onViewChange ? { onViewChange: props.onViewChange } : {}),
        onError: logMapError,
      }),
    locale,
  );

  useEffect(() => {
    controllerRef.current?.setCallbacks({
      ...(onOfferClick ? { onOfferClick } : {}),
      ...(onViewChange ? { onViewChange } : {}),
      onError: logMapError,
    });
  }, [controllerRef, onOfferClick, onViewChange]);
  useEffect(() => controllerRef.current?.setContextStreets(contextStreets), [controllerRef, contextStreets]);
  useEffect(() => controllerRef.current?.setResults(points, origin), [controllerRef, points, origin]);
  useEffect(() => controllerRef.current?.setContextAreas(contextAreas), [controllerRef, contextAreas]);
  useEffect(() => controllerRef.current?.setSelected(selectedId, revealSelected), [controllerRef, selectedId, revealSelected]);

  return <MapContainer {...{ webglAvailable, containerRef }} unavailableMessage={props.unavailableMessage} className={props.className} />;
}
