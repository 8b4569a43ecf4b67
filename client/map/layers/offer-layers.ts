// Layer specs for offers on the map: plain data, unit-tested, no maplibre-gl runtime import.
import type {
  ExpressionSpecification,
  FilterSpecification,
  GeoJSONSourceSpecification,
  LayerSpecification,
  VectorSourceSpecification,
} from 'maplibre-gl';
import type { Feature, FeatureCollection, Point } from 'geojson';

export const offerColors = {
  // ≥ 4.5:1 against the map background (#f3f5f7) and white, so markers and their numbers stay legible.
  marker: '#0b4f8a',
  markerText: '#ffffff',
  markerStroke: '#ffffff',
  selected: '#9a3c00',
  selectedStroke: '#1b1b1b',
  origin: '#1b1b1b',
  originStroke: '#ffffff',
  street: '#ffffff',
  streetCasing: '#c9d1da',
  streetLabel: '#3c4a59',
  contextOutline: '#7d8fa3',
  contextLabel: '#3c4a59',
  contextLabelHalo: '#ffffff',
} as const;

export const offerSourceIds = {
  offers: 'offers',
  origin: 'search-origin',
  contextAreas: 'offer-context-areas',
  contextLabels: 'offer-context-labels',
  contextStreets: 'offer-context-streets',
} as const;

export const offerLayerIds = {
  streetCasing: 'offer-street-casing',
  street: 'offer-street',
  streetLabel: 'offer-street-label',
  contextOutline: 'offer-context-outline',
  contextLabel: 'offer-context-label',
  origin: 'search-origin',
  markers: 'offer-markers',
  selected: 'offer-selected',
  numbers: 'offer-numbers',
} as const;

export const offerFonts = ['Noto Sans Medium'];

export interface OfferPoint {
  /** The service_at_location id, the same as the list item's. */
  id: string;
  name: string;
  /** 1-based position in the list, drawn on the marker so that map and list can be matched. */
  rank: number;
  lon: number;
  lat: number;
}

export function offerFeatures(points: readonly OfferPoint[]): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: points.map(
      (point): Feature<Point> => ({
        type: 'Feature',
        id: point.rank,
        geometry: { type: 'Point', coordinates: [point.lon, point.lat] },
        properties: { id: point.id, name: point.name, rank: point.rank },
      }),
    ),
  };
}

export function originFeatures(origin: { lon: number; lat: number } | null): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: origin
      ? [{ type: 'Feature', geometry: { type: 'Point', coordinates: [origin.lon, origin.lat] }, properties: {} }]
      : [],
  };
}

const offerIdExpression: ExpressionSpecification = ['to-string', ['get', 'id']];

/** Matches nothing when nothing is selected (ids are never empty). */
export function selectedOfferFilter(selectedId: string | null): FilterSpecification {
  return ['==', offerIdExpression, selectedId ?? ''];
}

export function pointSource(data: FeatureCollection, attribution?: string): GeoJSONSourceSpecification {
  return { type: 'geojson', data, ...(attribution ? { attribution } : {}) };
}

/**
 * Douglas–Peucker tolerance in screen pixels for the orientation lines (area outlines, streets).
 * MapLibre's default (0.375 px) keeps nearly every vertex of the Stadtteile (≈39,000 for Köln), and
 * each vertex is drawn again in every frame while the map pans; at 3 px a 1-px outline looks the same
 * and the frame costs a fraction (docs/benchmarks.md, "Offers map: frames while panning").
 */
export const orientationLineTolerance = 3;

/** The GeoJSON source of orientation lines: simplified harder than MapLibre's default (see above). */
export function orientationSource(data: FeatureCollection, attribution?: string): GeoJSONSourceSpecification {
  return { ...pointSource(data, attribution), tolerance: orientationLineTolerance };
}

/** Below this zoom the street layer is not drawn (and not requested). */
export const streetMinZoom = 13;
/** The street tiles' layer (server/tiles/tiles-street-lines.ts). */
const streetSourceLayer = 'streets';

