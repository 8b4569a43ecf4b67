import { VectorTile } from '@mapbox/vector-tile';
import { fromVectorTileJs, GeoJSONWrapper, type Feature } from '@maplibre/vt-pbf';
import { PbfReader } from 'pbf';
import { describe, expect, it } from 'vitest';
import { encodePointTile, type PointFeature } from '../../server/tiles/tiles-point-encoding.ts';

function decoded(body: Uint8Array) {
  const layer = new VectorTile(new PbfReader(body)).layers.offers;
  if (!layer) return null;
  return {
    version: layer.version,
    extent: layer.extent,
    features: Array.from({ length: layer.length }, (_, index) => {
      const feature = layer.feature(index);
      return { type: feature.type, geometry: feature.loadGeometry().map((ring) => ring.map((point) => [point.x, point.y])), properties: feature.properties };
    }),
  };
}

function viaVtPbf(features: PointFeature[]): Uint8Array {
  const layer = new GeoJSONWrapper(features.map((feature) => ({ type: 1, geometry: [[feature.x, feature.y]], tags: feature.tags })) as Feature[], { version: 2, extent: 4096 });
  layer.name = 'offers';
  return fromVectorTileJs({ layers: { offers: layer } });
}

describe('point tiles written with pbf (tiles-point-encoding.ts)', () => {
  it('decodes to what @maplibre/vt-pbf writes: positions in and beyond the tile, shared and unique values, numbers and text', () => {
    const features: PointFeature[] = [
      { x: 0, y: 0, tags: { count: 1, id: 'a1', offerId: 'o1', name: 'Alter Treff', offerType: 'kita' } },
      { x: 4095, y: 17, tags: { count: 1, id: 'a2', offerId: 'o2', name: 'Kita Nord', offerType: 'kita' } },
      { x: -64, y: 4160, tags: { count: 250 } },
      { x: 2048, y: -3, tags: { count: 1, id: 'a3', offerId: 'o1', name: 'Äöü – Begegnung', offerType: 'senior_meeting_place' } },
      { x: 100, y: 100, tags: { count: 2 } },
    ];
    const ours = decoded(encodePointTile('offers', features));
    expect(ours).toEqual(decoded(viaVtPbf(features)));
    expect(ours!.features).toHaveLength(5);
    expect(ours!.features[2]).toEqual({ type: 1, geometry: [[[-64, 4160]]], properties: { count: 250 } });
    // A value several features share is stored once.
    expect(encodePointTile('offers', features).length).toBeLessThan(viaVtPbf(features).length + 8);
  });

  it('writes an empty tile as vt-pbf does', () => {
    expect(Buffer.from(encodePointTile('offers', [])).equals(Buffer.from(viaVtPbf([])))).toBe(true);
  });
});
