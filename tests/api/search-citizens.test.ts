// The citizens' journeys on the server (issue 12): one count for one search, walking order, the
// Stadtteil understood, no dead end (nearest beyond the radius, offers open to everyone), raw
// imported records left out until adopted, the source of a record, and the city's contact line.
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../server/meta/meta.schema.ts';
import type { OfferDetail, SearchResponse } from '../../server/search/search.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { importKoelnStreets, insertSearchOffer, koelnDataAvailable, metersEast, metersNorth } from '../helpers/search-factories.ts';

const hasData = koelnDataAvailable();
// Venloer Straße 300 (Ehrenfeld), as the geocoder places it; and a point in Eil, far from it.
const venloer300: [number, number] = [6.919712, 50.948665];
const eil: [number, number] = [7.070202, 50.890913];

let testDatabase: TestDatabase;
let app: Express;

async function search(query: Record<string, string | number>): Promise<SearchResponse> {
  const response = await request(app).get('/api/search').query(query);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as SearchResponse;
}

beforeAll(async () => {
  if (!hasData) return;
  testDatabase = await createTestDatabase();
  const knex = testDatabase.database.knex;
  await importKoelnStreets(knex);
  // Forty family offers around Eil, in a spiral: enough to pass the first KNN scan of 32.
  for (let index = 0; index < 40; index += 1) {
    const angle = (index * 137.5 * Math.PI) / 180;
    const meters = 100 + index * 35;
    const point = metersNorth(metersEast(eil, Math.cos(angle) * meters), Math.sin(angle) * meters);
    await insertSearchOffer(knex, { name: `Familientreff ${index + 1}`, offerType: 'family_centre', targetGroups: ['families'], locations: [point] });
  }
  // Near Venloer Straße 300: one senior offer 1.6 km away, one offer for everyone 300 m away.
  await insertSearchOffer(knex, { name: 'Seniorentreff weiter weg', targetGroups: ['seniors'], locations: [metersNorth(venloer300, 1600)] });
  await insertSearchOffer(knex, { name: 'Bürgerzentrum für alle', offerType: 'community_centre', targetGroups: ['everyone'], locations: [metersEast(venloer300, 300)] });
  app = createTestApp(testDatabase.database);
}, 240_000);

afterAll(async () => {
  await testDatabase?.destroy();
});

describe.skipIf(!hasData)('one search, one count', () => {
  it('gives the same exact count twice, before and after the index is built', async () => {
    const query = { lat: eil[1], lon: eil[0], radius: 2000, targetGroup: 'families', pageSize: 20 };
    const first = await search(query);
    // The index is built in the background after the first search; its counter is read every second.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const second = await search(query);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const third = await search(query);
    expect([first.total, first.totalIsCapped]).toEqual([40, false]);
    expect([second.total, second.totalIsCapped]).toEqual([40, false]);
    expect([third.total, third.totalIsCapped]).toEqual([40, false]);
  });
});

describe.skipIf(!hasData)('results in the order they show', () => {
  it('sorts by walking distance and says so', async () => {
    const body = await search({ lat: eil[1], lon: eil[0], radius: 2000, targetGroup: 'families', pageSize: 50 });
    expect(body.sortedBy).toBe('walking');
    const walking = body.results.map((result) => result.walkingDistanceMeters ?? Number.NaN);
    expect(walking.every(Number.isFinite)).toBe(true);
    expect(walking).toEqual([...walking].sort((a, b) => a - b));
  });

  it('pages through the walking order without repeating or losing an offer', async () => {
    const query = { lat: eil[1], lon: eil[0], radius: 2000, targetGroup: 'families', pageSize: 15 };
    const pages = [await search({ ...query, page: 1 }), await search({ ...query, page: 2 }), await search({ ...query, page: 3 })];
    const ids = pages.flatMap((page) => page.results.map((result) => result.id));
    expect(new Set(ids).size).toBe(40);
    const walking = pages.flatMap((page) => page.results.map((result) => result.walkingDistanceMeters ?? 0));
    expect(walking).toEqual([...walking].sort((a, b) => a - b));
  });
});

