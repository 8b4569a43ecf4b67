import { type GeoJSONSourceSpecification, type LayerSpecification, type MapMouseEvent, type MapTouchEvent } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { BaseMapController, type BaseMapOptions } from './map-base';
import { ensureExtent, labelPoints, type Bbox } from './geometry';
import {
  areaLayerIds,
  areaLayers,
  areaSourceIds,
  geoJsonSource,
  interactiveAreaLayerIds,
  selectedAreaFilter,
} from './layers/area-layers';
import {
  draggablePickerLayerIds,
  pickerLayers,
  pickerPointCollection,
  pickerSource,
  pickerSourceId,
} from './layers/picker-layers';

// The area maps (BaseMapController: the life cycle, the test hook __angebotsatlasMap and
// data-map-state are there): areas with labels and districts, a selected area, an overlay such as
// the coverage choropleth, and the location picker's draggable point.

export type { MapLocale } from './map-base';

// Extra sources and layers a feature draws over the areas (e.g. the coverage choropleth); the
// specs are plain data from map/layers/. Each layer goes below `beforeId` when that layer exists.
export type MapOverlay = {
  sources: Record<string, GeoJSONSourceSpecification>;
  layers: Array<{ layer: LayerSpecification; beforeId?: string }>;
};

export type MapControllerCallbacks = {
  onAreaClick?: (areaId: string) => void;
  // Any click on the map, with its position (what-if placement).
  onMapClick?: (position: { lon: number; lat: number }) => void;
  // The draggable point was dragged to a new place, or put in the map centre with the Enter key.
  onPointMove?: (position: { lon: number; lat: number }) => void;
  onError?: (error: { message: string }) => void;
};

export type MapControllerOptions = BaseMapOptions & MapControllerCallbacks;

const emptyCollection: FeatureCollection = { type: 'FeatureCollection', features: [] };
const fitPadding = 24;
const focusPadding = 48;

function sameBbox(a: Bbox, b: Bbox): boolean {
  return a.every((value, index) => value === b[index]);
}

export class MapController extends BaseMapController<MapControllerCallbacks> {
  private areas: FeatureCollection = emptyCollection;
  private districts: FeatureCollection = emptyCollection;
  private selectedAreaId: string | null = null;
  private bounds: Bbox;
  private overlay: MapOverlay | null = null;
  private installedOverlay: MapOverlay | null = null;
  // The location picker's point; the picker layers exist once setDraggablePoint was called.
  private point: [number, number] | null = null;
  private pointEnabled = false;
  private draggingPoint = false;

  constructor(options: MapControllerOptions) {
    const { onAreaClick, onMapClick, onPointMove, onError } = options;
    super({ ...options, padding: fitPadding }, { onAreaClick, onMapClick, onPointMove, onError }, '__angebotsatlasMap');
    this.bounds = options.bounds;
  }

  setAreas(collection: FeatureCollection): void {
    if (collection === this.areas) return;
    this.areas = collection;
    if (!this.styleReady) return;
    this.setMapState('loading');
    this.geoJsonSource(areaSourceIds.areas)?.setData(collection);
    this.geoJsonSource(areaSourceIds.areaLabels)?.setData(labelPoints(collection));
  }

  setDistricts(collection: FeatureCollection): void {
    if (collection === this.districts) return;
    this.districts = collection;
    if (!this.styleReady) return;
    this.setMapState('loading');
    this.geoJsonSource(areaSourceIds.districts)?.setData(collection);
  }

  setSelectedArea(areaId: string | null): void {
    if (areaId === this.selectedAreaId) return;
    this.selectedAreaId = areaId;
    if (!this.styleReady) return;
    this.setMapState('loading');
    this.applySelection();
  }

  setOverlay(overlay: MapOverlay | null): void {
    if (overlay === this.overlay) return;
    this.overlay = overlay;
    if (!this.styleReady) return;
    this.setMapState('loading');
    this.installOverlay();
  }

