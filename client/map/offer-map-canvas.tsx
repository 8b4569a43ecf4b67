import { useEffect } from 'react';
import type { FeatureCollection } from 'geojson';
import type { Bbox } from './geometry';
import type { OfferPoint } from './layers/offer-layers';
import { OfferMapController, type OfferMapLocale } from './offer-map-controller';
import { baseMapOptions, logMapError, MapContainer, useMapController } from './use-map-controller';

export type OfferMapCanvasProps = {
  bounds: Bbox;
  // Read once, when the map is created (a new basemap needs a new map: give the component a key).
  basemapStyleUrl: string | null;
  dataAttributions: readonly string[];
  points: readonly OfferPoint[];
  origin: { lon: number; lat: number } | null;
  contextAreas: FeatureCollection;
  selectedId: string | null;
  /** True when the selection came from the list, so the map pans to it if needed. */
  revealSelected: boolean;
  onOfferClick?: (id: string) => void;
  /**
   * The citizens' filters as tile query parameters: the map then shows every public offer that
   * matches, from the vector tiles. Leave out for a map of the given points only.
   */
  tileQuery?: string | null;
  onTileOfferClick?: (offer: { id: string; offerId: string }) => void;
  /** Read out with the map: what kind of thing it is, and the element that explains it. */
  roleDescription?: string;
  describedById?: string;
  locale: OfferMapLocale;
  unavailableMessage: string;
  compact?: boolean;
  className?: string;
};

// Thin bridge: creates the OfferMapController once and forwards prop changes to its setters.
export function OfferMapCanvas(props: OfferMapCanvasProps) {
  const { points, origin, contextAreas, selectedId, revealSelected, onOfferClick, onTileOfferClick, locale } = props;
  const { tileQuery = null, roleDescription, describedById } = props;
  const { containerRef, controllerRef, webglAvailable } = useMapController(
    (container) =>
      new OfferMapController({
        ...baseMapOptions(container, props),
        compact: props.compact ?? false,
        onError: logMapError,
      }),
    locale,
  );

  useEffect(() => {
    controllerRef.current?.setCallbacks({
      ...(onOfferClick ? { onOfferClick } : {}),
      ...(onTileOfferClick ? { onTileOfferClick } : {}),
      onError: logMapError,
    });
  }, [controllerRef, onOfferClick, onTileOfferClick]);
  useEffect(() => controllerRef.current?.setTileQuery(tileQuery), [controllerRef, tileQuery]);
  useEffect(() => {
    if (roleDescription) controllerRef.current?.setDescription(roleDescription, describedById ?? null);
  }, [controllerRef, roleDescription, describedById]);
  useEffect(() => controllerRef.current?.setResults(points, origin), [controllerRef, points, origin]);
  useEffect(() => controllerRef.current?.setContextAreas(contextAreas), [controllerRef, contextAreas]);
  useEffect(() => controllerRef.current?.setSelected(selectedId, revealSelected), [controllerRef, selectedId, revealSelected]);

  return <MapContainer {...{ webglAvailable, containerRef }} unavailableMessage={props.unavailableMessage} className={props.className} />;
}
