import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useRef, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import type { Bbox } from './geometry';
import { supportsWebgl } from './map-base';
import { MapController, type MapLocale } from './map-controller';

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
  const containerRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<MapController | null>(null);
  const pointRef = useRef(point);
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
    controller.setDistricts(noDistricts);
    controllerRef.current = controller;
    if (pointRef.current) controller.focusPoint(pointRef.current, focusZoom(initialOptions.basemapStyleUrl));
    return () => {
      controller.destroy();
      controllerRef.current = null;
    };
  }, [initialOptions]);

  useEffect(() => {
    controllerRef.current?.setCallbacks({
      onMapClick: onPick,
      onPointMove: onPick,
      onError: (error) => console.error('Map error:', error.message),
    });
  }, [onPick]);

  useEffect(() => {
    controllerRef.current?.setAreas(areas);
  }, [areas]);

  useEffect(() => {
    controllerRef.current?.setSelectedArea(selectedAreaId);
  }, [selectedAreaId]);

  useEffect(() => {
    pointRef.current = point;
    controllerRef.current?.setDraggablePoint(point);
  }, [point]);

  useEffect(() => {
    if (focusRequest > 0 && pointRef.current) {
      controllerRef.current?.focusPoint(pointRef.current, focusZoom(initialOptions.basemapStyleUrl));
    }
  }, [focusRequest, initialOptions]);

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
  return <div ref={containerRef} className={`${props.className ?? ''} map-canvas map-canvas--picker`} />;
}