  // A point a person can drag (and, with onMapClick, place by clicking). null shows none.
  setDraggablePoint(point: [number, number] | null): void {
    const enabling = !this.pointEnabled;
    this.pointEnabled = true;
    if (!enabling && (point === this.point || (point && this.point && point[0] === this.point[0] && point[1] === this.point[1]))) {
      return;
    }
    this.point = point;
    if (!this.styleReady) return;
    this.setMapState('loading');
    if (enabling) this.installPoint();
    else this.geoJsonSource(pickerSourceId)?.setData(pickerPointCollection(point));
  }

  // Moves the view to a point found by address search, close enough to check the building.
  focusPoint(point: [number, number], zoom = 16): void {
    this.map.jumpTo({ center: point, zoom: Math.max(this.map.getZoom(), zoom) });
  }

  // The map as a PNG; the frame is read inside a render event, while its drawing buffer is intact.
  exportPng(): Promise<Blob> {
    return new Promise((resolve, reject) => {
      this.map.once('render', () => {
        this.map.getCanvas().toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The map could not be exported.'))), 'image/png');
      });
      this.map.triggerRepaint();
    });
  }

  // Shows one place chosen in a list (a gap street): closer than setBounds, and every time it is asked.
  showBounds(bounds: Bbox): void {
    this.map.fitBounds(ensureExtent(bounds, 0.002), { padding: focusPadding, maxZoom: 16, animate: false });
  }

  // Fits the view to a bbox (the city, or an area chosen in the list). maxZoom keeps some
  // surroundings visible when a small area is chosen.
  setBounds(bounds: Bbox): void {
    if (sameBbox(bounds, this.bounds)) return;
    this.bounds = bounds;
    this.map.fitBounds(ensureExtent(bounds), { padding: focusPadding, maxZoom: 13, animate: false });
  }

  protected override removeListeners(): void {
    this.map.off('mousedown', this.handlePointGrab);
    this.map.off('touchstart', this.handlePointGrab);
    this.map.getCanvas().removeEventListener('keydown', this.handlePointKey);
  }

  // Runs for the first style and again whenever a style replaces the previous one (basemap
  // fallback): sources and layers are (re)installed from the controller's state.
  protected installStyle(): void {
    if (!this.map.getSource(areaSourceIds.areas)) {
      this.map.addSource(areaSourceIds.areas, geoJsonSource(this.areas, this.sourceAttribution));
    }
    if (!this.map.getSource(areaSourceIds.areaLabels)) {
      this.map.addSource(areaSourceIds.areaLabels, geoJsonSource(labelPoints(this.areas)));
    }
    if (!this.map.getSource(areaSourceIds.districts)) {
      this.map.addSource(areaSourceIds.districts, geoJsonSource(this.districts));
    }
    for (const layer of areaLayers(this.selectedAreaId)) {
      if (!this.map.getLayer(layer.id)) this.map.addLayer(layer);
    }
    this.applySelection();
    this.installedOverlay = null;
    this.installOverlay();
    if (this.pointEnabled) this.installPoint();
  }

  private installPoint(): void {
    if (!this.map.getSource(pickerSourceId)) this.map.addSource(pickerSourceId, pickerSource(this.point));
    else this.geoJsonSource(pickerSourceId)?.setData(pickerPointCollection(this.point));
    for (const layer of pickerLayers()) if (!this.map.getLayer(layer.id)) this.map.addLayer(layer);
    // Registered once (off first): the style may load again after a basemap fallback.
    this.map.off('mousedown', this.handlePointGrab);
    this.map.off('touchstart', this.handlePointGrab);
    this.map.on('mousedown', this.handlePointGrab);
    this.map.on('touchstart', this.handlePointGrab);
    const canvas = this.map.getCanvas();
    canvas.removeEventListener('keydown', this.handlePointKey);
    canvas.addEventListener('keydown', this.handlePointKey);
  }