describe.skipIf(!hasData)('the place understood', () => {
  it('names the Stadtteil and Stadtbezirk of an address and of coordinates', async () => {
    const byAddress = await search({ address: 'Venloer Straße 300', radius: 500 });
    expect(byAddress.origin).toMatchObject({ label: 'Venloer Straße 300', areaName: 'Ehrenfeld', districtName: 'Ehrenfeld' });
    const byPoint = await search({ lat: eil[1], lon: eil[0], radius: 500 });
    expect(byPoint.origin).toMatchObject({ areaName: 'Eil', districtName: 'Porz' });
  });

  it('reads no area per place: the city\'s areas are held, a new place and the same place again are named from memory', async () => {
    const knex = testDatabase.database.knex;
    const statements: string[] = [];
    const record = (query: { sql: string }) => statements.push(query.sql);
    // Near Eil, but not a place searched before in this file.
    const [lon, lat] = metersNorth(eil, 40);
    const place = { lat, lon };
    knex.on('query', record);
    try {
      const first = await search({ ...place, radius: 1000 });
      const readFirst = statements.filter((statement) => /from "areas"/.test(statement));
      statements.length = 0;
      const again = await search({ ...place, radius: 2000, targetGroup: 'families', page: 2, pageSize: 5 });
      // At most the check of the areas' version (once a minute); never their shapes, never a test per point.
      expect(readFirst.filter((statement) => !/count\(\*\)/.test(statement))).toEqual([]);
      expect(readFirst.length).toBeLessThanOrEqual(1);
      expect(statements.filter((statement) => /from "areas"/.test(statement))).toEqual([]);
      expect(again.origin).toEqual(first.origin);
      expect(first.origin).toMatchObject({ areaName: 'Eil', districtName: 'Porz' });
    } finally {
      knex.off('query', record);
    }
  });
});

describe.skipIf(!hasData)('a search that never dead-ends', () => {
  it('shows the nearest matching offers beyond the radius and offers open to everyone near by', async () => {
    const body = await search({ lat: venloer300[1], lon: venloer300[0], radius: 500, targetGroup: 'seniors' });
    expect(body.total).toBe(0);
    expect(body.results).toEqual([]);
    expect(body.beyondRadius[0]).toMatchObject({ name: 'Seniorentreff weiter weg' });
    expect(body.beyondRadius[0]!.distanceMeters).toBeGreaterThan(1500);
    expect(body.beyondRadius.every((result) => (result.distanceMeters ?? 0) > 500)).toBe(true);
    expect(body.openToEveryone.map((result) => result.name)).toEqual(['Bürgerzentrum für alle']);
    expect(body.openToEveryone[0]!.targetGroups).toEqual(['everyone']);
  });

  it('leaves both out when enough offers match within the radius', async () => {
    const body = await search({ lat: eil[1], lon: eil[0], radius: 2000, targetGroup: 'families' });
    expect(body.beyondRadius).toEqual([]);
    expect(body.openToEveryone).toEqual([]);
  });

  it('does not repeat an offer found within the radius among those beyond it', async () => {
    const body = await search({ lat: venloer300[1], lon: venloer300[0], radius: 2000, targetGroup: 'seniors' });
    expect(body.results.map((result) => result.name)).toEqual(['Seniorentreff weiter weg']);
    expect(body.beyondRadius.map((result) => result.name)).not.toContain('Seniorentreff weiter weg');
  });
});

describe.skipIf(!hasData)('raw imported records', () => {
  it('are left out of the search and the detail until a department adopts them', async () => {
    const knex = testDatabase.database.knex;
    const point = metersEast(venloer300, -250);
    const raw = await insertSearchOffer(knex, { name: 'Arztpraxis (ohne Namen in OpenStreetMap)', offerType: 'doctor', targetGroups: ['everyone'], locations: [point] });
    await knex('offers').where({ id: raw.offerId }).update({ raw_reason: 'unnamed', source: 'osm-koeln', external_id: 'node/4242' });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const names = async () => (await search({ lat: point[1], lon: point[0], radius: 300 })).results.map((result) => result.name);
    expect(await names()).not.toContain('Arztpraxis (ohne Namen in OpenStreetMap)');
    expect((await request(app).get(`/api/search/offers/${raw.offerId}`)).status).toBe(404);

    await knex('offers').where({ id: raw.offerId }).update({ raw_reason: null, name: 'Hausarztpraxis Dr. Beispiel' });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await names()).toContain('Hausarztpraxis Dr. Beispiel');
    const detail = (await request(app).get(`/api/search/offers/${raw.offerId}`)).body as OfferDetail;
    expect(detail.source).toEqual({ source: 'osm-koeln', externalId: 'node/4242' });
  });
});

describe.skipIf(!hasData)('what the city tells citizens', () => {
  it('serves the contact line, every dataset under its attribution and the record sources', async () => {
    const config = (await request(app).get('/api/config')).body as AppConfig;
    expect(config.city.contact).toMatchObject({ phone: '115', name: { de: expect.stringContaining('115') } });
    const osm = config.attributions.find((item) => item.attribution.includes('OpenStreetMap'));
    expect(osm?.datasets.length).toBeGreaterThanOrEqual(10);
    expect(osm?.datasets.map((dataset) => dataset.id)).toContain('koeln-osm-pharmacy');
    const source = config.recordSources.find((item) => item.source === 'osm-koeln');
    expect(source).toMatchObject({ dataDate: '2014-01', publisher: expect.stringContaining('OpenStreetMap') });
    expect(source?.incompleteOfferTypes).toEqual(expect.arrayContaining(['pharmacy', 'care_home']));
  });
});
