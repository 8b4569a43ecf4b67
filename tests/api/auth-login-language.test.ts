import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertUser, type TestUser } from '../helpers/offer-factories.ts';

const german = 'Die E-Mail-Adresse oder das Passwort stimmt nicht.';
const english = 'The e-mail address or the password is wrong.';

describe('a refused sign-in speaks the language of the request', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let user: TestUser;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    app = createTestApp(testDatabase.database, {}, { loginRateLimit: { perAccount: 1000, perAddress: 1000, windowMs: 60_000 } });
    user = await insertUser(testDatabase.database.knex, { role: 'planner' });
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  async function login(body: { email: string; password: string }, acceptLanguage?: string) {
    const agent = request.agent(app);
    const { body: session } = await agent.get('/api/auth/session');
    const call = agent.post('/api/auth/login').set('X-CSRF-Token', session.csrfToken as string);
    if (acceptLanguage !== undefined) call.set('Accept-Language', acceptLanguage);
    return call.send(body);
  }

  it('answers in German without Accept-Language', async () => {
    const response = await login({ email: user.email, password: 'not the password' });
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ code: 'invalid_credentials', title: 'Anmeldung erforderlich', detail: german });
  });

  it('answers in English for Accept-Language: en', async () => {
    const response = await login({ email: user.email, password: 'not the password' }, 'en-GB,en;q=0.9');
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'invalid_credentials', title: 'Sign-in required', detail: english });
  });

  it('falls back to German for a language it does not speak', async () => {
    const response = await login({ email: user.email, password: 'not the password' }, 'fr-FR');
    expect(response.body.detail).toBe(german);
  });

  it('says the same for an unknown address, in either language', async () => {
    const unknownGerman = await login({ email: 'niemand@example.org', password: 'whatever12345' }, 'de-DE');
    const unknownEnglish = await login({ email: 'niemand@example.org', password: 'whatever12345' }, 'en');
    expect(unknownGerman.status).toBe(401);
    expect(unknownGerman.body).toMatchObject({ code: 'invalid_credentials', detail: german });
    expect(unknownEnglish.body).toMatchObject({ code: 'invalid_credentials', detail: english });
  });
});
