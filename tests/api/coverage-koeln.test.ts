import request from 'supertest';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoverageResult, GapsResult } from '../../server/coverage/coverage.schema.ts';
import { loadKoeln } from '../../bench/coverage-koeln-data.ts';
import { createTestApp } from '../helpers/app.ts';
import { independentAirlineCoverage } from '../helpers/coverage-factories.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

// The real Cologne data through the project's importers: 86 Sozialräume, 9 districts,
// population 2005–2012, 15,846 street segments, OSM Kitas and pharmacies.
let testDatabase: TestDatabase;
let app: Express;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  await loadKoeln(testDatabase.database);
  app = createTestApp(testDatabase.database);
});

afterAll(async () => {
  await testDatabase.destroy();
});

async function statisticsByArea(codes: string[], year: number): Promise<Map<string, number>> {
  const rows = (await testDatabase.database
    .knex('area_statistics as s')
    .join('indicators as i', 'i.id', 's.indicator_id')
    .join('areas as a', 'a.id', 's.area_id')
    .where('a.level', 'sozialraum')
    .whereIn('i.code', codes)
    .whereRaw('extract(year from s.period) = ?', [year])
    .groupBy('s.area_id')
    .select('s.area_id', testDatabase.database.knex.raw('sum(s.value) as total'))) as { area_id: string; total: number }[];
  return new Map(rows.map((row) => [row.area_id, Number(row.total)]));
}

describe('coverage of Cologne', () => {
  it('keeps covered plus uncovered equal to the target population of every area (Kitas, walking 1,000 m)', async () => {
    const response = await request(app).get('/api/coverage').query({ offerType: 'kita' });
    expect(response.status).toBe(200);
    const body = response.body as CoverageResult;
    const sozialraeume = body.areas.filter((area) => area.level === 'sozialraum');
    expect(sozialraeume).toHaveLength(86);
    expect(body.areas.filter((area) => area.level === 'district')).toHaveLength(9);
    expect(body.method.demand).toMatchObject({
      indicators: [{ code: 'population_0_3' }, { code: 'population_3_6' }],
      year: 2012,
      availableYears: [2005, 2006, 2007, 2008, 2009, 2010, 2011, 2012],
    });
    expect(body.method.reach).toMatchObject({ mode: 'walk', meters: 1000, measuredOn: 'street_network' });
    const statistics = await statisticsByArea(['population_0_3', 'population_3_6'], 2012);
    for (const area of body.areas) {
      expect(area.coveredPopulation + area.uncoveredPopulation).toBeCloseTo(area.targetPopulation, 6);
    }
    for (const area of sozialraeume) expect(area.targetPopulation).toBeCloseTo(statistics.get(area.areaId)!, 6);
    const city = body.areas.find((area) => area.level === 'city')!;
    const total = [...statistics.values()].reduce((sum, value) => sum + value, 0);
    expect(city.targetPopulation).toBeCloseTo(total, 6);
    const districtTotal = body.areas.filter((area) => area.level === 'district').reduce((sum, area) => sum + area.targetPopulation, 0);
    expect(districtTotal).toBeCloseTo(total, 6);
    expect(city.offers).toBe(body.method.supply.offers - body.method.supply.locationsOutsideAreas);
  });

  it.each([
    ['pharmacy', 1000, ['pharmacy']],
    ['kita', 500, ['kita']],
    ['health', 700, ['health', 'doctor', 'pharmacy', 'hospital']],
  ])('gives in airline mode exactly the shares of an independent ST_DWithin computation (%s, %i m)', async (offerType, meters, codes) => {
    const coverage = (await request(app).get('/api/coverage').query({ offerType, mode: 'airline', distance: meters })).body as CoverageResult;
    const gaps = (await request(app).get('/api/coverage/gaps').query({ offerType, mode: 'airline', distance: meters, limit: 20_000 }))
      .body as GapsResult;
    const indicatorCodes = coverage.method.demand.indicators.map((indicator) => indicator.code);
    const independent = await independentAirlineCoverage(testDatabase.database.knex, {
      indicatorCodes,
      year: coverage.method.demand.year,
      offerTypeCodes: codes,
      radiusMeters: meters,
    });
    for (const area of coverage.areas.filter((entry) => entry.level === 'sozialraum')) {
      const expected = independent.byArea.get(area.areaId)!;
      expect(area.targetPopulation).toBeCloseTo(expected.target, 6);
      expect(area.coveredPopulation).toBeCloseTo(expected.covered, 6);
      expect(area.shareWithinReach!).toBeCloseTo(expected.covered / expected.target, 12);
    }
    const uncoveredByApp = new Set(gaps.features.flatMap((feature) => (feature.properties.segmentId !== null ? [feature.properties.segmentId] : [])));
    expect(uncoveredByApp.size).toBe(independent.uncoveredSegments.size);
    expect([...uncoveredByApp].filter((id) => !independent.uncoveredSegments.has(id))).toEqual([]);
  });

  it('never finds more residents within walking distance than within the same airline distance', async () => {
    const walk = (await request(app).get('/api/coverage').query({ offerType: 'pharmacy', mode: 'walk', distance: 1000 })).body as CoverageResult;
    const airline = (await request(app).get('/api/coverage').query({ offerType: 'pharmacy', mode: 'airline', distance: 1000 })).body as CoverageResult;
    const airlineById = new Map(airline.areas.map((area) => [area.areaId, area]));
    for (const area of walk.areas) {
      expect(area.coveredPopulation).toBeLessThanOrEqual(airlineById.get(area.areaId)!.coveredPopulation + 1e-6);
      expect(area.medianDistanceMeters ?? Infinity).toBeGreaterThanOrEqual((airlineById.get(area.areaId)!.medianDistanceMeters ?? Infinity) - 1e-6);
    }
  });

  it('ranks the Cologne gaps and answers a what-if on the real network', async () => {
    const gaps = (await request(app).get('/api/coverage/gaps').query({ offerType: 'kita', unit: 'areas' })).body as GapsResult;
    const residents = gaps.features.map((feature) => feature.properties.uncoveredResidents);
    expect(residents).toEqual([...residents].sort((left, right) => right - left));
    const worst = gaps.features[0]!;
    const point = (await testDatabase.database.knex.raw<{ rows: { lon: number; lat: number }[] }>(
      'select ST_X(ST_PointOnSurface(geom)) as lon, ST_Y(ST_PointOnSurface(geom)) as lat from areas where id = ?',
      [worst.properties.areaId],
    )).rows[0]!;
    const response = await request(app).post('/api/coverage/scenario').send({ offerType: 'kita', offers: [point] });
    expect(response.status).toBe(200);
    const before = response.body.baseline.find((area: { areaId: string }) => area.areaId === worst.properties.areaId);
    const after = response.body.scenario.find((area: { areaId: string }) => area.areaId === worst.properties.areaId);
    expect(after.coveredPopulation).toBeGreaterThan(before.coveredPopulation);
    expect(after.offers).toBe(before.offers + 1);
  });
});
