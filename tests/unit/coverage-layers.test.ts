import { describe, expect, it } from 'vitest';
import { areaLayerIds } from '../../client/map/layers/area-layers.ts';
import { coverageColors, coverageLayerIds, coverageOverlay, coverageSourceIds, gapLineOpacity, reachLayerIds, reachSourceId } from '../../client/map/layers/coverage-layers.ts';
import { palettes } from '../../client/features/coverage/utils/classify.ts';

const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

describe('coverage map layers', () => {
  it('draws the choropleth below the area outlines and labels, coloured per feature', () => {
    const overlay = coverageOverlay({ choropleth: empty, gaps: null, hypothetical: empty });
    const [first] = overlay.layers;
    expect(first).toEqual({
      layer: expect.objectContaining({ id: coverageLayerIds.choropleth, type: 'fill', source: coverageSourceIds.choropleth }),
      beforeId: areaLayerIds.outline,
    });
    expect(first!.layer).toMatchObject({ paint: { 'fill-color': ['get', 'color'] } });
  });

  it('adds the gap layers only when gaps are shown, lines for streets and dashed outlines for areas', () => {
    expect(coverageOverlay({ choropleth: empty, gaps: null, hypothetical: empty }).layers.map((entry) => entry.layer.id)).toEqual([
      coverageLayerIds.choropleth,
      coverageLayerIds.hypothetical,
    ]);
    const overlay = coverageOverlay({ choropleth: empty, gaps: empty, hypothetical: empty });
    expect(overlay.layers.map((entry) => entry.layer.id)).toEqual([
      coverageLayerIds.choropleth,
      coverageLayerIds.gapLines,
      coverageLayerIds.gapAreas,
      coverageLayerIds.hypothetical,
    ]);
    expect(Object.keys(overlay.sources).sort()).toEqual(Object.values(coverageSourceIds).sort());
    const gapAreas = overlay.layers.find((entry) => entry.layer.id === coverageLayerIds.gapAreas)!.layer;
    expect(gapAreas).toMatchObject({ type: 'line', paint: { 'line-dasharray': [2, 1] } });
  });

  it('draws gap streets thin and translucent at the city zoom, so the choropleth stays readable', () => {
    const overlay = coverageOverlay({ choropleth: empty, gaps: empty, hypothetical: empty });
    const gapLines = overlay.layers.find((entry) => entry.layer.id === coverageLayerIds.gapLines)!.layer as { paint: Record<string, unknown> };
    expect(gapLines.paint['line-opacity']).toEqual(['interpolate', ['linear'], ['zoom'], 10, gapLineOpacity.city, 14, gapLineOpacity.street]);
    expect(gapLineOpacity.city).toBeLessThan(0.6);
    const width = gapLines.paint['line-width'] as unknown[];
    expect(width.slice(0, 3)).toEqual(['interpolate', ['linear'], ['zoom']]);
  });

  it('keeps gap and what-if markers apart from every palette colour', () => {
    const paletteColors = new Set(Object.values(palettes).flatMap((byCount) => Object.values(byCount).flat()));
    expect(paletteColors.has(coverageColors.gap)).toBe(false);
    expect(paletteColors.has(coverageColors.hypotheticalFill)).toBe(false);
  });

  it('draws the reach circles of the what-if offers below their points, dashed, only when given', () => {
    const reach: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
    const overlay = coverageOverlay({ choropleth: empty, gaps: null, hypothetical: empty, reach });
    expect(overlay.layers.map((entry) => entry.layer.id)).toEqual([
      coverageLayerIds.choropleth,
      reachLayerIds.fill,
      reachLayerIds.outline,
      coverageLayerIds.hypothetical,
    ]);
    expect(overlay.sources[reachSourceId]).toEqual({ type: 'geojson', data: reach });
    const outline = overlay.layers.find((entry) => entry.layer.id === reachLayerIds.outline)!.layer;
    expect(outline).toMatchObject({ type: 'line', source: reachSourceId, paint: { 'line-dasharray': [3, 2] } });
    expect(coverageOverlay({ choropleth: empty, gaps: null, hypothetical: empty, reach: null }).sources[reachSourceId]).toBeUndefined();
  });
});
