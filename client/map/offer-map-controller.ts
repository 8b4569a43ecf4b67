import { LngLatBounds, type GeoJSONSource, type Map as MapLibreMap, type MapMouseEvent } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { attributionText } from './attribution';
import { createBasemapFallback, createMap, MapControls, sameLocale, type MapLocale } from './map-base';
import { ensureExtent, labelPoints, type Bbox } from './geometry';
import {
  interactiveOfferLayerIds,
  offerFeatures,
  offerLayerIds,
  offerLayers,
  offerSourceIds,
  originFeatures,
  pointSource,
  selectedOfferFilter,
  type OfferPoint,
} from './layers/offer-layers';

// The offers map, kept outside React like MapController: created once, setters skip identical
// input and wait for the style, events leave through callbacks, destroy() cleans up.
// Browser tests set window.__angebotsatlasTestHooks before load to reach the instance as
// window.__angebotsatlasOfferMap; the container carries data-map-state="loading" | "ready".
declare global {
  interface Window {
    __angebotsatlasOfferMap?: MapLibreMap;
  }
}

export type OfferMapLocale = MapLocale;

export type OfferMapView = { bbox: Bbox; zoom: number };

export type OfferMapCallbacks = {
  onOfferClick?: (id: string) => void;
  /** After every move: the visible box and zoom (the street layer is loaded for it). */
  onViewChange?: (view: OfferMapView) => void;
  onError?: (error: { message: string }) => void;
};

export type OfferMapOptions = {
  container: HTMLElement;
  bounds: Bbox;
  locale: OfferMapLocale;
  basemapStyleUrl: string | null;
  dataAttributions: readonly string[];
  /** A small map on a detail page: no controls beyond zoom, no pointer cursor. */
  compact?: boolean;
} & OfferMapCallbacks;

const emptyCollection: FeatureCollection = { type: 'FeatureCollection', features: [] };
const fitPadding = 48;

function sameOrigin(a: { lon: number; lat: number } | null, b: { lon: number; lat: number } | null): boolean {
  return a === b || (a !== null && b !== null && a.lon === b.lon && a.lat === b.lat);
}

function samePoints(a: readonly OfferPoint[], b: readonly OfferPoint[]): boolean {
  return (
    a.length === b.length &&
    a.every((point, index) => {
      const other = b[index]!;
      return point.id === other.id && point.rank === other.rank && point.lon === other.lon && point.lat === other.lat;
    })
  );
}

export class OfferMapController {
  private readonly map: MapLibreMap;
  private readonly container: HTMLElement;
  private readonly sourceAttribution: string;
  private readonly compact: boolean;
  private readonly controls: MapControls;
  private readonly fallBackToOfflineStyle: (error: unknown, styleReady: boolean) => boolean;
  private callbacks: OfferMapCallbacks;
  private styleReady = false;
  private points: readonly OfferPoint[] = [];
  private origin: { lon: number; lat: number } | null = null;
  private contextAreas: FeatureCollection = emptyCollection;
  private contextStreets: FeatureCollection = emptyCollection;
  private selectedId: string | null = null;
  private locale: OfferMapLocale;
  private destroyed = false;

  constructor(options: OfferMapOptions) {
    this.container = options.container;
    this.sourceAttribution = attributionText(options.dataAttributions);
    this.compact = options.compact ?? false;
    this.callbacks = { onOfferClick: options.onOfferClick, onViewChange: options.onViewChange, onError: options.onError };
    this.locale = options.locale;
    this.setMapState('loading');
    // A one-finger drag on a phone scrolls the page past a small map instead of trapping it.
    this.map = createMap({ ...options, padding: fitPadding, cooperativeGestures: this.compact });
    this.controls = new MapControls(this.map);
    this.fallBackToOfflineStyle = createBasemapFallback(this.map, options.basemapStyleUrl);
    this.map.on('style.load', this.handleStyleLoad);
    this.map.on('click', this.handleClick);
    this.map.on('mousemove', this.handleMouseMove);
    this.map.on('idle', this.handleIdle);
    this.map.on('error', this.handleError);
    this.map.on('moveend', this.handleMoveEnd);
    this.map.once('load', this.controls.collapseAttribution);
    if (window.__angebotsatlasTestHooks) window.__angebotsatlasOfferMap = this.map;
  }

  setCallbacks(callbacks: OfferMapCallbacks): void {
    this.callbacks = callbacks;
  }

  /** New results: draws them and fits the view to the origin and the results. */
  setResults(points: readonly OfferPoint[], origin: { lon: number; lat: number } | null): void {
    if (samePoints(points, this.points) && sameOrigin(origin, this.origin)) return;
    this.points = points;
    this.origin = origin;
    if (!this.styleReady) return;
    this.setMapState('loading');
    this.source(offerSourceIds.offers)?.setData(offerFeatures(points));
    this.source(offerSourceIds.origin)?.setData(originFeatures(origin));
    this.fitToContent();
  }

