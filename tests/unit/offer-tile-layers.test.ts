import { describe, expect, it } from 'vitest';
import { offerTileQuery } from '../../client/features/search/utils/tile-query.ts';
import { emptySearchState } from '../../client/features/search/utils/search-state.ts';
import {
  interactiveOfferTileLayerIds,
  offerTileColors,
  offerTileLayerIds,
  offerTileLayers,
  offerTileSource,
  offerTileSourceId,
  offerTileSourceLayer,
  offerTileUrl,
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

describe('offer tile layers', () => {
  it('asks the offer tiles with the search\'s filters, lists comma-separated', () => {
    expect(offerTileQuery(emptySearchState)).toBe('');
    const query = offerTileQuery({ ...emptySearchState, type: ['kita', 'family_centre'], targetGroup: ['families'], language: ['tr'], accessible: true, free: true, q: 'Mittagstisch', openNow: true });
    expect(Object.fromEntries(new URLSearchParams(query))).toEqual({ type: 'kita,family_centre', targetGroup: 'families', language: 'tr', accessible: 'true', free: 'true' });
    expect(offerTileUrl('http://localhost:3000', query)).toBe(`http://localhost:3000/api/tiles/offers/{z}/{x}/{y}.pbf?${query}`);
    expect(offerTileUrl('http://localhost:3000', '')).toBe('http://localhost:3000/api/tiles/offers/{z}/{x}/{y}.pbf');
  });

  it('draws clusters with their count and single offers as points, from the tiles\' offers layer', () => {
    expect(offerTileSource('u')).toEqual({ type: 'vector', tiles: ['u'], minzoom: 0, maxzoom: 16 });
    const layers = offerTileLayers();
    expect(layers.map((layer) => layer.id)).toEqual([offerTileLayerIds.clusters, offerTileLayerIds.clusterCounts, offerTileLayerIds.points]);
    for (const layer of layers) {
      expect(layer).toMatchObject({ source: offerTileSourceId, 'source-layer': offerTileSourceLayer });
    }
    expect(layers[0]).toMatchObject({ filter: ['>', ['get', 'count'], 1] });
    expect(layers[2]).toMatchObject({ filter: ['<=', ['get', 'count'], 1] });
    expect([...interactiveOfferTileLayerIds]).toEqual(layers.map((layer) => layer.id));
  });

  it('keeps cluster numbers legible and outlines visible (WCAG 1.4.3 / 1.4.11)', () => {
    expect(contrast(offerTileColors.clusterText, offerTileColors.cluster)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(offerTileColors.clusterStroke, '#f3f5f7')).toBeGreaterThanOrEqual(3);
    expect(contrast(offerTileColors.pointStroke, '#ffffff')).toBeGreaterThanOrEqual(3);
  });
});
