import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import type { AreaCoverage, CoverageResult, GapsResult, ScenarioResult } from '../../server/coverage/coverage.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createSyntheticCity, independentAirlineCoverage, insertOffer } from '../helpers/coverage-factories.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let testDatabase: TestDatabase;
let app: Express;
let city: Awaited<ReturnType<typeof createSyntheticCity>>;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  const knex = testDatabase.database.knex;
  city = await createSyntheticCity(knex);
  const { departmentId, lat } = city;
  // the one counted senior meeting place: at the junction of seg1 and seg2
  await insertOffer(knex, { departmentId, offerType: 'senior_meeting_place', lon: 6.91, lat, name: 'Treff West' });
  // not counted: draft, archived, inactive, and another offer type
  await insertOffer(knex, { departmentId, offerType: 'senior_meeting_place', lon: 6.95, lat, publication: 'draft' });
  await insertOffer(knex, { departmentId, offerType: 'senior_meeting_place', lon: 6.95, lat, archived: true });
  await insertOffer(knex, { departmentId, offerType: 'senior_meeting_place', lon: 6.95, lat, status: 'inactive' });
  await insertOffer(knex, { departmentId, offerType: 'kita', lon: 6.95, lat });
  // a care home (sub-type of "seniors") at the junction of seg5 and seg6
  await insertOffer(knex, { departmentId, offerType: 'care_home', lon: 6.95, lat, capacity: 80 });
  app = createTestApp(testDatabase.database);
});

afterAll(async () => {
  await testDatabase.destroy();
});

function area(result: { areas: AreaCoverage[] } | AreaCoverage[], code: string): AreaCoverage {
  const list = Array.isArray(result) ? result : result.areas;
  const found = list.find((entry) => entry.code === code);
  if (!found) throw new Error(`no area ${code}`);
  return found;
}