/** The street tiles of the server (GET /api/tiles/streets): from zoom 13, the zoom-16 tiles scaled beyond. */
export function streetTileSource(origin: string): VectorSourceSpecification {
  return { type: 'vector', tiles: [`${origin}/api/tiles/streets/{z}/{x}/{y}.pbf`], minzoom: streetMinZoom, maxzoom: 16 };
}
/** From this zoom the streets get a casing; below it one thin line is enough (and half the drawing). */
export const streetCasingMinZoom = 15;
/**
 * Street names from this zoom: line labels are projected anew in every frame while the map moves,
 * and at zoom 15 the view holds hundreds of labelled segments (measured: the largest part of a
 * panning frame there).
 */
export const streetLabelMinZoom = 16;

export function offerLayers(selectedId: string | null): LayerSpecification[] {
  return [
    // The city's own street segments give orientation when no basemap is configured.
    // Orientation lines are cheap to draw on purpose (a software-rendered frame must stay under
    // 100 ms while panning): miter joins and butt caps (no round fans at every vertex), no dashes.
    {
      id: offerLayerIds.streetCasing,
      type: 'line',
      source: offerSourceIds.contextStreets,
      'source-layer': streetSourceLayer,
      minzoom: streetCasingMinZoom,
      layout: { 'line-join': 'miter', 'line-cap': 'butt' },
      paint: { 'line-color': offerColors.streetCasing, 'line-width': ['interpolate', ['linear'], ['zoom'], 13, 3, 17, 14] },
    },
    {
      id: offerLayerIds.street,
      type: 'line',
      source: offerSourceIds.contextStreets,
      'source-layer': streetSourceLayer,
      minzoom: streetMinZoom,
      layout: { 'line-join': 'miter', 'line-cap': 'butt' },
      // Without its casing (below zoom 15) the line takes the casing's colour to stand out from the background.
      paint: {
        'line-color': ['step', ['zoom'], offerColors.streetCasing, streetCasingMinZoom, offerColors.street],
        'line-width': ['interpolate', ['linear'], ['zoom'], 13, 1.5, 17, 11],
      },
    },
    {
      id: offerLayerIds.streetLabel,
      type: 'symbol',
      source: offerSourceIds.contextStreets,
      'source-layer': streetSourceLayer,
      minzoom: streetLabelMinZoom,
      filter: ['has', 'name'],
      layout: {
        'symbol-placement': 'line',
        'text-field': ['get', 'name'],
        'text-font': offerFonts,
        'text-size': 12,
      },
      paint: { 'text-color': offerColors.streetLabel, 'text-halo-color': offerColors.contextLabelHalo, 'text-halo-width': 1.5 },
    },
    {
      id: offerLayerIds.contextOutline,
      type: 'line',
      source: offerSourceIds.contextAreas,
      layout: { 'line-join': 'miter' },
      // Solid: a dashed line is drawn with its own, dearer shader; the grey and the thin width keep it apart from data.
      paint: { 'line-color': offerColors.contextOutline, 'line-width': 1 },
    },
    {
      id: offerLayerIds.contextLabel,
      type: 'symbol',
      source: offerSourceIds.contextLabels,
      minzoom: 11,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': offerFonts,
        'text-size': 12,
        'text-max-width': 8,
      },
      paint: {
        'text-color': offerColors.contextLabel,
        'text-halo-color': offerColors.contextLabelHalo,
        'text-halo-width': 1.5,
      },
    },
    {
      id: offerLayerIds.origin,
      type: 'circle',
      source: offerSourceIds.origin,
      paint: {
        'circle-radius': 8,
        'circle-color': offerColors.origin,
        'circle-stroke-color': offerColors.originStroke,
        'circle-stroke-width': 3,
      },
    },
    {
      id: offerLayerIds.markers,
      type: 'circle',
      source: offerSourceIds.offers,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 8, 15, 11],
        'circle-color': offerColors.marker,
        'circle-stroke-color': offerColors.markerStroke,
        'circle-stroke-width': 2,
      },
    },
    {
      // Bigger and in another colour: the selection does not rely on colour alone.
      id: offerLayerIds.selected,
      type: 'circle',
      source: offerSourceIds.offers,
      filter: selectedOfferFilter(selectedId),
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 13, 15, 16],
        'circle-color': offerColors.selected,
        'circle-stroke-color': offerColors.selectedStroke,
        'circle-stroke-width': 3,
      },
    },
    {
      id: offerLayerIds.numbers,
      type: 'symbol',
      source: offerSourceIds.offers,
      layout: {
        'text-field': ['to-string', ['get', 'rank']],
        'text-font': offerFonts,
        'text-size': ['interpolate', ['linear'], ['zoom'], 10, 10, 15, 13],
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: { 'text-color': offerColors.markerText },
    },
  ];
}

