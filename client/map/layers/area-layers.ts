import type {
  ExpressionSpecification,
  FilterSpecification,
  GeoJSONSourceSpecification,
  LayerSpecification,
} from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { mapColors } from './map-colors';

export const areaSourceIds = {
  areas: 'areas',
  areaLabels: 'area-labels',
  districts: 'districts',
} as const;

export const areaLayerIds = {
  fill: 'areas-fill',
  selectedFill: 'areas-selected-fill',
  outline: 'areas-outline',
  districtOutline: 'districts-outline',
  selectedOutline: 'areas-selected-outline',
  label: 'areas-label',
} as const;

export const labelFonts = {
  regular: ['Noto Sans Regular'],
  medium: ['Noto Sans Medium'],
} as const;

// Areas carry their uuid in properties.id (feature.id is the same value); filters use the property
// because MapLibre only keeps numeric feature ids without promoteId.
const areaIdExpression: ExpressionSpecification = ['to-string', ['get', 'id']];

// Matches nothing when no area is selected (area ids are never empty strings).
export function selectedAreaFilter(selectedAreaId: string | null): FilterSpecification {
  return ['==', areaIdExpression, selectedAreaId ?? ''];
}

const emptyCollection: FeatureCollection = { type: 'FeatureCollection', features: [] };

export function geoJsonSource(
  data: FeatureCollection = emptyCollection,
  attribution?: string,
): GeoJSONSourceSpecification {
  return {
    type: 'geojson',
    data,
    // Polygons for a city need little detail at low zoom; tolerance keeps tiles small.
    tolerance: 0.375,
    ...(attribution ? { attribution } : {}),
  };
}

export function areaLayers(selectedAreaId: string | null): LayerSpecification[] {
  return [
    {
      id: areaLayerIds.fill,
      type: 'fill',
      source: areaSourceIds.areas,
      paint: {
        'fill-color': mapColors.areaFill,
        'fill-opacity': 0.75,
      },
    },
    {
      id: areaLayerIds.selectedFill,
      type: 'fill',
      source: areaSourceIds.areas,
      filter: selectedAreaFilter(selectedAreaId),
      paint: {
        'fill-color': mapColors.selectedFill,
        'fill-opacity': 0.6,
      },
    },
    {
      id: areaLayerIds.outline,
      type: 'line',
      source: areaSourceIds.areas,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': mapColors.areaOutline,
        'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.6, 14, 1.6],
      },
    },
    {
      id: areaLayerIds.districtOutline,
      type: 'line',
      source: areaSourceIds.districts,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': mapColors.districtOutline,
        'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.6, 14, 3.5],
      },
    },
    {
      id: areaLayerIds.selectedOutline,
      type: 'line',
      source: areaSourceIds.areas,
      filter: selectedAreaFilter(selectedAreaId),
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': mapColors.selectedOutline,
        'line-width': ['interpolate', ['linear'], ['zoom'], 9, 2.5, 14, 5],
      },
    },
    {
      id: areaLayerIds.label,
      type: 'symbol',
      source: areaSourceIds.areaLabels,
      minzoom: 9,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': [...labelFonts.regular],
        'text-size': ['interpolate', ['linear'], ['zoom'], 9, 11, 14, 15],
        'text-max-width': 8,
        'text-padding': 2,
      },
      paint: {
        'text-color': mapColors.label,
        'text-halo-color': mapColors.labelHalo,
        'text-halo-width': 1.5,
      },
    },
  ];
}

// Layers that react to the pointer (click selects an area).
export const interactiveAreaLayerIds = [areaLayerIds.fill, areaLayerIds.selectedFill] as const;