  setContextAreas(collection: FeatureCollection): void {
    if (collection === this.contextAreas) return;
    this.contextAreas = collection;
    if (!this.styleReady) return;
    this.setMapState('loading');
    this.source(offerSourceIds.contextAreas)?.setData(collection);
    this.source(offerSourceIds.contextLabels)?.setData(labelPoints(collection));
  }

  setContextStreets(collection: FeatureCollection): void {
    if (collection === this.contextStreets) return;
    this.contextStreets = collection;
    if (!this.styleReady) return;
    this.setMapState('loading');
    this.source(offerSourceIds.contextStreets)?.setData(collection);
  }

  /** Highlights one offer; `reveal` pans to it when it lies outside the view (a choice in the list). */
  setSelected(id: string | null, reveal: boolean): void {
    if (id === this.selectedId) return;
    this.selectedId = id;
    if (!this.styleReady) return;
    this.setMapState('loading');
    this.map.setFilter(offerLayerIds.selected, selectedOfferFilter(id));
    const point = this.points.find((candidate) => candidate.id === id);
    if (reveal && point && !this.map.getBounds().contains([point.lon, point.lat])) {
      this.map.easeTo({ center: [point.lon, point.lat], duration: this.reducedMotion() ? 0 : 400 });
    }
  }

  setLocale(locale: OfferMapLocale): void {
    if (sameLocale(locale, this.locale)) return;
    this.locale = locale;
    this.controls.setLocale(locale);
    this.map.once('idle', this.controls.collapseAttribution);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.map.off('style.load', this.handleStyleLoad);
    this.map.off('click', this.handleClick);
    this.map.off('mousemove', this.handleMouseMove);
    this.map.off('idle', this.handleIdle);
    this.map.off('error', this.handleError);
    this.map.off('moveend', this.handleMoveEnd);
    if (window.__angebotsatlasOfferMap === this.map) delete window.__angebotsatlasOfferMap;
    this.map.remove();
    delete this.container.dataset.mapState;
  }

  private reducedMotion(): boolean {
    return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  }

  private fitToContent(): void {
    const positions: Array<[number, number]> = this.points.map((point) => [point.lon, point.lat]);
    if (this.origin) positions.push([this.origin.lon, this.origin.lat]);
    if (positions.length === 0) return;
    const bounds = positions.reduce((box, position) => box.extend(position), new LngLatBounds(positions[0], positions[0]));
    const box: Bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()];
    this.map.fitBounds(ensureExtent(box, 0.004), { padding: fitPadding, maxZoom: 16, animate: false });
  }

  private source(id: string): GeoJSONSource | undefined {
    return this.map.getSource<GeoJSONSource>(id);
  }

  private readonly handleStyleLoad = (): void => {
    this.styleReady = true;
    this.setMapState('loading');
    const attribution = this.sourceAttribution || undefined;
    const sources: Array<[string, FeatureCollection, string | undefined]> = [
      [offerSourceIds.contextAreas, this.contextAreas, attribution],
      [offerSourceIds.contextLabels, labelPoints(this.contextAreas), undefined],
      [offerSourceIds.contextStreets, this.contextStreets, undefined],
      [offerSourceIds.origin, originFeatures(this.origin), undefined],
      [offerSourceIds.offers, offerFeatures(this.points), undefined],
    ];
    for (const [id, data, sourceAttribution] of sources) {
      if (!this.map.getSource(id)) this.map.addSource(id, pointSource(data, sourceAttribution));
    }
    for (const layer of offerLayers(this.selectedId)) {
      if (!this.map.getLayer(layer.id)) this.map.addLayer(layer);
    }
    this.map.setFilter(offerLayerIds.selected, selectedOfferFilter(this.selectedId));
    this.fitToContent();
    this.handleMoveEnd();
  };

  private readonly handleMoveEnd = (): void => {
    const bounds = this.map.getBounds();
    this.callbacks.onViewChange?.({
      bbox: [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()],
      zoom: this.map.getZoom(),
    });
  };

  private offerIdAt(event: MapMouseEvent): string | null {
    if (!this.styleReady) return null;
    const [feature] = this.map.queryRenderedFeatures(event.point, { layers: [...interactiveOfferLayerIds] });
    const id: unknown = feature?.properties?.id;
    return typeof id === 'string' ? id : null;
  }

  private readonly handleClick = (event: MapMouseEvent): void => {
    const id = this.offerIdAt(event);
    if (id) this.callbacks.onOfferClick?.(id);
  };

  private readonly handleMouseMove = (event: MapMouseEvent): void => {
    if (this.compact) return;
    this.map.getCanvas().style.cursor = this.offerIdAt(event) ? 'pointer' : '';
  };

  private readonly handleIdle = (): void => {
    if (this.styleReady) this.setMapState('ready');
  };

  private readonly handleError = (event: { error: { message: string } }): void => {
    if (!this.fallBackToOfflineStyle(event.error, this.styleReady)) this.callbacks.onError?.(event.error);
  };

  private setMapState(state: 'loading' | 'ready'): void {
    this.container.dataset.mapState = state;
  }
}
