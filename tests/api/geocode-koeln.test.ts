import { VectorTile } from '@mapbox/vector-tile';
import type { Express } from 'express';
import { PbfReader } from 'pbf';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeocodeFeature, GeocodeFeatureCollection } from '../../server/geocoding/geocoding.schema.ts';
import { createGeocodingService } from '../../server/geocoding/geocoding.service.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { importKoelnStreets, koelnDataAvailable } from '../helpers/search-factories.ts';
import { binary, tileOf } from '../helpers/tiles.ts';

// Real Cologne street segments (Strassenabschnitte 2013) through the real importer.
const hasData = koelnDataAvailable();

let testDatabase: TestDatabase;
let app: Express;

beforeAll(async () => {
  if (!hasData) return;
  testDatabase = await createTestDatabase();
  await importKoelnStreets(testDatabase.database.knex);
  app = createTestApp(testDatabase.database);
});

afterAll(async () => {
  await testDatabase?.destroy();
});

async function geocode(q: string, limit?: number): Promise<GeocodeFeature[]> {
  const response = await request(app).get('/api/geocode').query(limit ? { q, limit } : { q });
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/geo\+json/);
  return (response.body as GeocodeFeatureCollection).features;
}

async function first(q: string): Promise<GeocodeFeature> {
  const [feature] = await geocode(q);
  if (!feature) throw new Error(`no result for "${q}"`);
  return feature;
}

interface SegmentCheck {
  /** Where along the segment (0 first vertex … 1 last vertex) PostGIS puts the point. */
  fraction: number;
  /** Metres from the centre line. */
  offset: number;
  /** left/right of the direction of digitization, by the cross product at the nearest edge. */
  side: 'left' | 'right';
}

/** An independent look at the point: PostGIS against the imported segment with this NUMMER. */
async function relativeToSegment(externalId: string, feature: GeocodeFeature): Promise<SegmentCheck> {
  const [lon, lat] = feature.geometry.coordinates;
  const result = await testDatabase.database.knex.raw<{
    rows: Array<{ fraction: number; offset: number; ax: number; ay: number; bx: number; by: number }>;
  }>(
    `with p as (select ST_SetSRID(ST_MakePoint(?, ?), 4326) as g),
          s as (select geom from street_segments where external_id = ?),
          located as (select ST_LineLocatePoint(s.geom, p.g) as fraction, p.g, s.geom from s, p)
     select fraction,
            ST_Distance(g::geography, geom::geography) as offset,
            ST_X(ST_LineInterpolatePoint(geom, greatest(0, fraction - 0.01))) as ax,
            ST_Y(ST_LineInterpolatePoint(geom, greatest(0, fraction - 0.01))) as ay,
            ST_X(ST_LineInterpolatePoint(geom, least(1, fraction + 0.01))) as bx,
            ST_Y(ST_LineInterpolatePoint(geom, least(1, fraction + 0.01))) as by
       from located`,
    [lon, lat, externalId],
  );
  const row = result.rows[0];
  if (!row) throw new Error(`segment ${externalId} not imported`);
  const cross = (row.bx - row.ax) * (lat - row.ay) - (row.by - row.ay) * (lon - row.ax);
  return { fraction: Number(row.fraction), offset: Number(row.offset), side: cross > 0 ? 'left' : 'right' };
}

function metersBetween(a: GeocodeFeature, b: GeocodeFeature): number {
  const [lonA, latA] = a.geometry.coordinates;
  const [lonB, latB] = b.geometry.coordinates;
  const dx = (lonB - lonA) * 111_195 * Math.cos((latA * Math.PI) / 180);
  const dy = (latB - latA) * 111_195;
  return Math.hypot(dx, dy);
}

