import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportProblem, ImportReport } from '../../server/offers/offers.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createStaff, type SignedIn, type Staff } from '../helpers/offer-factories.ts';

// Import problems name the place in the file a person uploaded: the CSV column (as its header
// spells it) on the line of the record, or the path inside the GeoJSON document.
describe('fields of import problems', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let staff: Staff;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    app = createTestApp(testDatabase.database);
    staff = await createStaff(testDatabase.database.knex, app);
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  function upload(as: SignedIn, format: string, body: string, query: Record<string, string> = {}) {
    return as.agent
      .post('/api/offers/import')
      .query({ format, ...query })
      .set('X-CSRF-Token', as.csrfToken)
      .set('Content-Type', format === 'csv' ? 'text/csv' : 'application/geo+json')
      .send(body);
  }

  async function dryRun(as: SignedIn, format: string, body: string): Promise<ImportReport> {
    const response = await upload(as, format, body);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as ImportReport;
  }

  const places = (problems: ImportProblem[]) => problems.map((problem) => [problem.row, problem.field, problem.code]);

  it('names CSV columns instead of internal paths, the latitude on the line of its own location', async () => {
    const file = [
      'source,external_id,name,offer_type,min_age,opening_hours,location_name,longitude,latitude',
      'csv-a,1,Treff,senior_meeting_place,zehn,Mo-Fr 10:00-16:00,Nord,6.95,50.93',
      // the second location of the same offer: its latitude is out of range
      'csv-a,1,Treff,senior_meeting_place,zehn,Mo-Fr 10:00-16:00,Süd,6.96,91',
      'csv-a,2,Spa,spa,,immer offen,,6.95,50.93',
      'csv-a,3,Berlin,senior_meeting_place,,,,13.4,52.5',
    ].join('\n');
    const report = await dryRun(staff.editorA, 'csv', file);
    expect(places(report.errors)).toEqual([
      [2, 'min_age', 'invalid_type'],
      [3, 'latitude', 'too_big'],
      [4, 'offer_type', 'unknown_term'],
      [4, 'opening_hours', 'opening_hours_syntax'],
      [5, 'longitude, latitude', 'outside_city'],
    ]);
    expect(report.errors.some((problem) => /^locations\.|geometry|coordinates/.test(problem.field))).toBe(false);
  });

  it('spells the column as the header does (case, semicolons) and names both coordinates of a missing point', async () => {
    const file = [
      'Source;External_ID;Name;Offer_Type;MIN_AGE;Farbe;Longitude;Latitude',
      'csv-b;1;Treff;senior_meeting_place;-3;blau;;',
    ].join('\n');
    const report = await dryRun(staff.editorA, 'csv', file);
    expect(places(report.errors)).toEqual([
      [2, 'MIN_AGE', 'too_small'],
      [2, 'Longitude, Latitude', 'location_required'],
    ]);
    expect(places(report.warnings)).toEqual([[2, 'Farbe', 'unknown_column']]);
  });

  it('names the department column when no department is given', async () => {
    const file = ['name,offer_type,longitude,latitude', 'Treff,senior_meeting_place,6.95,50.93'].join('\n');
    const report = await dryRun(staff.admin, 'csv', file);
    expect(places(report.errors)).toEqual([[2, 'department_code', 'department_required']]);
  });

  it('names the columns of a nested field (cost, reach, address)', async () => {
    const file = [
      'name,offer_type,cost_kind,reach_kind,reach_meters,postal_code,longitude,latitude',
      'Treff,senior_meeting_place,umsonst,walk,20000,5066,6.95,50.93',
    ].join('\n');
    const report = await dryRun(staff.editorA, 'csv', file);
    expect(places(report.errors)).toEqual([
      [2, 'cost_kind', 'invalid_value'],
      [2, 'reach_meters', 'too_big'],
      [2, 'postal_code', 'invalid_format'],
    ]);
  });

  it('uses the CSV columns when a confirmation is refused', async () => {
    const file = ['name,offer_type,min_age,longitude,latitude', 'Treff,senior_meeting_place,zehn,6.95,50.93'].join('\n');
    const report = await dryRun(staff.editorA, 'csv', file);
    const confirm = await upload(staff.editorA, 'csv', file, { dryRun: 'false', checksum: report.checksum });
    expect(confirm.status).toBe(400);
    expect(confirm.body.errors).toEqual([expect.objectContaining({ field: 'rows.2.min_age', code: 'invalid_type' })]);
  });

  it('gives GeoJSON problems as paths in the file, prefixed with features[<index>]', async () => {
    const feature = (properties: Record<string, unknown>, coordinates: [number, number] | null) => ({
      type: 'Feature',
      geometry: coordinates ? { type: 'Point', coordinates } : null,
      properties,
    });
    const collection = {
      type: 'FeatureCollection',
      features: [
        feature({ source: 'geo', external_id: '1', name: 'Treff', offer_type: 'senior_meeting_place', min_age: 'zehn', farbe: 'blau' }, [6.95, 50.93]),
        // the second location of the first offer
        feature({ source: 'geo', external_id: '1', name: 'Treff', offer_type: 'senior_meeting_place', min_age: 'zehn' }, [6.96, 91]),
        feature({ source: 'geo', external_id: '2', name: 'Ohne Punkt', offer_type: 'senior_meeting_place' }, null),
        feature({ source: 'geo', external_id: '3', name: 'Berlin', offer_type: 'senior_meeting_place', email: 'keine-adresse' }, [13.4, 52.5]),
      ],
    };
    const report = await dryRun(staff.editorA, 'geojson', JSON.stringify(collection));
    expect(places(report.errors)).toEqual([
      [1, 'features[0].properties.min_age', 'invalid_type'],
      [2, 'features[1].geometry.coordinates[1]', 'too_big'],
      [3, 'features[2].geometry', 'location_required'],
      [4, 'features[3].properties.email', 'invalid_format'],
    ]);
    expect(places(report.warnings)).toEqual([[1, 'features[0].properties.farbe', 'unknown_column']]);
  });

  it('says which GeoJSON point lies outside the city', async () => {
    const collection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [13.4, 52.5] },
          properties: { name: 'Berlin', offer_type: 'senior_meeting_place' },
        },
      ],
    };
    const report = await dryRun(staff.editorA, 'geojson', JSON.stringify(collection));
    expect(places(report.errors)).toEqual([[1, 'features[0].geometry', 'outside_city']]);
  });
});
