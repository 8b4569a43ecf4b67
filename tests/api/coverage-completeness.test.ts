import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletenessResult } from '../../server/coverage/coverage-completeness.schema.ts';
import type { RecordSource } from '../../server/datasets/datasets.schema.ts';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import { createTestApp, testConfig } from '../helpers/app.ts';
import { createSyntheticCity, insertOffer } from '../helpers/coverage-factories.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

/**
 * The synthetic city: Sozialräume S1 (6.90–6.93), S2 (6.93–6.96), S3 (6.96–6.99) at 50.92–50.95.
 * Senior meeting places: two hand-kept in S1 (one verified 2 months ago, one 3 years ago), one from
 * the dataset "osm-test" in S1 and one in S2 (unnamed, a raw record), a draft in S2 and an
 * archived one in S3 (both not counted), a Kita in S3 (another offer type).
 */
describe('GET /api/coverage/completeness: records, sources and verification per offer type and area', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let city: Awaited<ReturnType<typeof createSyntheticCity>>;
  const recentlyVerified = new Date(Date.now() - 60 * 24 * 3600 * 1000);
  const longAgo = new Date(Date.now() - 3 * 365 * 24 * 3600 * 1000);

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const { knex } = testDatabase.database;
    city = await createSyntheticCity(knex);
    const config = testConfig();
    const datasets = createDatasetsService({ geodataDir: config.geodataDir, city: config.city });
    const osmTest: RecordSource = { source: 'osm-test', publisher: 'OpenStreetMap-Mitwirkende', attribution: '© OSM', dataDate: '2013-06-01', incompleteOfferTypes: ['senior_meeting_place'] };
    app = createTestApp(testDatabase.database, {}, { datasets: { ...datasets, recordSources: () => [osmTest] } });
    const place = (lon: number, extra: Partial<Parameters<typeof insertOffer>[1]> = {}) =>
      insertOffer(knex, { departmentId: city.departmentId, offerType: 'senior_meeting_place', lon, lat: 50.935, ...extra });
    const handKeptNew = await place(6.905);
    const handKeptOld = await place(6.915);
    await knex('offers').where({ id: handKeptNew }).update({ verified_at: recentlyVerified });
    await knex('offers').where({ id: handKeptOld }).update({ verified_at: longAgo });
    const osmInS1 = await place(6.925);
    const osmInS2 = await place(6.945);
    await knex('offers').where({ id: osmInS1 }).update({ source: 'osm-test', external_id: 'node/1' });
    await knex('offers').where({ id: osmInS2 }).update({ source: 'osm-test', external_id: 'node/2', raw_reason: 'unnamed' });
    await place(6.94, { publication: 'draft' });
    await place(6.97, { archived: true });
    await insertOffer(knex, { departmentId: city.departmentId, offerType: 'kita', lon: 6.975, lat: 50.935 });
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  async function completeness(query: string, language = 'de'): Promise<CompletenessResult> {
    const response = await request(app).get(`/api/coverage/completeness?${query}`).set('Accept-Language', language);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as CompletenessResult;
  }

  it('counts the visible records of the offer type per Sozialraum, with their sources and verification', async () => {
    const result = await completeness('offerType=senior_meeting_place');
    const byCode = new Map(result.areas.map((area) => [area.code, area]));
    expect(byCode.get('S1')).toMatchObject({
      records: 3,
      rawRecords: 0,
      verifiedRecords: 2,
      recentlyVerifiedRecords: 1,
      lastVerifiedAt: recentlyVerified.toISOString(),
      oldestDataDate: '2013-06-01',
      knownIncomplete: true,
    });
    expect(byCode.get('S1')!.sources).toEqual([
      { key: expect.stringMatching(/^department:/), records: 2 },
      { key: 'dataset:osm-test', records: 1 },
    ]);
    expect(byCode.get('S2')).toMatchObject({ records: 1, rawRecords: 1, verifiedRecords: 0, lastVerifiedAt: null, sources: [{ key: 'dataset:osm-test', records: 1 }] });
    // The archived offer and the Kita do not count; the area is still listed, with nothing.
    expect(byCode.get('S3')).toMatchObject({ records: 0, sources: [], lastVerifiedAt: null, oldestDataDate: null, knownIncomplete: false });
    expect(result.totals).toMatchObject({ records: 4, rawRecords: 1, verifiedRecords: 2, recentlyVerifiedRecords: 1 });
    expect(result.sources).toEqual([
      expect.objectContaining({ key: 'dataset:osm-test', kind: 'dataset', label: 'OpenStreetMap-Mitwirkende', dataDate: '2013-06-01', knownIncomplete: true, records: 2 }),
      expect.objectContaining({ kind: 'department', label: 'Amt für Tests', dataDate: null, knownIncomplete: false, records: 2 }),
    ]);
    expect(result.verificationMonths).toBe(12);
  });

  it('answers per district and for the city at the chosen map level', async () => {
    const districts = await completeness('offerType=senior_meeting_place&level=district');
    expect(districts.level).toBe('district');
    expect(Object.fromEntries(districts.areas.map((area) => [area.name, area.records]))).toEqual({ 'Bezirk 1': 4, 'Bezirk 2': 0 });
    const whole = await completeness('offerType=senior_meeting_place&level=city');
    expect(whole.areas).toEqual([expect.objectContaining({ name: 'Teststadt', records: 4 })]);
  });

  it('without an offer type counts every offer, and a broader type counts its narrower types', async () => {
    const all = await completeness('level=city');
    expect(all.totals.records).toBe(5);
    expect(all.offerType).toBeNull();
    const broader = await completeness('offerType=seniors&level=city');
    expect(broader.totals.records).toBe(4);
  });

  it('refuses an unknown offer type and an unknown level naming the field, in German and English', async () => {
    const unknown = await request(app).get('/api/coverage/completeness?offerType=unicorns').set('Accept-Language', 'de');
    expect(unknown.status).toBe(400);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknown.body.errors).toEqual([{ field: 'query.offerType', code: 'unknown_term', message: 'Die Angebotsart „unicorns“ gibt es nicht.' }]);
    const level = await request(app).get('/api/coverage/completeness?level=street').set('Accept-Language', 'en');
    expect(level.status).toBe(400);
    expect(level.body.errors[0].field).toBe('query.level');
    expect(level.body.errors[0].message).toBe('Must be one of: sozialraum, district, city.');
  });
});