describe.skipIf(!hasData)('GET /api/geocode with Cologne street segments', () => {
  it('interpolates "Venloer Straße 123" along its segment, on the odd (left) side', async () => {
    const feature = await first('Venloer Straße 123');
    expect(feature.properties).toMatchObject({
      kind: 'address',
      label: 'Venloer Straße 123',
      street: 'Venloer Straße',
      houseNumber: '123',
      precision: 'house_number',
      score: 1,
    });
    // Segment 03176080 carries 81–153 on the left and 82–156a on the right.
    const check = await relativeToSegment('03176080', feature);
    expect(check.fraction).toBeCloseTo((123 - 81) / (153 - 81), 1);
    expect(check.side).toBe('left');
    expect(check.offset).toBeGreaterThan(6);
    expect(check.offset).toBeLessThan(10);
  });

  it('puts the even neighbour "Venloer Straße 124" on the other side of the same segment', async () => {
    const check = await relativeToSegment('03176080', await first('Venloer Straße 124'));
    expect(check.side).toBe('right');
    expect(check.fraction).toBeCloseTo((124 - 82) / (156 - 82), 1);
  });

  it('places the ends of a range at the ends of the segment', async () => {
    const start = await relativeToSegment('03176080', await first('Venloer Straße 81'));
    const end = await relativeToSegment('03176080', await first('Venloer Straße 153'));
    expect(start.fraction).toBeLessThan(0.05);
    expect(end.fraction).toBeGreaterThan(0.95);
    // the very first and the very last number of the street
    const one = await relativeToSegment('03176020', await first('Venloer Straße 1'));
    expect(one.fraction).toBeLessThan(0.05);
    expect(one.side).toBe('left');
    const last = await relativeToSegment('03176547', await first('Venloer Straße 1435'));
    expect(last.fraction).toBeGreaterThan(0.95);
  });

  it('reads "Str.", case, ß/ss, postcode, city and letter suffixes as the same address', async () => {
    const canonical = await first('Venloer Straße 123');
    for (const variant of [
      'venloer str. 123',
      'VENLOER STRASSE 123',
      'Venloerstr. 123',
      'Venloer-Straße 123',
      'Venloer Strasse 123, 50823 Köln',
      'Venloer Str 123a',
      'Köln, Venloer Straße 123',
    ]) {
      const feature = await first(variant);
      expect.soft(feature.properties.street, variant).toBe('Venloer Straße');
      expect.soft(metersBetween(feature, canonical), variant).toBeLessThan(1);
    }
  });

  it('matches umlauts written as ae/oe/ue or left out', async () => {
    const canonical = await first('Zülpicher Straße 10');
    expect(canonical.properties.street).toBe('Zülpicher Straße');
    for (const variant of ['Zuelpicher Strasse 10', 'Zulpicher Str. 10', 'zülpicher str 10']) {
      const feature = await first(variant);
      expect.soft(feature.properties.street, variant).toBe('Zülpicher Straße');
      expect.soft(metersBetween(feature, canonical), variant).toBeLessThan(1);
    }
  });

  it('forgives small typos with a lower score', async () => {
    for (const typo of ['Venloer Sraße 123', 'Venlore Straße 123', 'Vennloer Straße 123']) {
      const feature = await first(typo);
      expect.soft(feature.properties.street, typo).toBe('Venloer Straße');
      expect.soft(feature.properties.score, typo).toBeLessThan(1);
      expect.soft(feature.properties.score, typo).toBeGreaterThanOrEqual(0.6);
    }
  });

  it('marks a number outside every range as approximate', async () => {
    const feature = await first('Venloer Straße 9999');
    expect(feature.properties).toMatchObject({ street: 'Venloer Straße', precision: 'nearest_house_number' });
    expect(feature.properties.score).toBeLessThan(1);
  });

  it('tells apart equal street names by their Stadtteil and honours a named Stadtteil', async () => {
    const all = await geocode('Buchenweg 5', 10);
    const places = new Set(all.map((feature) => feature.properties.place));
    expect(places.size).toBeGreaterThanOrEqual(2);
    const inWiddersdorf = await first('Buchenweg 5, Widdersdorf');
    expect(inWiddersdorf.properties.place).toBe('Widdersdorf');
    // The Stadtteil is called "Esch/Auweiler"; either part of the name is enough.
    const inAuweiler = await first('Buchenweg 5, Auweiler');
    expect(inAuweiler.properties.place).toBe('Esch/Auweiler');
    expect(metersBetween(inWiddersdorf, inAuweiler)).toBeGreaterThan(1000);
  });

  it('finds Stadtteile and Viertel by name, with a point inside the area', async () => {
    const ehrenfeld = (await geocode('Ehrenfeld')).find((feature) => feature.properties.kind === 'place');
    expect(ehrenfeld?.properties).toMatchObject({ kind: 'place', placeLevel: 'sozialraum', label: 'Ehrenfeld', precision: 'area' });
    const quarter = await first('Gewürzviertel');
    expect(quarter.properties).toMatchObject({ kind: 'place', placeLevel: 'quarter', label: 'Gewürzviertel' });
    for (const feature of [ehrenfeld!, quarter]) {
      const inside = await testDatabase.database.knex.raw<{ rows: Array<{ inside: boolean }> }>(
        'select ST_Contains(geom, ST_SetSRID(ST_MakePoint(?, ?), 4326)) as inside from areas where id = ?',
        [...feature.geometry.coordinates, feature.properties.areaId],
      );
      expect(inside.rows[0]?.inside).toBe(true);
      expect(feature.bbox).toHaveLength(4);
    }
    const typo = await first('Ehrenfled');
    expect(typo.properties.label).toBe('Ehrenfeld');
  });

  it('answers an unknown street with an empty collection', async () => {
    expect(await geocode('Xyzzyweg 5')).toEqual([]);
  });
});

