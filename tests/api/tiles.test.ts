import { VectorTile } from '@mapbox/vector-tile';
import type { Express } from 'express';
import { PbfReader } from 'pbf';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import type { OfferTileQuery } from '../../server/tiles/tiles.schema.ts';
import { createTilesService } from '../../server/tiles/tiles.service.ts';
import { createTestApp } from '../helpers/app.ts';
import { createSyntheticCity, insertOffer } from '../helpers/coverage-factories.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { binary, tileOf } from '../helpers/tiles.ts';

function decode(body: Buffer): VectorTile {
  return new VectorTile(new PbfReader(body));
}

describe('vector tiles (/api/tiles)', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let city: Awaited<ReturnType<typeof createSyntheticCity>>;
  const places: [number, number][] = [
    [6.905, 50.935],
    [6.9052, 50.9351],
    [6.945, 50.935],
  ];

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const { knex } = testDatabase.database;
    app = createTestApp(testDatabase.database);
    city = await createSyntheticCity(knex);
    await insertOffer(knex, { departmentId: city.departmentId, offerType: 'senior_meeting_place', lon: places[0]![0], lat: places[0]![1], name: 'Alter Treff', targetGroups: ['seniors'] });
    await insertOffer(knex, { departmentId: city.departmentId, offerType: 'kita', lon: places[1]![0], lat: places[1]![1], name: 'Kita Nord', targetGroups: ['children_under_6'] });
    await insertOffer(knex, { departmentId: city.departmentId, offerType: 'senior_meeting_place', lon: places[2]![0], lat: places[2]![1], name: 'Begegnung Mitte' });
    await insertOffer(knex, { departmentId: city.departmentId, offerType: 'kita', lon: 6.9051, lat: 50.935, name: 'Entwurf', publication: 'draft' });
    // A raw imported record: published, but left out of the citizens' search until a department adopts it.
    const raw = await insertOffer(knex, { departmentId: city.departmentId, offerType: 'kita', lon: 6.9053, lat: 50.935, name: '- Apotheke' });
    await knex('offers').where('id', raw).update({ raw_reason: 'raw_name' });
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  const tile = (path: string, query: Record<string, string> = {}) => request(app).get(path).query(query).buffer(true).parse(binary);

  it('draws every public offer at zoom 16 where it is, with its name and type', async () => {
    const [lon, lat] = places[0]!;
    const address = tileOf(lon, lat, 16);
    const response = await tile(`/api/tiles/offers/16/${address.x}/${address.y}.pbf`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/vnd\.mapbox-vector-tile/);
    const layer = decode(response.body as Buffer).layers.offers!;
    const features = Array.from({ length: layer.length }, (_, index) => layer.feature(index));
    const names = features.map((feature) => feature.properties.name).sort();
    expect(names).toEqual(['Alter Treff', 'Kita Nord']);
    const treff = features.find((feature) => feature.properties.name === 'Alter Treff')!;
    expect(treff.properties).toMatchObject({ offerType: 'senior_meeting_place', count: 1 });
    const [point] = treff.loadGeometry()[0]!;
    expect(Math.abs(point!.x - address.px)).toBeLessThanOrEqual(1);
    expect(Math.abs(point!.y - address.py)).toBeLessThanOrEqual(1);
  });

  it('clusters at low zoom, the counts adding up to every public offer', async () => {
    const address = tileOf(6.92, 50.935, 10);
    const response = await tile(`/api/tiles/offers/10/${address.x}/${address.y}.pbf`);
    const layer = decode(response.body as Buffer).layers.offers!;
    const counts = Array.from({ length: layer.length }, (_, index) => Number(layer.feature(index).properties.count));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(3);
    expect(Math.max(...counts)).toBe(2);
  });

  it('takes the citizens\' filters', async () => {
    const address = tileOf(places[0]![0], places[0]![1], 16);
    const kitas = await tile(`/api/tiles/offers/16/${address.x}/${address.y}.pbf`, { type: 'kita' });
    const layer = decode(kitas.body as Buffer).layers.offers!;
    expect(Array.from({ length: layer.length }, (_, index) => layer.feature(index).properties.name)).toEqual(['Kita Nord']);
    const seniors = await tile(`/api/tiles/offers/16/${address.x}/${address.y}.pbf`, { targetGroup: 'seniors' });
    expect(decode(seniors.body as Buffer).layers.offers!.length).toBe(1);
  });

  it('takes the search\'s lists: any of several types and languages, every listed accessibility feature', async () => {
    const { knex } = testDatabase.database;
    const address = tileOf(places[0]![0], places[0]![1], 16);
    const path = `/api/tiles/offers/16/${address.x}/${address.y}.pbf`;
    const names = (response: request.Response) => {
      const layer = decode(response.body as Buffer).layers.offers;
      return layer ? Array.from({ length: layer.length }, (_, index) => String(layer.feature(index).properties.name)).sort() : [];
    };
    expect(names(await tile(path, { type: 'kita,senior_meeting_place' }))).toEqual(['Alter Treff', 'Kita Nord']);
    const kita = (await knex('offers').where('name', 'Kita Nord').first('id')) as { id: string };
    const stepFree = (await knex('taxonomy_terms').where({ taxonomy: 'accessibility', code: 'step_free_entrance' }).first('id')) as { id: string };
    const elevator = (await knex('taxonomy_terms').where({ taxonomy: 'accessibility', code: 'elevator' }).first('id')) as { id: string };
    await knex('offer_terms').insert({ offer_id: kita.id, taxonomy: 'accessibility', term_id: stepFree.id });
    await knex('offers').where('id', kita.id).update({ languages: knex.raw("'{de,tr}'::text[]") });
    await knex('search_generation').increment('generation', 1);
    expect(names(await tile(path, { accessible: 'true' }))).toEqual(['Kita Nord']);
    expect(names(await tile(path, { accessible: 'step_free_entrance,elevator' }))).toEqual([]);
    await knex('offer_terms').insert({ offer_id: kita.id, taxonomy: 'accessibility', term_id: elevator.id });
    await knex('search_generation').increment('generation', 1);
    expect(names(await tile(path, { accessible: 'step_free_entrance,elevator' }))).toEqual(['Kita Nord']);
    expect(names(await tile(path, { language: 'ar,tr' }))).toEqual(['Kita Nord']);
    const bad = await tile(path, { language: 'tr,xx1' });
    expect(bad.status).toBe(400);
  });

  it('keys its cache by meaning: reordered or repeated filter lists share one tile and ETag', async () => {
    const address = tileOf(places[0]![0], places[0]![1], 16);
    const path = `/api/tiles/offers/16/${address.x}/${address.y}.pbf`;
    const first = await tile(path, { type: 'kita,senior_meeting_place' });
    const reordered = await tile(path, { type: 'senior_meeting_place,kita,kita' });
    expect(first.status).toBe(200);
    expect(reordered.headers.etag).toBe(first.headers.etag);
    const other = await tile(path, { type: 'kita' });
    expect(other.headers.etag).not.toBe(first.headers.etag);
  });

  it('caps what one anonymous request may ask: zoom, tile numbers and list lengths', async () => {
    const cases: [string, Record<string, string>, string][] = [
      ['/api/tiles/offers/21/0/0.pbf', {}, 'params.z'],
      ['/api/tiles/offers/3/8/0.pbf', {}, 'params.x'],
      ['/api/tiles/offers/3/0/8.pbf', {}, 'params.y'],
      ['/api/tiles/offers/14/0/0.pbf', { type: Array.from({ length: 21 }, (_, index) => `t${index}`).join(',') }, 'query.type'],
      ['/api/tiles/offers/14/0/0.pbf', { colour: 'red' }, 'query'],
    ];
    for (const [path, query, field] of cases) {
      const response = await request(app).get(path).query(query);
      expect(response.status, path).toBe(400);
      expect(response.body.errors.map((error: { field: string }) => error.field).join(' ')).toContain(field);
    }
  });

  it('answers 304 to a known ETag, and a new offer shows in its tile at once', async () => {
    const [lon, lat] = places[2]!;
    const address = tileOf(lon, lat, 16);
    const path = `/api/tiles/offers/16/${address.x}/${address.y}.pbf`;
    const first = await tile(path);
    expect(first.headers['cache-control']).toMatch(/max-age=5/);
    const etag = first.headers.etag as string;
    expect((await request(app).get(path).set('If-None-Match', etag)).status).toBe(304);
    await insertOffer(testDatabase.database.knex, { departmentId: city.departmentId, offerType: 'kita', lon: lon + 0.0001, lat, name: 'Neu eröffnet' });
    const after = await tile(path);
    expect(after.headers.etag).not.toBe(etag);
    const layer = decode(after.body as Buffer).layers.offers!;
    expect(Array.from({ length: layer.length }, (_, index) => layer.feature(index).properties.name).sort()).toEqual(['Begegnung Mitte', 'Neu eröffnet']);
  });

  it('shows an edited offer in its tile within 5 s with the production check interval', async () => {
    const { knex } = testDatabase.database;
    // As configured in production: the data version is read at most every 2 s (app.ts).
    const production = createTestApp(testDatabase.database, { searchIndexCheckMs: 2000 });
    const [lon, lat] = places[2]!;
    const address = tileOf(lon, lat, 16);
    const path = `/api/tiles/offers/16/${address.x}/${address.y}.pbf`;
    const names = async () => {
      const response = await request(production).get(path).buffer(true).parse(binary);
      const layer = decode(response.body as Buffer).layers.offers!;
      return Array.from({ length: layer.length }, (_, index) => String(layer.feature(index).properties.name));
    };
    expect(await names()).toContain('Begegnung Mitte');
    const edited = performance.now();
    await knex('offers').where('name', 'Begegnung Mitte').update({ name: 'Begegnung Mitte (umgezogen)', updated_at: knex.fn.now() });
    let seen = false;
    while (!seen && performance.now() - edited < 5000) {
      seen = (await names()).includes('Begegnung Mitte (umgezogen)');
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(seen).toBe(true);
    expect(performance.now() - edited).toBeLessThan(5000);
  });

  it('shows a moved and a newly published offer in their tiles within 5 s while the in-memory index is rebuilt', async () => {
    const { knex } = testDatabase.database;
    const taxonomies = createTaxonomiesService({ db: knex });
    // The production settings (app.ts): the data version read at most every 2 s, the index rebuilt at most every 10 s.
    const tiles = createTilesService({ db: knex, taxonomies, checkIntervalMs: 2000 });
    const from = [6.9705, 50.9305] as const;
    const to = [6.9805, 50.9405] as const;
    const moving = await insertOffer(knex, { departmentId: city.departmentId, offerType: 'kita', lon: from[0], lat: from[1], name: 'Umzug' });
    const draft = await insertOffer(knex, { departmentId: city.departmentId, offerType: 'kita', lon: to[0] + 0.0002, lat: to[1], name: 'Noch Entwurf', publication: 'draft' });
    expect(await tiles.warmOfferIndex()).toBe(true);
    const addressOf = ([lon, lat]: readonly [number, number]) => {
      const address = tileOf(lon, lat, 15);
      return { z: 15, x: address.x, y: address.y };
    };
    const read = async (at: readonly [number, number]) => {
      const tile = await tiles.offerTile(addressOf(at), {});
      const layer = decode(tile.body).layers.offers;
      return { etag: tile.etag, names: layer ? Array.from({ length: layer.length }, (_, index) => String(layer.feature(index).properties.name)) : [] };
    };
    const before = { from: await read(from), to: await read(to) };
    expect(before.from.names).toContain('Umzug');
    expect(before.to.names).not.toContain('Umzug');
    expect(before.to.names).not.toContain('Noch Entwurf');

    const edited = performance.now();
    const location = (await knex('offer_locations').where('offer_id', moving).first('location_id')) as { location_id: string };
    await knex('locations')
      .where('id', location.location_id)
      .update({ geom: knex.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', [to[0], to[1]]) });
    await knex('offers').where('id', moving).update({ updated_at: knex.fn.now() });
    await knex('offers').where('id', draft).update({ publication: 'published', updated_at: knex.fn.now() });
    let after = { from: await read(from), to: await read(to) };
    while (performance.now() - edited < 5000 && !(after.to.names.includes('Umzug') && after.to.names.includes('Noch Entwurf') && !after.from.names.includes('Umzug'))) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = { from: await read(from), to: await read(to) };
    }
    expect(performance.now() - edited).toBeLessThan(5000);
    expect(after.to.names).toEqual(expect.arrayContaining(['Umzug', 'Noch Entwurf']));
    expect(after.from.names).not.toContain('Umzug');
    expect(after.from.etag).not.toBe(before.from.etag);
    expect(after.to.etag).not.toBe(before.to.etag);
    // Once the index holds the new version, it answers the same.
    expect(await tiles.warmOfferIndex()).toBe(true);
    expect((await read(to)).names.sort()).toEqual([...after.to.names].sort());
  });

  it('reads positions from the stored Mercator column, equal to ST_Transform', async () => {
    const { knex } = testDatabase.database;
    const row = (await knex('locations')
      .select(knex.raw('max(ST_Distance(geom_mercator, ST_Transform(geom, 3857))) as worst, count(*)::int as count'))
      .first()) as { worst: number; count: number };
    expect(row.count).toBeGreaterThan(0);
    expect(Number(row.worst)).toBeLessThan(0.001);
  });

  it('counts cluster tiles from the in-memory index exactly as SQL does, and follows an edit', async () => {
    const { knex } = testDatabase.database;
    const taxonomies = createTaxonomiesService({ db: knex });
    const fromIndex = createTilesService({ db: knex, taxonomies, checkIntervalMs: 0, cacheSize: 0, offerIndex: { minRebuildIntervalMs: 0 } });
    const fromSql = createTilesService({ db: knex, taxonomies, checkIntervalMs: 0, cacheSize: 0, offerIndex: { enabled: false } });
    // Offers spread so that cells hold one, several and none, some in a neighbour's buffer.
    for (let index = 0; index < 40; index++) {
      await insertOffer(knex, { departmentId: city.departmentId, offerType: 'kita', lon: 6.9 + (index % 8) * 0.0061, lat: 50.93 + Math.floor(index / 8) * 0.0023, name: `Raster ${index}` });
    }
    expect(await fromIndex.warmOfferIndex()).toBe(true);
    const features = (body: Buffer) => {
      const layer = decode(body).layers.offers;
      return layer ? Array.from({ length: layer.length }, (_, index) => ({ geometry: layer.feature(index).loadGeometry(), properties: layer.feature(index).properties })) : [];
    };
    for (const z of [9, 11, 12, 13]) {
      for (const [lon, lat] of [[6.92, 50.935], [6.905, 50.935], [6.945, 50.94]] as const) {
        const address = tileOf(lon, lat, z);
        const tile = { z, x: address.x, y: address.y };
        const indexed = await fromIndex.offerTile(tile, {});
        const counted = await fromSql.offerTile(tile, {});
        expect(features(indexed.body), `z${z} ${lon},${lat}`).toEqual(features(counted.body));
        expect(indexed.body.equals(counted.body)).toBe(true);
      }
    }
    // An edit moves the version: until the index is rebuilt the SQL path answers, then the index again.
    await knex('offers').where('name', 'Raster 0').update({ status: 'inactive' });
    const address = tileOf(6.92, 50.935, 11);
    const afterEdit = await fromIndex.offerTile({ z: 11, x: address.x, y: address.y }, {});
    expect(features(afterEdit.body)).toEqual(features((await fromSql.offerTile({ z: 11, x: address.x, y: address.y }, {})).body));
    expect(await fromIndex.warmOfferIndex()).toBe(true);
    const rebuilt = await fromIndex.offerTile({ z: 11, x: address.x, y: address.y }, {});
    expect(rebuilt.body.equals(afterEdit.body)).toBe(true);
  });

  it('answers point tiles and filtered tiles from the in-memory index exactly as SQL does', async () => {
    const { knex } = testDatabase.database;
    const taxonomies = createTaxonomiesService({ db: knex });
    const fromIndex = createTilesService({ db: knex, taxonomies, checkIntervalMs: 0, cacheSize: 0, offerIndex: { minRebuildIntervalMs: 0 } });
    const fromSql = createTilesService({ db: knex, taxonomies, checkIntervalMs: 0, cacheSize: 0, offerIndex: { enabled: false } });
    // Offers with the filter fields set in several combinations, some on a tile edge at zoom 15.
    const stepFree = (await knex('taxonomy_terms').where({ taxonomy: 'accessibility', code: 'step_free_entrance' }).first('id')) as { id: string };
    const edge = tileOf(6.91, 50.936, 15);
    const edgeLon = ((edge.x + 1) / 2 ** 15) * 360 - 180;
    for (let index = 0; index < 24; index++) {
      const lon = index % 4 === 0 ? edgeLon + (index % 8 === 0 ? 1e-7 : -1e-7) : 6.905 + (index % 6) * 0.0013;
      const id = await insertOffer(knex, {
        departmentId: city.departmentId,
        offerType: index % 3 === 0 ? 'kita' : 'senior_meeting_place',
        lon,
        lat: 50.934 + Math.floor(index / 6) * 0.0009,
        name: `Filter ${index}`,
        targetGroups: index % 2 === 0 ? ['seniors'] : [],
      });
      if (index % 5 === 0) await knex('offer_terms').insert({ offer_id: id, taxonomy: 'accessibility', term_id: stepFree.id });
      await knex('offers')
        .where('id', id)
        .update({ cost_kind: index % 4 === 1 ? 'free' : null, languages: knex.raw('?::text[]', [index % 3 === 1 ? '{de,tr}' : '{de}']) });
    }
    expect(await fromIndex.warmOfferIndex()).toBe(true);
    const features = (body: Buffer) => {
      const layer = decode(body).layers.offers;
      return layer ? Array.from({ length: layer.length }, (_, index) => ({ geometry: layer.feature(index).loadGeometry(), properties: layer.feature(index).properties })) : [];
    };
    const filters: OfferTileQuery[] = [{}, { type: ['kita'] }, { targetGroup: ['seniors'] }, { accessible: ['step_free_entrance'] }, { free: true }, { language: ['tr'] }, { type: ['senior_meeting_place'], language: ['tr', 'ar'], free: true }];
    let compared = 0;
    for (const z of [11, 13, 14, 15, 16]) {
      for (const [lon, lat] of [[6.905, 50.935], [6.91, 50.936], [edgeLon + 1e-6, 50.936], [edgeLon - 1e-6, 50.936]] as const) {
        const address = tileOf(lon, lat, z);
        for (const query of filters) {
          const tile = { z, x: address.x, y: address.y };
          const indexed = await fromIndex.offerTile(tile, query);
          const counted = await fromSql.offerTile(tile, query);
          expect(features(indexed.body), `z${z} ${lon},${lat} ${JSON.stringify(query)}`).toEqual(features(counted.body));
          expect(indexed.body.equals(counted.body)).toBe(true);
          compared += counted.features;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('reads the offer index through one cursor with the same tiles as through pages', async () => {
    const { knex } = testDatabase.database;
    const taxonomies = createTaxonomiesService({ db: knex });
    const byCursor = createTilesService({ db: knex, taxonomies, checkIntervalMs: 0, cacheSize: 0, offerIndex: { read: 'cursor', minRebuildIntervalMs: 0 } });
    const byPages = createTilesService({ db: knex, taxonomies, checkIntervalMs: 0, cacheSize: 0, offerIndex: { read: 'pages', minRebuildIntervalMs: 0 } });
    expect(await byCursor.warmOfferIndex()).toBe(true);
    expect(await byPages.warmOfferIndex()).toBe(true);
    let features = 0;
    for (const z of [11, 14, 16]) {
      for (const query of [{}, { type: ['kita'] }, { targetGroup: ['seniors'] }] satisfies OfferTileQuery[]) {
        const address = tileOf(6.905, 50.935, z);
        const tile = { z, x: address.x, y: address.y };
        const cursorTile = await byCursor.offerTile(tile, query);
        expect(cursorTile.body.equals((await byPages.offerTile(tile, query)).body), `z${z} ${JSON.stringify(query)}`).toBe(true);
        features += cursorTile.features;
      }
    }
    expect(features).toBeGreaterThan(20);
  });

  it('draws areas as polygons, simplified per zoom', async () => {
    const address = tileOf(6.93, 50.935, 10);
    const response = await tile(`/api/tiles/areas-sozialraum/10/${address.x}/${address.y}.pbf`);
    const layer = decode(response.body as Buffer).layers.areas!;
    const codes = Array.from({ length: layer.length }, (_, index) => layer.feature(index).properties.code).sort();
    expect(codes).toEqual(['S1', 'S2', 'S3']);
    for (let index = 0; index < layer.length; index++) expect(layer.feature(index).type).toBe(3);
    // A square Sozialraum keeps its four corners: simplification drops no corner at this zoom.
    const s1 = Array.from({ length: layer.length }, (_, index) => layer.feature(index)).find((feature) => feature.properties.code === 'S1')!;
    const ring = s1.loadGeometry()[0]!;
    expect(ring.length).toBe(5);
    const west = tileOf(6.9, 50.95, 10);
    expect(Math.min(...ring.map((point) => point.x))).toBeCloseTo(west.px, -0.5);
    expect(Math.min(...ring.map((point) => point.y))).toBeCloseTo(west.py, -0.5);
  });

  it('describes each layer as TileJSON', async () => {
    const offers = await request(app).get('/api/tiles/offers.json').query({ type: 'kita' });
    expect(offers.body).toMatchObject({ tilejson: '3.0.0', vector_layers: [{ id: 'offers' }] });
    expect(offers.body.tiles[0]).toMatch(/\/api\/tiles\/offers\/\{z\}\/\{x\}\/\{y\}\.pbf\?type=kita$/);
    const areas = await request(app).get('/api/tiles/areas-district.json');
    expect(areas.body.vector_layers[0].id).toBe('areas');
    // area sets (issue 13) are a level of their own, like any other
    const sets = await request(app).get('/api/tiles/areas-area_set.json');
    expect(sets.status).toBe(200);
    expect(sets.body.vector_layers[0].id).toBe('areas');
    expect(sets.body.tiles[0]).toMatch(/\/api\/tiles\/areas-area_set\/\{z\}\/\{x\}\/\{y\}\.pbf$/);
  });

  it('refuses tiles outside the world, unknown filters and levels with problem+json', async () => {
    const cases: [string, Record<string, string>, string][] = [
      ['/api/tiles/offers/3/8/0.pbf', {}, 'params.x'],
      ['/api/tiles/offers/21/0/0.pbf', {}, 'params.z'],
      ['/api/tiles/offers/14/a/0.pbf', {}, 'params.x'],
      ['/api/tiles/offers/14/0/0.pbf', { colour: 'red' }, 'query'],
      ['/api/tiles/offers/14/0/0.pbf', { type: 'no_such_type' }, 'query.type'],
      ['/api/tiles/areas-street/3/0/0.pbf', {}, 'params.level'],
    ];
    for (const [path, query, field] of cases) {
      const response = await request(app).get(path).query(query);
      expect(response.status, path).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(response.body.errors), path).toContain(field);
    }
  });
});
