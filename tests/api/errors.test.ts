import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

describe('errors are problem+json without internals', () => {
  let testDatabase: TestDatabase;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('answers an unknown API route with 404', async () => {
    const response = await request(createTestApp(testDatabase.database)).get('/api/no-such-thing');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      status: 404,
      code: 'route_not_found',
      title: 'Nicht gefunden',
      instance: '/api/no-such-thing',
    });
    expect(response.body.requestId).toBe(response.headers['x-request-id']);
  });

  it('answers in English when the client asks for it', async () => {
    const response = await request(createTestApp(testDatabase.database))
      .get('/api/no-such-thing')
      .set('Accept-Language', 'en-GB,en;q=0.9');
    expect(response.body.title).toBe('Not found');
  });

  it('answers malformed JSON with 400 naming the body', async () => {
    const response = await request(createTestApp(testDatabase.database))
      .post('/api/areas')
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ code: 'malformed_json', errors: [{ field: 'body', code: 'invalid_json' }] });
  });

  it('names the query parameter and the reason of a bad request', async () => {
    // German by default (tests/api/validation-convention.test.ts); English on request.
    const response = await request(createTestApp(testDatabase.database)).get('/api/areas?level=planet').set('Accept-Language', 'en');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.errors).toEqual([
      { field: 'query.level', code: 'invalid_value', message: 'Must be one of: city, district, sozialraum, quarter, area_set.' },
    ]);
  });

  it('answers an unexpected failure with 500 and no stack trace or SQL', async () => {
    const broken = await createTestDatabase();
    try {
      await broken.database.knex.raw('alter table areas rename to areas_gone');
      const response = await request(createTestApp(broken.database)).get('/api/areas');
      expect(response.status).toBe(500);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ code: 'internal_error', status: 500 });
      const text = JSON.stringify(response.body);
      expect(text).not.toMatch(/select|areas_gone|relation|at .*\.ts|stack/i);
    } finally {
      await broken.destroy();
    }
  });

  it('sends security headers with a self-only Content-Security-Policy', async () => {
    const response = await request(createTestApp(testDatabase.database)).get('/api/health');
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('allows a configured basemap host and no other', async () => {
    const app = createTestApp(testDatabase.database, { basemapStyleUrl: 'https://tiles.example.org/styles/city.json' });
    const response = await request(app).get('/api/health');
    expect(response.headers['content-security-policy']).toContain("connect-src 'self' https://tiles.example.org");
  });

  it('keeps a valid incoming request id and replaces an unsafe one', async () => {
    const app = createTestApp(testDatabase.database);
    const kept = await request(app).get('/api/health').set('X-Request-Id', 'abc-123');
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await request(app).get('/api/health').set('X-Request-Id', 'bad id <script>');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
