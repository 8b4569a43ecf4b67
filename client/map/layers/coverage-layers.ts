import type { FeatureCollection } from 'geojson';
import type { MapOverlay } from '../map-controller';
import { areaLayerIds } from './area-layers';

export const coverageSourceIds = {
  choropleth: 'coverage-areas',
  gaps: 'coverage-gaps',
  hypothetical: 'coverage-hypothetical',
} as const;

export const coverageLayerIds = {
  choropleth: 'coverage-areas-fill',
  gapLines: 'coverage-gaps-line',
  gapAreas: 'coverage-gaps-area',
  hypothetical: 'coverage-hypothetical-circle',
} as const;

// Gaps in black over viridis/cividis (neither palette has black), hypothetical offers in white
// with a black ring: readable for every kind of colour vision and in greyscale print.
export const coverageColors = {
  gap: '#000000',
  hypotheticalFill: '#ffffff',
  hypotheticalRing: '#000000',
} as const;

/** The reach circles of the what-if offers (drawn only when the reach is known). */
export const reachSourceId = 'coverage-reach';
export const reachLayerIds = { fill: 'coverage-reach-fill', outline: 'coverage-reach-line' } as const;

/** A distance measured on the map: its line and points. */
export const measureSourceId = 'coverage-measure';
export const measureLayerIds = { line: 'coverage-measure-line', points: 'coverage-measure-points' } as const;

/** Gap line opacity at the city's zoom and at street zoom. */
export const gapLineOpacity = { city: 0.45, street: 0.9 } as const;

/**
 * The coverage overlay: Sozialräume filled with the colour of their class (each feature carries
 * `properties.color`), the gaps (uncovered street segments as lines, areas as dashed outlines,
 * thicker for more residents), and the hypothetical offers of the what-if mode.
 */
export function coverageOverlay(input: {
  choropleth: FeatureCollection;
  gaps: FeatureCollection | null;
  hypothetical: FeatureCollection;
  /** Circles of the chosen distance around the hypothetical offers (client/map/geometry.ts, reachCircles). */
  reach?: FeatureCollection | null;
  /** A path the planner measures (client/map/geometry.ts, measuredPath). */
  measure?: FeatureCollection | null;
}): MapOverlay {
  const overlay: MapOverlay = {
    sources: {
      [coverageSourceIds.choropleth]: { type: 'geojson', data: input.choropleth, tolerance: 0.375 },
      [coverageSourceIds.hypothetical]: { type: 'geojson', data: input.hypothetical },
    },
    layers: [
      {
        layer: {
          id: coverageLayerIds.choropleth,
          type: 'fill',
          source: coverageSourceIds.choropleth,
          paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.8 },
        },
        beforeId: areaLayerIds.outline,
      },
    ],
  };
  if (input.gaps) {
    overlay.sources[coverageSourceIds.gaps] = { type: 'geojson', data: input.gaps };
    overlay.layers.push(
      {
        layer: {
          id: coverageLayerIds.gapLines,
          type: 'line',
          source: coverageSourceIds.gaps,
          filter: ['in', ['geometry-type'], ['literal', ['LineString', 'MultiLineString']]],
          layout: { 'line-cap': 'round' },
          // At the city's zoom thousands of gap streets would bury the choropleth under black: thin and
          // translucent there, full strength when a planner zooms in on a street.
          paint: {
            'line-color': coverageColors.gap,
            'line-opacity': ['interpolate', ['linear'], ['zoom'], 10, gapLineOpacity.city, 14, gapLineOpacity.street],
            'line-width': [
              'interpolate',
              ['linear'],
              ['zoom'],
              10,
              ['interpolate', ['linear'], ['get', 'uncoveredResidents'], 0, 0.4, 100, 1.2],
              14,
              ['interpolate', ['linear'], ['get', 'uncoveredResidents'], 0, 1, 20, 2, 100, 3.5],
            ],
          },
        },
      },
      {
        layer: {
          id: coverageLayerIds.gapAreas,
          type: 'line',
          source: coverageSourceIds.gaps,
          filter: ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]],
          paint: { 'line-color': coverageColors.gap, 'line-width': 2, 'line-opacity': 0.8, 'line-dasharray': [2, 1] },
        },
      },
    );
  }
  if (input.reach) {
    overlay.sources[reachSourceId] = { type: 'geojson', data: input.reach };
    overlay.layers.push(
      {
        layer: {
          id: reachLayerIds.fill,
          type: 'fill',
          source: reachSourceId,
          paint: { 'fill-color': coverageColors.hypotheticalFill, 'fill-opacity': 0.25 },
        },
      },
      {
        layer: {
          id: reachLayerIds.outline,
          type: 'line',
          source: reachSourceId,
          paint: { 'line-color': coverageColors.hypotheticalRing, 'line-width': 2, 'line-dasharray': [3, 2] },
        },
      },
    );
  }
  overlay.layers.push({
    layer: {
      id: coverageLayerIds.hypothetical,
      type: 'circle',
      source: coverageSourceIds.hypothetical,
      paint: {
        'circle-radius': 7,
        'circle-color': coverageColors.hypotheticalFill,
        'circle-stroke-color': coverageColors.hypotheticalRing,
        'circle-stroke-width': 3,
      },
    },
  });
  if (input.measure) {
    overlay.sources[measureSourceId] = { type: 'geojson', data: input.measure };
    overlay.layers.push(
      {
        layer: {
          id: measureLayerIds.line,
          type: 'line',
          source: measureSourceId,
          filter: ['==', ['geometry-type'], 'LineString'],
          paint: { 'line-color': coverageColors.hypotheticalRing, 'line-width': 3 },
        },
      },
      {
        layer: {
          id: measureLayerIds.points,
          type: 'circle',
          source: measureSourceId,
          filter: ['==', ['geometry-type'], 'Point'],
          paint: { 'circle-radius': 5, 'circle-color': coverageColors.hypotheticalFill, 'circle-stroke-color': coverageColors.hypotheticalRing, 'circle-stroke-width': 2 },
        },
      },
    );
  }
  return overlay;
}