  private pointAt(event: MapMouseEvent | MapTouchEvent): boolean {
    if (!this.styleReady || !this.point || !this.map.getLayer(draggablePickerLayerIds[0])) return false;
    return this.map.queryRenderedFeatures(event.point, { layers: [...draggablePickerLayerIds] }).length > 0;
  }

  // Drag: while the pointer holds the point, the map does not pan and the point follows it;
  // the new place leaves through onPointMove when the pointer lets go.
  private readonly handlePointGrab = (event: MapMouseEvent | MapTouchEvent): void => {
    if (event.type === 'touchstart' && (event as MapTouchEvent).points.length !== 1) return;
    if (!this.pointAt(event)) return;
    event.preventDefault();
    this.draggingPoint = true;
    this.map.getCanvas().style.cursor = 'grabbing';
    const move = (moveEvent: MapMouseEvent | MapTouchEvent) => {
      this.point = [moveEvent.lngLat.lng, moveEvent.lngLat.lat];
      this.geoJsonSource(pickerSourceId)?.setData(pickerPointCollection(this.point));
    };
    const release = () => {
      this.map.off('mousemove', move);
      this.map.off('touchmove', move);
      this.draggingPoint = false;
      this.map.getCanvas().style.cursor = '';
      if (this.point) this.callbacks.onPointMove?.({ lon: this.point[0], lat: this.point[1] });
    };
    if (event.type === 'touchstart') {
      this.map.on('touchmove', move);
      this.map.once('touchend', release);
    } else {
      this.map.on('mousemove', move);
      this.map.once('mouseup', release);
    }
  };

  // Keyboard users move the map with the arrow keys and put the point in its centre with Enter.
  private readonly handlePointKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter' || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const center = this.map.getCenter();
    this.callbacks.onPointMove?.({ lon: center.lng, lat: center.lat });
  };

  private installOverlay(): void {
    const previous = this.installedOverlay;
    if (previous) {
      for (const { layer } of previous.layers) if (this.map.getLayer(layer.id)) this.map.removeLayer(layer.id);
      for (const id of Object.keys(previous.sources)) if (this.map.getSource(id)) this.map.removeSource(id);
    }
    const overlay = this.overlay;
    this.installedOverlay = overlay;
    if (!overlay) return;
    for (const [id, source] of Object.entries(overlay.sources)) {
      if (!this.map.getSource(id)) this.map.addSource(id, source);
    }
    for (const { layer, beforeId } of overlay.layers) {
      if (!this.map.getLayer(layer.id)) this.map.addLayer(layer, beforeId && this.map.getLayer(beforeId) ? beforeId : undefined);
    }
  }

  private applySelection(): void {
    const filter = selectedAreaFilter(this.selectedAreaId);
    this.map.setFilter(areaLayerIds.selectedFill, filter);
    this.map.setFilter(areaLayerIds.selectedOutline, filter);
  }

  private areaIdAt(event: MapMouseEvent): string | null {
    if (!this.styleReady) return null;
    const [feature] = this.map.queryRenderedFeatures(event.point, {
      layers: [...interactiveAreaLayerIds],
    });
    const id: unknown = feature?.properties?.id ?? feature?.id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  }

  protected onClick(event: MapMouseEvent): void {
    const areaId = this.areaIdAt(event);
    if (areaId) this.callbacks.onAreaClick?.(areaId);
    this.callbacks.onMapClick?.({ lon: event.lngLat.lng, lat: event.lngLat.lat });
  }

  protected onMouseMove(event: MapMouseEvent): void {
    if (this.draggingPoint) return;
    if (this.pointEnabled) {
      this.map.getCanvas().style.cursor = this.pointAt(event) ? 'grab' : 'crosshair';
      return;
    }
    this.map.getCanvas().style.cursor = this.areaIdAt(event) ? 'pointer' : '';
  }
}