export const interactiveOfferLayerIds = [offerLayerIds.markers, offerLayerIds.selected, offerLayerIds.numbers] as const;

// ---- every public offer of the region, from the vector tiles (/api/tiles/offers) ----

export const offerTileSourceId = 'offer-tiles';
/** The layer inside the tiles (server/tiles: clusters with `count` below zoom 14, points from 14). */
export const offerTileSourceLayer = 'offers';

export const offerTileLayerIds = {
  clusters: 'offer-tile-clusters',
  clusterCounts: 'offer-tile-cluster-counts',
  points: 'offer-tile-points',
} as const;

export const offerTileColors = {
  // A lighter blue than the numbered results, with a dark outline (≥ 3:1 against the background).
  cluster: '#5b8fc7',
  clusterStroke: '#0b3a66',
  clusterText: '#0b1f33',
  point: '#5b8fc7',
  pointStroke: '#0b3a66',
} as const;

/** The tile URL template for the citizens' filters (a query string without "?", or ""). */
export function offerTileUrl(origin: string, query: string): string {
  return `${origin}/api/tiles/offers/{z}/{x}/{y}.pbf${query ? `?${query}` : ''}`;
}

export function offerTileSource(url: string): VectorSourceSpecification {
  // Tiles up to 16 are asked for; beyond it MapLibre scales the zoom-16 tile (points do not change).
  return { type: 'vector', tiles: [url], minzoom: 0, maxzoom: 16 };
}

const isCluster: FilterSpecification = ['>', ['get', 'count'], 1];
const isSingle: FilterSpecification = ['<=', ['get', 'count'], 1];

/** Drawn below the numbered results: the results stay on top and keep their numbers. */
export function offerTileLayers(): LayerSpecification[] {
  return [
    {
      id: offerTileLayerIds.clusters,
      type: 'circle',
      source: offerTileSourceId,
      'source-layer': offerTileSourceLayer,
      filter: isCluster,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['get', 'count'], 2, 9, 50, 14, 500, 20, 5000, 26],
        'circle-color': offerTileColors.cluster,
        'circle-opacity': 0.85,
        'circle-stroke-color': offerTileColors.clusterStroke,
        'circle-stroke-width': 1.5,
      },
    },
    {
      id: offerTileLayerIds.clusterCounts,
      type: 'symbol',
      source: offerTileSourceId,
      'source-layer': offerTileSourceLayer,
      filter: isCluster,
      layout: {
        'text-field': ['to-string', ['get', 'count']],
        'text-font': offerFonts,
        'text-size': 11,
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: { 'text-color': offerTileColors.clusterText },
    },
    {
      id: offerTileLayerIds.points,
      type: 'circle',
      source: offerTileSourceId,
      'source-layer': offerTileSourceLayer,
      filter: isSingle,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 4, 16, 7],
        'circle-color': offerTileColors.point,
        'circle-stroke-color': offerTileColors.pointStroke,
        'circle-stroke-width': 1.5,
      },
    },
  ];
}

export const interactiveOfferTileLayerIds = [offerTileLayerIds.clusters, offerTileLayerIds.clusterCounts, offerTileLayerIds.points] as const;
