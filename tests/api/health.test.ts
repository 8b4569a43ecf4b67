import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertUser, signIn } from '../helpers/offer-factories.ts';

describe('GET /api/health', () => {
  let testDatabase: TestDatabase;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('reports the backend and the PostgreSQL and PostGIS versions to an administrator', async () => {
    const app = createTestApp(testDatabase.database);
    const admin = await signIn(app, await insertUser(testDatabase.database.knex, { role: 'admin' }));
    const response = await admin.agent.get('/api/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      database: {
        backend: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
        postgres: expect.stringMatching(/^\d+\.\d+/),
        postgis: expect.stringMatching(/^3\.\d+/),
      },
      version: '0.0.0-test',
    });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  // Issue 11, defect 10: exact versions tell an attacker which known flaws to try.
  it('tells anonymous callers that the database answers, without its versions', async () => {
    const response = await request(createTestApp(testDatabase.database)).get('/api/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      database: { backend: process.env.DATABASE_URL ? 'postgresql' : 'pglite' },
      version: '0.0.0-test',
    });
    expect(JSON.stringify(response.body)).not.toMatch(/postgis|postgres"/i);
  });

  it('answers 503 as problem+json when the database does not answer', async () => {
    const broken = await createTestDatabase();
    const app = createTestApp(broken.database);
    await broken.destroy();
    const response = await request(app).get('/api/health');
    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 503, code: 'database_unavailable' });
  });
});