describe.skipIf(!hasData)('GET /api/geocode/suggest with Cologne street segments', () => {
  async function suggest(q: string): Promise<GeocodeFeature[]> {
    const response = await request(app).get('/api/geocode/suggest').query({ q });
    expect(response.status).toBe(200);
    return (response.body as GeocodeFeatureCollection).features;
  }

  it('completes a street from its first letters, the long street first', async () => {
    const labels = (await suggest('Venl')).map((feature) => feature.properties.label);
    expect(labels[0]).toBe('Venloer Straße');
    expect(labels).toContain('Venloer Wall');
  });

  it('offers places and streets for a shared beginning', async () => {
    const features = await suggest('Ehrenf');
    expect(features.some((feature) => feature.properties.kind === 'place' && feature.properties.label === 'Ehrenfeld')).toBe(true);
    expect(features.some((feature) => feature.properties.kind === 'street' && feature.properties.label === 'Ehrenfeldgürtel')).toBe(true);
  });

  it('offers the address once a number is typed', async () => {
    const [feature] = await suggest('Venloer Str 12');
    expect(feature?.properties).toMatchObject({ kind: 'address', label: 'Venloer Straße 12', precision: 'house_number' });
  });

  it('completes despite a typo in the beginning', async () => {
    const labels = (await suggest('Zuelpischer')).map((feature) => feature.properties.label);
    expect(labels).toContain('Zülpicher Straße');
  });
});

describe.skipIf(!hasData)('GET /api/geocode/streets', () => {
  it('returns the named street lines of a neighbourhood for the map', async () => {
    const response = await request(app).get('/api/geocode/streets').query({ bbox: '6.925,50.943,6.935,50.947' });
    expect(response.status).toBe(200);
    const names = new Set((response.body as { features: Array<{ properties: { name: string | null } }> }).features.map((feature) => feature.properties.name));
    expect(names).toContain('Venloer Straße');
    expect(response.body.features[0].geometry.type).toBe('LineString');
  });

  it('refuses a box larger than a neighbourhood, naming the parameter', async () => {
    const response = await request(app).get('/api/geocode/streets').query({ bbox: '6.7,50.8,7.2,51.1' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'query.bbox' })]);
  });
});

