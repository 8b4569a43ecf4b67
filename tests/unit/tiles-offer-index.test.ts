import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { describe, expect, it } from 'vitest';
import { createOfferIndexBuilder } from '../../server/tiles/tiles-offer-index.ts';
import { encodePointTile } from '../../server/tiles/tiles-point-encoding.ts';
import type { OfferIndexRow } from '../../server/tiles/tiles.repo.ts';
import { tileBounds } from '../../server/tiles/tiles.schema.ts';

const tile = { z: 15, x: 17014, y: 11012 };
const frame = tileBounds(tile);

/** A UUID from a number, in location-id order when `n` grows. */
const uuid = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(7, '0')}-0000-4000-8000-00000000abcd`;

function rows(): OfferIndexRow[] {
  const names = ['Kita Nord', 'Treff', 'Äöü – Begegnung 🎈', 'kita', 'Kita Nord', 'Treff', 'Haus'];
  return Array.from({ length: 40 }, (_, index) => ({
    id: uuid('0', index),
    // Every fifth offer has two locations (the same offer id twice), names repeat across offers,
    // and one name equals a type code: values are shared within a key, not across keys.
    offer_id: uuid('f', index - (index % 5 === 1 ? 1 : 0)),
    name: names[index % names.length]!,
    offer_type_id: uuid('e', index % 3),
    offer_type: ['kita', 'senior_meeting_place', 'youth_centre'][index % 3]!,
    cost_kind: index % 4 === 0 ? 'free' : null,
    languages: index % 2 === 0 ? 'de,tr' : 'de',
    term_ids: '',
    // Inside the tile, on its edges and in its buffer (64 of 4096 units beyond each side).
    x: frame.xmin + ((index * 0.029) % 1.03) * frame.size - 0.015 * frame.size,
    y: frame.ymin + ((index * 0.061) % 1.02) * frame.size - 0.01 * frame.size,
  }));
}

function decoded(body: Uint8Array) {
  const layer = new VectorTile(new PbfReader(body)).layers.offers;
  return layer ? Array.from({ length: layer.length }, (_, index) => ({ geometry: layer.feature(index).loadGeometry(), properties: layer.feature(index).properties })) : [];
}

describe('point tiles written from the offer index\'s codes (tiles-offer-index.ts)', () => {
  const builder = createOfferIndexBuilder(10);
  builder.add(rows().slice(0, 25));
  builder.add(rows().slice(25));
  const index = builder.finish('1.1');

  it('writes byte for byte what encodePointTile writes from the same points, with and without filters and caps', () => {
    const cases = [
      { filter: {}, limit: 20_000 },
      { filter: { offerTypeIds: [uuid('e', 0)] }, limit: 20_000 },
      { filter: { free: true, languages: ['tr'] }, limit: 20_000 },
      { filter: {}, limit: 7 },
    ];
    let features = 0;
    for (const { filter, limit } of cases) {
      const points = index.points(frame, filter, limit);
      const expected = encodePointTile(
        'offers',
        points.map((point) => ({ x: point.tx, y: point.ty, tags: { count: 1, id: point.id, offerId: point.offer_id, name: point.name, offerType: point.offer_type } })),
      );
      const coded = index.pointTile(frame, filter, limit);
      expect(coded.features, JSON.stringify(filter)).toBe(points.length);
      expect(decoded(coded.body)).toEqual(decoded(expected));
      expect(Buffer.from(coded.body).equals(Buffer.from(expected)), JSON.stringify(filter)).toBe(true);
      features += coded.features;
    }
    expect(features).toBeGreaterThan(30);
  });

  it('shares a value within a key only: an offer at two places names its id once, a name equal to a type code is stored for each', () => {
    const layer = new VectorTile(new PbfReader(index.pointTile(frame, {}, 20_000).body)).layers.offers!;
    const properties = Array.from({ length: layer.length }, (_, position) => layer.feature(position).properties);
    expect(properties.filter((entry) => entry.name === 'kita' && entry.offerType === 'kita').length).toBeGreaterThan(0);
    expect(new Set(properties.map((entry) => entry.offerId)).size).toBeLessThan(properties.length);
    const values = (layer as unknown as { _values: unknown[] })._values;
    expect(values.filter((value) => value === 'kita')).toHaveLength(2);
    expect(values.filter((value) => value === 'Kita Nord')).toHaveLength(1);
  });

  it('writes an empty tile as encodePointTile does', () => {
    const empty = index.pointTile(tileBounds({ z: 15, x: 0, y: 0 }), {}, 20_000);
    expect(empty.features).toBe(0);
    expect(Buffer.from(empty.body).equals(Buffer.from(encodePointTile('offers', [])))).toBe(true);
  });
});
