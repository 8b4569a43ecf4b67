import { useEffect, useRef } from 'react';
import type { FeatureCollection } from 'geojson';
import type { Bbox } from './geometry';
import { MapController, type MapLocale } from './map-controller';
import { baseMapOptions, logMapError, MapContainer, useMapController } from './use-map-controller';

export type PointPickerCanvasProps = {
  // The first view; read once (give the component a key to start over).
  bounds: Bbox;
  basemapStyleUrl: string | null;
  dataAttributions: readonly string[];
  // The Sozialräume, drawn as orientation; the one holding the point is highlighted.
  areas: FeatureCollection;
  selectedAreaId: string | null;
  point: [number, number] | null;
  // Changes whenever the view should move to the point (address search, typed coordinates);
  // a click or drag on the map itself must not move the view.
  focusRequest: number;
  onPick: (position: { lon: number; lat: number }) => void;
  locale: MapLocale;
  unavailableMessage: string;
  className?: string;
};

const noDistricts: FeatureCollection = { type: 'FeatureCollection', features: [] };

// Close enough to check the building on a basemap; the offline style draws only area outlines,
// so its view stays wide enough to see the neighbouring areas.
function focusZoom(basemapStyleUrl: string | null): number {
  return basemapStyleUrl ? 16 : 14;
}

// Thin bridge for the offer form's location picker: the shared MapController with its
// draggable point. Click places the point, dragging moves it, Enter puts it in the map centre.
export function PointPickerCanvas(props: PointPickerCanvasProps) {
  const { areas, selectedAreaId, point, focusRequest, onPick, locale } = props;
  const pointRef = useRef(point);
  const zoom = focusZoom(props.basemapStyleUrl);
  const { containerRef, controllerRef, webglAvailable } = useMapController((container) => {
    const controller = new MapController({
      ...baseMapOptions(container, props),
      onError: logMapError,
    });
    controller.setDistricts(noDistricts);
    if (pointRef.current) controller.focusPoint(pointRef.current, zoom);
    return controller;
  }, locale);

  useEffect(() => {
    controllerRef.current?.setCallbacks({ onMapClick: onPick, onPointMove: onPick, onError: logMapError });
  }, [controllerRef, onPick]);

  useEffect(() => controllerRef.current?.setAreas(areas), [controllerRef, areas]);
  useEffect(() => controllerRef.current?.setSelectedArea(selectedAreaId), [controllerRef, selectedAreaId]);
  useEffect(() => {
    pointRef.current = point;
    controllerRef.current?.setDraggablePoint(point);
  }, [controllerRef, point]);
  useEffect(() => {
    if (focusRequest > 0 && pointRef.current) controllerRef.current?.focusPoint(pointRef.current, zoom);
  }, [controllerRef, focusRequest, zoom]);

  return (
    <MapContainer
      {...{ webglAvailable, containerRef }}
      unavailableMessage={props.unavailableMessage}
      className={props.className}
      modifier="map-canvas--picker"
    />
  );
}
