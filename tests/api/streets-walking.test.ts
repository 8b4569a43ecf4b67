import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import type { GapsResult } from '../../server/coverage/coverage.schema.ts';
import type { SearchResponse } from '../../server/search/search.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createSyntheticCity, insertOffer } from '../helpers/coverage-factories.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

// One street kernel (server/streets): a citizen's walking distance in the search and a planner's
// distance in the coverage engine are one number for the same origin–offer pair, over the street
// network and, where the network does not answer, as airline × the configured detour factor.
//
// The origin is where the coverage places residents: the middle of a street segment (seg5 of the
// synthetic city, 6.94–6.95 at 50.935° N). The coverage engine's distance for it is the gap
// distance of that segment when the reach is shorter than the walk.

let testDatabase: TestDatabase;
let app: Express;
let city: Awaited<ReturnType<typeof createSyntheticCity>>;
const origin = { lon: 6.945, lat: 50.935 };

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  const knex = testDatabase.database.knex;
  city = await createSyntheticCity(knex);
  // Reached over the network: 22 m north of seg2, a quarter along it.
  await insertOffer(knex, {
    departmentId: city.departmentId,
    offerType: 'senior_meeting_place',
    lon: 6.9125,
    lat: city.lat + 0.0002,
    name: 'Treff an der Langen Straße',
  });
  // Out of the network's reach: 2.2 km north of the only street (snapping stops at 400 m).
  await insertOffer(knex, {
    departmentId: city.departmentId,
    offerType: 'kita',
    lon: 6.945,
    lat: city.lat + 0.02,
    name: 'Kita am Feld',
    targetGroups: ['seniors'],
  });
  app = createTestApp(testDatabase.database);
});

afterAll(async () => {
  await testDatabase.destroy();
});

async function searchFromOrigin(filter: Record<string, string>): Promise<SearchResponse> {
  const response = await request(app)
    .get('/api/search')
    .query({ lon: origin.lon, lat: origin.lat, radius: 10_000, ...filter });
  expect(response.status).toBe(200);
  return response.body as SearchResponse;
}

/** The coverage engine's distance from the residents of `segmentId` to the nearest matching offer. */
async function coverageDistance(filter: Record<string, string>, segmentId: number): Promise<number> {
  const response = await request(app)
    .get('/api/coverage/gaps')
    .query({ ...filter, mode: 'walk', distance: 50, unit: 'segments' });
  expect(response.status).toBe(200);
  const body = response.body as GapsResult;
  const gap = body.features.find((feature) => feature.properties.segmentId === segmentId);
  if (!gap?.properties.distanceMeters) throw new Error(`segment ${segmentId} is no gap with a distance`);
  return gap.properties.distanceMeters;
}

describe('one walking distance for search and coverage', () => {
  it('is the same over the street network', async () => {
    const segment5 = city.segments[4]!;
    const search = await searchFromOrigin({ type: 'senior_meeting_place' });
    const [result] = search.results;
    expect(result).toMatchObject({ name: 'Treff an der Langen Straße', walkingDistanceMethod: 'network' });
    const planned = await coverageDistance({ offerType: 'senior_meeting_place' }, segment5);
    // Along the street: 350 m (half of seg5) + 700 m (seg4) + 700 m (seg3) + 525 m to a quarter of
    // seg2, plus 22 m off it.
    expect(planned).toBeGreaterThan(350 + 2 * 700 + 525 + 20);
    expect(planned).toBeLessThan(350 + 2 * 700 + 525 + 25);
    expect(result!.walkingDistanceMeters).toBe(Math.round(planned));
  });

  it('is the same where the network does not answer (airline × the configured detour factor)', async () => {
    const segment5 = city.segments[4]!;
    const search = await searchFromOrigin({ targetGroup: 'seniors' });
    const [result] = search.results;
    expect(result).toMatchObject({ name: 'Kita am Feld', walkingDistanceMethod: 'detour_factor' });
    expect(search.walking.detourFactor).toBe(1.3);
    const planned = await coverageDistance({ targetGroup: 'seniors' }, segment5);
    // 0.02° of latitude is about 2.22 km airline, × 1.3
    expect(planned).toBeGreaterThan(2200 * 1.3);
    expect(planned).toBeLessThan(2250 * 1.3);
    expect(result!.walkingDistanceMeters).toBe(Math.round(planned));
  });
});
