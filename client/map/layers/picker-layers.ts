// Layer specs for the location picker of the offer form: one point that a person places by
// clicking and moves by dragging. Plain data, unit-tested, no maplibre-gl runtime import.
import type { CircleLayerSpecification, GeoJSONSourceSpecification } from 'maplibre-gl';
import type { FeatureCollection, Point } from 'geojson';

export const pickerColors = {
  // ≥ 3:1 (WCAG 1.4.11, graphics) against the map background, the area fill and the yellow of
  // the selected Sozialraum, which is where the point usually sits.
  point: '#8c0a4b',
  pointStroke: '#ffffff',
  halo: '#1b1f24',
} as const;

export const pickerSourceId = 'picker-point';

export const pickerLayerIds = {
  halo: 'picker-point-halo',
  point: 'picker-point',
} as const;

// The layer a pointer grabs to drag the point.
export const draggablePickerLayerIds = [pickerLayerIds.point, pickerLayerIds.halo] as const;

export function pickerPointCollection(point: readonly [number, number] | null): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: point
      ? [{ type: 'Feature', properties: { role: 'picked-location' }, geometry: { type: 'Point', coordinates: [point[0], point[1]] } }]
      : [],
  };
}

export function pickerSource(point: readonly [number, number] | null): GeoJSONSourceSpecification {
  return { type: 'geojson', data: pickerPointCollection(point) };
}

export function pickerLayers(): CircleLayerSpecification[] {
  return [
    {
      id: pickerLayerIds.halo,
      type: 'circle',
      source: pickerSourceId,
      paint: {
        // A wide, light ring makes the point easy to grab with a finger.
        'circle-radius': 16,
        'circle-color': '#ffffff',
        'circle-opacity': 0.55,
        'circle-stroke-color': pickerColors.halo,
        'circle-stroke-width': 2,
      },
    },
    {
      id: pickerLayerIds.point,
      type: 'circle',
      source: pickerSourceId,
      paint: {
        'circle-radius': 8,
        'circle-color': pickerColors.point,
        'circle-stroke-color': pickerColors.pointStroke,
        'circle-stroke-width': 3,
      },
    },
  ];
}