describe('GET /api/coverage on a hand-computed network', () => {
  it('measures walking distance along the streets with the offer type default reach (500 m)', async () => {
    const response = await request(app).get('/api/coverage').query({ offerType: 'senior_meeting_place' });
    expect(response.status).toBe(200);
    const body = response.body as CoverageResult;
    expect(body.method.reach).toMatchObject({ mode: 'walk', meters: 500, measuredOn: 'mixed', defaultFromOfferType: true, basis: 'offer_type_walk' });
    // seg1 and seg2 midpoints are 350 m away: all of S1 (seg3 holds no houses, so no residents)
    expect(area(body, 'S1')).toMatchObject({ targetPopulation: 150, coveredPopulation: 150, shareWithinReach: 1, offers: 1, medianDistanceMeters: 350 });
    expect(area(body, 'S1').offersPer1000).toBeCloseTo(1000 / 150, 9);
    // S2: 18 / 27 / 45 residents at 1,750 / 2,450 / 3,150 m
    expect(area(body, 'S2')).toMatchObject({ targetPopulation: 90, coveredPopulation: 0, shareWithinReach: 0, offers: 0, medianDistanceMeters: 2450 });
    expect(area(body, 'S3')).toMatchObject({ targetPopulation: 30, coveredPopulation: 0, demandWeighting: 'area' });
    expect(area(body, city.district1.code)).toMatchObject({ level: 'district', targetPopulation: 240, coveredPopulation: 150, shareWithinReach: 0.625 });
    expect(area(body, city.city.code)).toMatchObject({ level: 'city', targetPopulation: 270, coveredPopulation: 150, medianDistanceMeters: 350 });
  });

  it('spreads residents by house numbers and covered plus uncovered equals the target population', async () => {
    const response = await request(app).get('/api/coverage').query({ offerType: 'senior_meeting_place', distance: 2000 });
    const body = response.body as CoverageResult;
    // at 2,000 m seg4 (18 of S2's 90 residents, 2 of 10 houses) is reached as well
    expect(area(body, 'S2').coveredPopulation).toBeCloseTo(18, 9);
    expect(area(body, 'S2').demandWeighting).toBe('house_numbers');
    for (const entry of body.areas) {
      expect(entry.coveredPopulation + entry.uncoveredPopulation).toBeCloseTo(entry.targetPopulation, 9);
    }
  });

  it('computes the E2SFCA score with the default bands (1 / 0.68 / 0.22 in thirds of the reach)', async () => {
    const body = (await request(app).get('/api/coverage').query({ offerType: 'senior_meeting_place' })).body as CoverageResult;
    // both populated segments lie at 350 m (band 3, weight 0.22): R = 1 / (150 · 0.22), A = R · 0.22 = 1/150
    expect(area(body, 'S1').e2sfcaPer1000).toBeCloseTo(1000 / 150, 9);
    expect(area(body, 'S2').e2sfcaPer1000).toBe(0);
    expect(body.method.e2sfca).toMatchObject({
      supplyMeasure: 'offers',
      bands: [
        { upToMeters: 167, weight: 1 },
        { upToMeters: 333, weight: 0.68 },
        { upToMeters: 500, weight: 0.22 },
      ],
    });
  });

  it('counts sub-types of an offer type and their capacity', async () => {
    const body = (await request(app).get('/api/coverage').query({ offerType: 'seniors' })).body as CoverageResult;
    expect(area(body, 'S2')).toMatchObject({ offers: 1, capacity: 80, coveredPopulation: 72 });
    expect(area(body, 'S2').capacityPer1000).toBeCloseTo((80 / 90) * 1000, 9);
    expect(area(body, city.city.code).offers).toBe(2);
  });

  it('takes the statistics of the year asked for', async () => {
    const body = (await request(app).get('/api/coverage').query({ offerType: 'senior_meeting_place', year: 2011 })).body as CoverageResult;
    expect(area(body, 'S1').targetPopulation).toBe(75);
    expect(body.method.demand).toMatchObject({ year: 2011, period: '2011-12-31', availableYears: [2011, 2012] });
  });

  it('states method, parameters, data dates and sources', async () => {
    const body = (await request(app).get('/api/coverage').query({ offerType: 'senior_meeting_place' })).body as CoverageResult;
    expect(body.method).toMatchObject({
      offerType: { code: 'senior_meeting_place' },
      targetGroup: { code: 'seniors' },
      demand: {
        indicators: [{ code: 'population_65_75' }, { code: 'population_75_plus' }],
        weighting: { houseNumbers: 2, length: 0, area: 1 },
      },
      supply: { offers: 1, locations: 1 },
      network: { segments: 6, nodes: 7, snappedLocations: 1, maxSnapOffsetMeters: 0 },
      dataDates: { statistics: '2012-12-31' },
    });
    expect(body.method.sources).toEqual(expect.arrayContaining(['test-statistics', 'streets: test']));
  });

  it('uses airline distance in airline mode and agrees with ST_DWithin in the database', async () => {
    const body = (await request(app).get('/api/coverage').query({ offerType: 'senior_meeting_place', mode: 'airline', distance: 1000 }))
      .body as CoverageResult;
    expect(body.method.reach).toMatchObject({ mode: 'airline', measuredOn: 'airline', detourFactor: null });
    expect(area(body, 'S1').coveredPopulation).toBe(150);
    expect(area(body, 'S1').medianDistanceMeters).toBeCloseTo(351.2, 0);
    const independent = await independentAirlineCoverage(testDatabase.database.knex, {
      indicatorCodes: ['population_65_75', 'population_75_plus'],
      year: 2012,
      offerTypeCodes: ['senior_meeting_place'],
      radiusMeters: 1000,
    });
    for (const entry of body.areas.filter((candidate) => candidate.level === 'sozialraum')) {
      expect(entry.coveredPopulation).toBeCloseTo(independent.byArea.get(entry.areaId)!.covered, 9);
    }
  });

  it('filters offers by target group when one is given', async () => {
    const fresh = await createTestDatabase();
    try {
      const other = await createSyntheticCity(fresh.database.knex);
      await insertOffer(fresh.database.knex, { departmentId: other.departmentId, offerType: 'community_centre', lon: 6.91, lat: other.lat, targetGroups: ['seniors'] });
      await insertOffer(fresh.database.knex, { departmentId: other.departmentId, offerType: 'community_centre', lon: 6.95, lat: other.lat, targetGroups: ['youth'] });
      const body = (await request(createTestApp(fresh.database)).get('/api/coverage').query({ targetGroup: 'seniors' })).body as CoverageResult;
      expect(body.method.supply.offers).toBe(1);
      expect(body.method.reach).toMatchObject({ mode: 'walk', meters: 1000 });
      expect(area(body, 'S1').coveredPopulation).toBe(150);
    } finally {
      await fresh.destroy();
    }
  });

  it('answers only the level asked for', async () => {
    const body = (await request(app).get('/api/coverage').query({ offerType: 'senior_meeting_place', level: 'district' })).body as CoverageResult;
    expect(body.areas.map((entry) => entry.level)).toEqual(['district', 'district']);
  });
});

