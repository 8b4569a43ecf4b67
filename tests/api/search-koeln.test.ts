import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse } from '../../server/search/search.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { importKoelnStreets, insertSearchOffer, koelnDataAvailable } from '../helpers/search-factories.ts';

// Walking distances over Cologne's real street segments: the Rhine is crossed only on bridges.
const hasData = koelnDataAvailable();

let testDatabase: TestDatabase;
let app: Express;

beforeAll(async () => {
  if (!hasData) return;
  testDatabase = await createTestDatabase();
  const knex = testDatabase.database.knex;
  await importKoelnStreets(knex);
  // On the left bank near the Heumarkt, and across the river at the Deutzer Werft.
  await insertSearchOffer(knex, { name: 'Treff am Heumarkt', offerType: 'senior_meeting_place', targetGroups: ['seniors'], locations: [[6.9599, 50.9356]] });
  await insertSearchOffer(knex, { name: 'Treff in Deutz', offerType: 'senior_meeting_place', targetGroups: ['seniors'], locations: [[6.969917, 50.933887]] });
  app = createTestApp(testDatabase.database);
});

afterAll(async () => {
  await testDatabase?.destroy();
});

describe.skipIf(!hasData)('GET /api/search from a Cologne address', () => {
  it('starts at the geocoded address and sorts by airline distance', async () => {
    const response = await request(app).get('/api/search').query({ address: 'Frankenwerft 1', radius: 1500 });
    expect(response.status).toBe(200);
    const body = response.body as SearchResponse;
    expect(body.origin).toMatchObject({ label: 'Frankenwerft 1', source: 'address', precision: 'house_number' });
    expect(body.results.map((result) => result.name)).toEqual(['Treff am Heumarkt', 'Treff in Deutz']);
    const [heumarkt, deutz] = body.results;
    expect(heumarkt!.distanceMeters!).toBeLessThan(deutz!.distanceMeters!);
  });

  it('measures walking distance on the street network, with the bridge detour across the Rhine', async () => {
    const response = await request(app).get('/api/search').query({ address: 'Frankenwerft 1', radius: 1500 });
    const body = response.body as SearchResponse;
    expect(body.walkingDistanceMethod).toBe('network');
    expect(body.walking.networkAvailable).toBe(true);
    const [heumarkt, deutz] = body.results;
    for (const result of body.results) {
      expect(result.walkingDistanceMethod).toBe('network');
      expect(result.walkingDistanceMeters!).toBeGreaterThanOrEqual(result.distanceMeters!);
    }
    // 300 m along the river bank, but across the water only by bridge: far more than 1.3 × airline
    expect(heumarkt!.walkingDistanceMeters!).toBeLessThan(heumarkt!.distanceMeters! * 2);
    expect(deutz!.distanceMeters!).toBeLessThan(700);
    expect(deutz!.walkingDistanceMeters!).toBeGreaterThan(2000);
    expect(deutz!.walkingMinutes).toBe(Math.round(deutz!.walkingDistanceMeters! / 50));
  });

  it('answers an address in the wrong city with a problem naming the parameter', async () => {
    const response = await request(app).get('/api/search').query({ address: 'Unter den Linden 1' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'address_not_found', errors: [{ field: 'query.address' }] });
  });
});
