import { LngLatBounds, type GeoJSONSourceSpecification, type MapMouseEvent, type VectorTileSource } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { BaseMapController, type BaseMapOptions, type MapLocale } from './map-base';
import { ensureExtent, labelPoints, type Bbox } from './geometry';
import {
  interactiveOfferLayerIds,
  interactiveOfferTileLayerIds,
  offerFeatures,
  offerTileLayerIds,
  offerTileLayers,
  offerTileSource,
  offerTileSourceId,
  offerTileUrl,
  offerLayerIds,
  offerLayers,
  offerSourceIds,
  originFeatures,
  streetTileSource,
  orientationSource,
  pointSource,
  selectedOfferFilter,
  type OfferPoint,
} from './layers/offer-layers';

// The offers map (BaseMapController: the life cycle, the test hook __angebotsatlasOfferMap and
// data-map-state are there): results with their origin, the selected offer, areas and streets
// for orientation.

export type OfferMapLocale = MapLocale;

export type OfferMapCallbacks = {
  onOfferClick?: (id: string) => void;
  /** A click on an offer of the tile layer (every public offer): its location and offer ids. */
  onTileOfferClick?: (offer: { id: string; offerId: string }) => void;
  onError?: (error: { message: string }) => void;
};

export type OfferMapOptions = BaseMapOptions & {
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

export class OfferMapController extends BaseMapController<OfferMapCallbacks> {
  private readonly compact: boolean;
  private points: readonly OfferPoint[] = [];
  private origin: { lon: number; lat: number } | null = null;
  private contextAreas: FeatureCollection = emptyCollection;
  private selectedId: string | null = null;
  /** The citizens' filters as the tiles take them; null: no tile layer (the detail page's map). */
  private tileQuery: string | null = null;

  constructor(options: OfferMapOptions) {
    const { onOfferClick, onTileOfferClick, onError } = options;
    // A one-finger drag on a phone scrolls the page past a small map instead of trapping it.
    const compact = options.compact ?? false;
    super({ ...options, padding: fitPadding, cooperativeGestures: compact }, { onOfferClick, onTileOfferClick, onError }, '__angebotsatlasOfferMap');
    this.compact = compact;
  }

  /** New results: draws them and fits the view to the origin and the results. */
  setResults(points: readonly OfferPoint[], origin: { lon: number; lat: number } | null): void {
    if (samePoints(points, this.points) && sameOrigin(origin, this.origin)) return;
    this.points = points;
    this.origin = origin;
    if (!this.styleReady) return;
    this.setMapState('loading');
    this.geoJsonSource(offerSourceIds.offers)?.setData(offerFeatures(points));
    this.geoJsonSource(offerSourceIds.origin)?.setData(originFeatures(origin));
    this.fitToContent();
  }

  /**
   * Every public offer of the region that matches the filters, from the vector tiles (clusters
   * below zoom 14), under the numbered results; null removes nothing but draws no tiles.
   */
  setTileQuery(query: string | null): void {
    if (query === this.tileQuery) return;
    this.tileQuery = query;
    if (!this.styleReady) return;
    this.installTiles();
  }

  /** The map's role and the element that explains it, for screen readers (the list is the equivalent). */
  setDescription(roleDescription: string, describedById: string | null): void {
    const canvas = this.map.getCanvas();
    canvas.setAttribute('aria-roledescription', roleDescription);
    if (describedById) canvas.setAttribute('aria-describedby', describedById);
    else canvas.removeAttribute('aria-describedby');
  }

  private installTiles(): void {
    if (this.tileQuery === null) return;
    const url = offerTileUrl(window.location.origin, this.tileQuery);
    const source = this.map.getSource(offerTileSourceId) as VectorTileSource | undefined;
    if (source) {
      this.setMapState('loading');
      source.setTiles([url]);
      return;
    }
    this.map.addSource(offerTileSourceId, offerTileSource(url));
    // Below the numbered results and the origin, above the streets and area outlines.
    const below = this.map.getLayer(offerLayerIds.origin) ? offerLayerIds.origin : undefined;
    for (const layer of offerTileLayers()) {
      if (!this.map.getLayer(layer.id)) this.map.addLayer(layer, below);
    }
  }

  setContextAreas(collection: FeatureCollection): void {
    if (collection === this.contextAreas) return;
    this.contextAreas = collection;
    if (!this.styleReady) return;
    this.setMapState('loading');
    this.geoJsonSource(offerSourceIds.contextAreas)?.setData(collection);
    this.geoJsonSource(offerSourceIds.contextLabels)?.setData(labelPoints(collection));
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

  protected installStyle(): void {
    const sources: Array<[string, GeoJSONSourceSpecification]> = [
      [offerSourceIds.contextAreas, orientationSource(this.contextAreas, this.sourceAttribution)],
      [offerSourceIds.contextLabels, pointSource(labelPoints(this.contextAreas))],
      [offerSourceIds.origin, pointSource(originFeatures(this.origin))],
      [offerSourceIds.offers, pointSource(offerFeatures(this.points))],
    ];
    for (const [id, source] of sources) {
      if (!this.map.getSource(id)) this.map.addSource(id, source);
    }
    // Streets as vector tiles: MapLibre's worker reads them. Handed to the page as GeoJSON, the
    // lines of a view cost it 50–70 ms after each pan (a long task in the browser test).
    if (!this.map.getSource(offerSourceIds.contextStreets)) this.map.addSource(offerSourceIds.contextStreets, streetTileSource(window.location.origin));
    for (const layer of offerLayers(this.selectedId)) {
      if (!this.map.getLayer(layer.id)) this.map.addLayer(layer);
    }
    this.map.setFilter(offerLayerIds.selected, selectedOfferFilter(this.selectedId));
    this.installTiles();
    this.fitToContent();
  }

  private offerIdAt(event: MapMouseEvent): string | null {
    if (!this.styleReady) return null;
    const [feature] = this.map.queryRenderedFeatures(event.point, { layers: [...interactiveOfferLayerIds] });
    const id: unknown = feature?.properties?.id;
    return typeof id === 'string' ? id : null;
  }

  private tileFeatureAt(event: MapMouseEvent) {
    if (!this.styleReady || this.tileQuery === null || !this.map.getSource(offerTileSourceId)) return undefined;
    return this.map.queryRenderedFeatures(event.point, { layers: [...interactiveOfferTileLayerIds] })[0];
  }

  protected onClick(event: MapMouseEvent): void {
    const id = this.offerIdAt(event);
    if (id) {
      this.callbacks.onOfferClick?.(id);
      return;
    }
    const feature = this.tileFeatureAt(event);
    if (!feature) return;
    const properties = feature.properties ?? {};
    if (feature.layer.id !== offerTileLayerIds.points) {
      // A cluster: closer, around it (its offers come apart from zoom 14).
      const target = Math.min(Math.max(this.map.getZoom() + 2, 0), 14);
      this.map.easeTo({ center: event.lngLat, zoom: target, duration: this.reducedMotion() ? 0 : 400 });
      return;
    }
    if (typeof properties.id === 'string' && typeof properties.offerId === 'string') {
      this.callbacks.onTileOfferClick?.({ id: properties.id, offerId: properties.offerId });
    }
  }

  protected onMouseMove(event: MapMouseEvent): void {
    if (this.compact) return;
    this.map.getCanvas().style.cursor = this.offerIdAt(event) || this.tileFeatureAt(event) ? 'pointer' : '';
  }
}