describe('GET /api/coverage/gaps', () => {
  it('ranks uncovered street segments and areas by target residents as GeoJSON', async () => {
    const response = await request(app).get('/api/coverage/gaps').query({ offerType: 'senior_meeting_place' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/geo\+json/);
    const body = response.body as GapsResult;
    expect(body.type).toBe('FeatureCollection');
    expect(body.totalUncovered).toBeCloseTo(120, 9);
    expect(body.features.map((feature) => [feature.properties.rank, feature.properties.kind, Math.round(feature.properties.uncoveredResidents)])).toEqual([
      [1, 'segment', 45],
      [2, 'area', 30],
      [3, 'segment', 27],
      [4, 'segment', 18],
    ]);
    expect(body.features[0]!.geometry.type).toBe('LineString');
    expect(body.features[0]!.properties).toMatchObject({ segmentId: city.segments[5], streetName: 'Lange Straße', areaCode: 'S2', distanceMeters: 3150 });
    expect(body.features[1]!.geometry.type).toBe('MultiPolygon');
  });

  it('lists whole Sozialräume when asked for areas, and honours the limit', async () => {
    const body = (await request(app).get('/api/coverage/gaps').query({ offerType: 'senior_meeting_place', unit: 'areas', limit: 1 })).body as GapsResult;
    expect(body.features).toHaveLength(1);
    expect(body.features[0]!.properties).toMatchObject({ rank: 1, kind: 'area', areaCode: 'S2', uncoveredResidents: 90 });
    expect(body.totalUncovered).toBeCloseTo(120, 9);
  });
});

describe('POST /api/coverage/scenario', () => {
  it('returns the indicators with and without a hypothetical offer', async () => {
    const response = await request(app)
      .post('/api/coverage/scenario')
      .send({ offerType: 'senior_meeting_place', offers: [{ lon: 6.95, lat: city.lat, name: 'Neuer Treff' }] });
    expect(response.status).toBe(200);
    const body = response.body as ScenarioResult;
    expect(area(body.baseline, 'S2')).toMatchObject({ coveredPopulation: 0, offers: 0 });
    expect(area(body.scenario, 'S2')).toMatchObject({ coveredPopulation: 72, offers: 1, shareWithinReach: 0.8 });
    expect(area(body.scenario, 'S1').coveredPopulation).toBe(150);
    expect(body.hypotheticalOffers).toEqual([
      { index: 0, lon: 6.95, lat: city.lat, capacity: null, name: 'Neuer Treff', areaId: city.s2.id, snapOffsetMeters: 0 },
    ]);
  });

  it('names the hypothetical offer that lies outside the city', async () => {
    const response = await request(app)
      .post('/api/coverage/scenario')
      .send({ offerType: 'senior_meeting_place', offers: [{ lon: 6.95, lat: city.lat }, { lon: 13.4, lat: 52.5 }] });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'offers.1', code: 'outside_areas' })]);
  });

  it('asks for capacity when the existing offers are counted by capacity', async () => {
    const response = await request(app)
      .post('/api/coverage/scenario')
      .send({ offerType: 'care_home', offers: [{ lon: 6.91, lat: city.lat }] });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'offers.0.capacity' })]);
  });

  it.each([
    [{ offerType: 'senior_meeting_place', offers: [] }, 'offers'],
    [{ offerType: 'senior_meeting_place', offers: [{ lon: 6.9, lat: 95 }] }, 'offers.0.lat'],
    [{ offerType: 'senior_meeting_place', offers: [{ lon: '6.9', lat: 50.9 }] }, 'offers.0.lon'],
    [{ offerType: 'senior_meeting_place', offers: [{ lon: 6.9, lat: 50.9, capacity: -1 }] }, 'offers.0.capacity'],
    [{ offers: [{ lon: 6.9, lat: 50.9 }] }, 'offerType'],
    [{ offerType: 'senior_meeting_place', distance: 1.5, offers: [{ lon: 6.9, lat: 50.9 }] }, 'distance'],
  ])('rejects a bad body %j naming %s', async (body, fieldName) => {
    const response = await request(app).post('/api/coverage/scenario').send(body);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(fieldName);
  });
});