describe.skipIf(!hasData)('GET /api/tiles/streets (the street layer of the offers map)', () => {
  it('holds every street segment that reaches the tile and its buffer, as named lines in tile units, with an ETag', async () => {
    for (const z of [13, 15]) {
      const { x, y } = tileOf(6.93, 50.945, z);
      const response = await request(app).get(`/api/tiles/streets/${z}/${x}/${y}.pbf`).buffer(true).parse(binary);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/vnd\.mapbox-vector-tile/);
      const layer = new VectorTile(new PbfReader(response.body as Buffer)).layers.streets!;
      expect(layer.extent).toBe(4096);
      const names = new Set<string>();
      for (let index = 0; index < layer.length; index += 1) {
        const feature = layer.feature(index);
        expect(feature.type).toBe(2);
        const points = feature.loadGeometry().flat();
        expect(points.length).toBeGreaterThanOrEqual(2);
        // Each line reaches the tile or its 64-unit buffer.
        expect(Math.max(...points.map((point) => point.x))).toBeGreaterThanOrEqual(-64);
        expect(Math.min(...points.map((point) => point.x))).toBeLessThanOrEqual(4160);
        expect(Math.max(...points.map((point) => point.y))).toBeGreaterThanOrEqual(-64);
        expect(Math.min(...points.map((point) => point.y))).toBeLessThanOrEqual(4160);
        if (typeof feature.properties.name === 'string') names.add(feature.properties.name);
      }
      expect(names).toContain('Venloer Straße');
      // PostGIS as the oracle: the segments whose box meets the tile's buffered envelope. The tile
      // decides on positions rounded to its units (a segment just outside the buffer may round onto
      // it) and leaves out a segment shorter than a unit (a point at this zoom): a few per tile.
      const knex = testDatabase.database.knex;
      const rows = (await knex.raw(`select count(*)::int as n from street_segments where geom && ST_Transform(ST_TileEnvelope(?, ?, ?, margin => ?), 4326)`, [z, x, y, 64 / 4096])) as {
        rows: Array<{ n: number }>;
      };
      const expected = rows.rows[0]!.n;
      expect(expected).toBeGreaterThan(50);
      expect(Math.abs(layer.length - expected)).toBeLessThanOrEqual(expected * 0.01);
      const again = await request(app).get(`/api/tiles/streets/${z}/${x}/${y}.pbf`).set('If-None-Match', String(response.headers.etag));
      expect(again.status).toBe(304);
    }
  });

  it('is empty below zoom 13 and outside the city (one tile, one ETag) and describes itself in a TileJSON', async () => {
    const { x, y } = tileOf(6.93, 50.945, 12);
    const far = tileOf(13.4, 52.5, 15);
    const etags = new Set<string>();
    for (const path of [`/api/tiles/streets/12/${x}/${y}.pbf`, `/api/tiles/streets/15/${far.x}/${far.y}.pbf`]) {
      const response = await request(app).get(path).buffer(true).parse(binary);
      expect(response.status).toBe(200);
      expect(new VectorTile(new PbfReader(response.body as Buffer)).layers.streets?.length ?? 0).toBe(0);
      etags.add(String(response.headers.etag));
    }
    expect(etags.size).toBe(1);
    const tileJson = await request(app).get('/api/tiles/streets.json');
    expect(tileJson.status).toBe(200);
    expect(tileJson.body).toMatchObject({ tilejson: '3.0.0', minzoom: 13, tiles: [expect.stringMatching(/\/api\/tiles\/streets\/\{z\}\/\{x\}\/\{y\}\.pbf$/)], vector_layers: [expect.objectContaining({ id: 'streets' })] });
  });
});

describe.skipIf(!hasData)('the geocoder index follows changes of the street data', () => {
  it('rebuilds after the segments change', async () => {
    const knex = testDatabase.database.knex;
    const service = createGeocodingService({ db: knex, refreshIntervalMs: 0 });
    expect((await service.geocode('Venloer Wall 13', 1))[0]?.label).toBe('Venloer Wall 13');
    await knex.transaction(async (trx) => {
      await trx('street_segments').where({ street_name: 'Venloer Wall' }).update({ street_name: 'Neuer Wall', street_key: 'neuerwall' });
      await trx('import_runs').insert({
        dataset: 'test',
        kind: 'street_segments',
        status: 'succeeded',
        started_at: trx.fn.now(),
      });
    });
    try {
      // The index keeps answering while it rebuilds in the background: ask until the change shows.
      const deadline = Date.now() + 20_000;
      let found = await service.geocode('Neuer Wall 13', 1);
      while (found[0]?.label !== 'Neuer Wall 13' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        found = await service.geocode('Neuer Wall 13', 1);
      }
      expect(found[0]?.label).toBe('Neuer Wall 13');
      expect(await service.geocode('Venloer Wall 13', 1)).not.toContainEqual(expect.objectContaining({ label: 'Venloer Wall 13' }));
    } finally {
      await knex('street_segments').where({ street_name: 'Neuer Wall' }).update({ street_name: 'Venloer Wall', street_key: 'venloerwall' });
    }
  });
});
