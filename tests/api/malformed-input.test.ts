import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createStaff, makeOffer, type SignedIn, type Staff } from '../helpers/offer-factories.ts';

// Issue 11, defects 8 and 10: malformed input must be a 400 problem+json that names the field,
// never a 500 (which logged the SQL). Each test failed on the code before the fix.

function expectBadRequest(response: request.Response, field: string): void {
  expect(response.status).toBe(400);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const fields = (response.body.errors as { field: string }[] | undefined)?.map((error) => error.field) ?? [];
  expect(fields).toContain(field);
}

const importHeader = 'source,external_id,department_code,name,offer_type,target_groups,min_age,cost_kind,longitude,latitude';

describe('malformed input is refused with 400 naming the field', () => {
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

  function upload(as: SignedIn, format: string, body: string | Buffer, contentType = 'text/csv', query: Record<string, string> = {}) {
    return as.agent
      .post('/api/offers/import')
      .query({ format, ...query })
      .set('X-CSRF-Token', as.csrfToken)
      .set('Content-Type', contentType)
      .send(body);
  }

  it('refuses a NUL character in the login e-mail', async () => {
    const agent = request.agent(app);
    const session = await agent.get('/api/auth/session');
    const response = await agent
      .post('/api/auth/login')
      .set('X-CSRF-Token', session.body.csrfToken as string)
      .send({ email: 'admin\u0000@example.org', password: 'whatever-long-enough' });
    expectBadRequest(response, 'email');
    expect(response.body.errors[0].code).toBe('nul_character');
  });

  it('refuses a NUL character in an offer name', async () => {
    const response = await staff.admin.agent
      .post('/api/offers')
      .set('X-CSRF-Token', staff.admin.csrfToken)
      .send(makeOffer({ name: 'Treff\u0000Eins', departmentCode: staff.departmentA.code }));
    expectBadRequest(response, 'name');
  });

  it('refuses a NUL character deep in a body (a location name)', async () => {
    const offer = makeOffer({ departmentCode: staff.departmentA.code });
    offer.locations![0]!.name = 'Bürger\u0000haus';
    const response = await staff.admin.agent.post('/api/offers').set('X-CSRF-Token', staff.admin.csrfToken).send(offer);
    expectBadRequest(response, 'locations.0.name');
  });

  it('refuses a NUL character in an organisation name', async () => {
    const response = await staff.admin.agent
      .post('/api/organizations')
      .set('X-CSRF-Token', staff.admin.csrfToken)
      .send({ name: 'Träger\u0000e.V.' });
    expectBadRequest(response, 'name');
  });

  it('refuses a NUL character in list filters', async () => {
    for (const url of ['/api/offers?q=treff%00', '/api/organizations?q=%00', '/api/search?q=caf%00e', '/api/hsds/services?search=%00']) {
      const response = await request(app).get(url);
      expect(response.status, url).toBe(400);
      expect(response.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      expect(response.body.errors[0].field, url).toMatch(/^query\./);
    }
  });

  it('refuses a NUL character in a path parameter', async () => {
    const response = await request(app).get('/api/offers/abc%00def');
    expectBadRequest(response, 'path');
  });

  it('refuses broken percent-encoding in a path with 400', async () => {
    for (const url of ['/api/offers/%E0%A4%A', '/api/hsds/services/%E0%A4%A', '/api/coverage/areas/%ZZ/profile']) {
      const response = await request(app).get(url);
      expect(response.status, url).toBe(400);
      expect(response.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      expect(response.body.code, url).toBe('invalid_encoding');
      expect(response.body.errors[0].field, url).toBe('path');
    }
  });

  it('answers in English when asked', async () => {
    const response = await request(app).get('/api/offers/%E0%A4%A').set('Accept-Language', 'en');
    expect(response.body.title).toBe('Bad request');
    expect(response.body.detail).toMatch(/percent-encoding/);
  });

  it('refuses GeoJSON points whose coordinates are strings', async () => {
    const body = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: ['6.955', '50.935'] },
          properties: { name: 'Treff', department_code: staff.departmentA.code, offer_type: 'senior_meeting_place', cost_kind: 'free' },
        },
      ],
    });
    const response = await upload(staff.admin, 'geojson', body, 'application/geo+json');
    expect(response.status).toBe(200);
    expect(response.body.valid).toBe(false);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain('features[0].geometry.coordinates[0]');
  });

  it('refuses an empty file', async () => {
    for (const [format, contentType] of [['csv', 'text/csv'], ['geojson', 'application/geo+json'], ['hsds', 'application/json']] as const) {
      const response = await upload(staff.admin, format, '', contentType);
      expectBadRequest(response, 'file');
      expect(response.body.errors[0].code, format).toBe('empty_file');
    }
  });

  it('refuses a CSV file with only a header line', async () => {
    const response = await upload(staff.admin, 'csv', `${importHeader}\n`);
    expectBadRequest(response, 'file');
    expect(response.body.errors[0].code).toBe('no_records');
  });

  it('refuses a GeoJSON collection without features', async () => {
    const response = await upload(staff.admin, 'geojson', '{"type":"FeatureCollection","features":[]}', 'application/geo+json');
    expectBadRequest(response, 'file');
    expect(response.body.errors[0].code).toBe('no_records');
  });

  it('refuses a CSV file that is not UTF-8 or holds a NUL byte', async () => {
    const latin1 = Buffer.concat([Buffer.from(`${importHeader}\nstadt,x1,${staff.departmentA.code},Tr`), Buffer.from([0xe4]), Buffer.from('ff,senior_meeting_place,seniors,60,free,6.95,50.93\n')]);
    const broken = await upload(staff.admin, 'csv', latin1);
    expectBadRequest(broken, 'file');
    expect(broken.body.errors[0].code).toBe('invalid_encoding');
    const nul = await upload(staff.admin, 'csv', `${importHeader}\nstadt,x2,${staff.departmentA.code},Tr\u0000eff,senior_meeting_place,seniors,60,free,6.95,50.93\n`);
    expectBadRequest(nul, 'file');
    expect(nul.body.errors[0].code).toBe('nul_character');
  });
});
