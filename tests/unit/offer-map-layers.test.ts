import { describe, expect, it } from 'vitest';
import {
  interactiveOfferLayerIds,
  offerColors,
  offerFeatures,
  offerLayerIds,
  offerLayers,
  orientationLineTolerance,
  orientationSource,
  originFeatures,
  pointSource,
  selectedOfferFilter,
  streetLabelMinZoom,
  streetMinZoom,
  streetTileSource,
} from '../../client/map/layers/offer-layers.ts';

function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = [1, 3, 5]
    .map((start) => parseInt(hex.slice(start, start + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
};

describe('offer layers', () => {
  it('numbers the markers like the list and keeps the result id', () => {
    const collection = offerFeatures([{ id: 'a', name: 'Treff', rank: 3, lon: 6.9, lat: 50.9 }]);
    expect(collection.features[0]).toEqual({
      type: 'Feature',
      id: 3,
      geometry: { type: 'Point', coordinates: [6.9, 50.9] },
      properties: { id: 'a', name: 'Treff', rank: 3 },
    });
    expect(originFeatures(null).features).toEqual([]);
  });

  it('highlights exactly the selected result, and nothing without a selection', () => {
    expect(selectedOfferFilter('a')).toEqual(['==', ['to-string', ['get', 'id']], 'a']);
    expect(selectedOfferFilter(null)).toEqual(['==', ['to-string', ['get', 'id']], '']);
    const selected = offerLayers('a').find((layer) => layer.id === offerLayerIds.selected);
    expect(selected && 'filter' in selected ? selected.filter : null).toEqual(selectedOfferFilter('a'));
  });

  it('draws streets below areas, markers above them and numbers on top', () => {
    const order = offerLayers(null).map((layer) => layer.id);
    expect(order.indexOf(offerLayerIds.street)).toBeLessThan(order.indexOf(offerLayerIds.contextOutline));
    expect(order.indexOf(offerLayerIds.markers)).toBeLessThan(order.indexOf(offerLayerIds.selected));
    expect(order.at(-1)).toBe(offerLayerIds.numbers);
    expect(interactiveOfferLayerIds).toContain(offerLayerIds.markers);
  });

  it('draws the streets from the server\'s street tiles (the worker parses them, not the page), from zoom 13', () => {
    expect(streetTileSource('https://atlas.example')).toEqual({
      type: 'vector',
      tiles: ['https://atlas.example/api/tiles/streets/{z}/{x}/{y}.pbf'],
      minzoom: streetMinZoom,
      maxzoom: 16,
    });
    const streetLayers = offerLayers(null).filter((layer) => 'source' in layer && layer.source === 'offer-context-streets');
    expect(streetLayers.map((layer) => layer.id)).toEqual([offerLayerIds.streetCasing, offerLayerIds.street, offerLayerIds.streetLabel]);
    for (const layer of streetLayers) expect(layer).toMatchObject({ 'source-layer': 'streets' });
  });

  it('keeps markers and their numbers legible (WCAG 1.4.11 / 1.4.3)', () => {
    expect(contrast(offerColors.marker, '#f3f5f7')).toBeGreaterThanOrEqual(4.5);
    expect(contrast(offerColors.markerText, offerColors.marker)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(offerColors.markerText, offerColors.selected)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(offerColors.selected, '#f3f5f7')).toBeGreaterThanOrEqual(3);
  });

  it('keeps the orientation lines cheap to draw while the map pans: simplified sources, no dashes, no round fans, street names from zoom 16', () => {
    const empty = { type: 'FeatureCollection' as const, features: [] };
    expect(orientationSource(empty, 'Stadt Köln')).toEqual({ type: 'geojson', data: empty, attribution: 'Stadt Köln', tolerance: orientationLineTolerance });
    expect(orientationLineTolerance).toBeGreaterThan(1);
    expect(pointSource(empty)).not.toHaveProperty('tolerance');
    const layers = offerLayers(null);
    for (const id of [offerLayerIds.streetCasing, offerLayerIds.street, offerLayerIds.contextOutline]) {
      const layer = layers.find((candidate) => candidate.id === id)!;
      expect(layer.type, id).toBe('line');
      const layout = (layer.layout ?? {}) as Record<string, unknown>;
      const paint = (layer.paint ?? {}) as Record<string, unknown>;
      expect(layout['line-join'], id).not.toBe('round');
      expect(layout['line-cap'], id).not.toBe('round');
      expect(paint['line-dasharray'], id).toBeUndefined();
    }
    expect(layers.find((layer) => layer.id === offerLayerIds.streetLabel)?.minzoom).toBe(streetLabelMinZoom);
    expect(streetLabelMinZoom).toBeGreaterThanOrEqual(16);
  });
});