describe('bad coverage parameters', () => {
  it.each([
    [{}, 'query.offerType'],
    [{ offerType: 'no_such_type' }, 'query.offerType'],
    [{ targetGroup: 'no_such_group' }, 'query.targetGroup'],
    [{ targetGroup: 'unemployed' }, 'query.targetGroup'],
    [{ offerType: 'Kita!' }, 'query.offerType'],
    [{ offerType: 'kita', mode: 'drive' }, 'query.mode'],
    [{ offerType: 'kita', distance: '10' }, 'query.distance'],
    [{ offerType: 'kita', distance: 'far' }, 'query.distance'],
    [{ offerType: 'senior_meeting_place', year: '2030' }, 'query.year'],
    [{ offerType: 'kita', detourFactor: '0.5' }, 'query.detourFactor'],
    [{ offerType: 'kita', bands: '500:1,250:0.5' }, 'query.bands'],
    [{ offerType: 'kita', bands: 'near' }, 'query.bands'],
    [{ offerType: 'kita', level: 'quarter' }, 'query.level'],
    [{ offerType: 'kita', colour: 'red' }, 'query'],
  ])('answers 400 problem+json for %j naming %s', async (query, fieldName) => {
    const response = await request(app).get('/api/coverage').query(query);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(fieldName);
  });

  it('rejects a bad gap unit', async () => {
    const response = await request(app).get('/api/coverage/gaps').query({ offerType: 'kita', unit: 'points' });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('query.unit');
  });

  it('says so when the target group has no statistics at all', async () => {
    const response = await request(app).get('/api/coverage').query({ offerType: 'youth_centre' });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'statistics_not_found' });
  });
});

describe('GET /api/coverage/areas/:areaId/profile', () => {
  it('gives the population time series of the area against the city, and its offers', async () => {
    const response = await request(app).get(`/api/coverage/areas/${city.s1.id}/profile`).query({ offerType: 'senior_meeting_place' });
    expect(response.status).toBe(200);
    expect(response.body.area).toMatchObject({ code: 'S1', level: 'sozialraum' });
    expect(response.body.series).toEqual([
      {
        indicator: { code: 'population_65_75', label: expect.any(String) },
        area: [{ period: '2011-12-31', value: 50 }, { period: '2012-12-31', value: 100 }],
        city: [{ period: '2011-12-31', value: 90 }, { period: '2012-12-31', value: 180 }],
      },
      {
        indicator: { code: 'population_75_plus', label: expect.any(String) },
        area: [{ period: '2011-12-31', value: 25 }, { period: '2012-12-31', value: 50 }],
        city: [{ period: '2011-12-31', value: 45 }, { period: '2012-12-31', value: 90 }],
      },
    ]);
    expect(response.body.offers).toEqual([expect.objectContaining({ name: 'Treff West', offerType: 'senior_meeting_place' })]);
    expect(response.body.sources).toContain('test-statistics');
  });

  it('answers 404 for an unknown area and 400 for a malformed id or unknown offer type', async () => {
    expect((await request(app).get('/api/coverage/areas/00000000-0000-4000-8000-000000000000/profile')).status).toBe(404);
    const malformed = await request(app).get('/api/coverage/areas/nope/profile');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].field).toBe('params.areaId');
    const unknown = await request(app).get(`/api/coverage/areas/${city.s1.id}/profile`).query({ offerType: 'no_such_type' });
    expect(unknown.body.errors[0].field).toBe('query.offerType');
  });
});
