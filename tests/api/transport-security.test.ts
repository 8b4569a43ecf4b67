import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertUser, testPassword } from '../helpers/offer-factories.ts';

function setCookies(response: request.Response): string[] {
  const header = response.headers['set-cookie'] as unknown;
  return Array.isArray(header) ? (header as string[]) : typeof header === 'string' ? [header] : [];
}

describe('TRUST_PROXY: a hop count or an address list, never every hop', () => {
  const trustProxy = (value: string) => loadConfig({ TRUST_PROXY: value }).trustProxy;

  it('reads "true" as one hop, "false" as none, numbers as hop counts', () => {
    expect(trustProxy('true')).toBe(1);
    expect(trustProxy('false')).toBe(0);
    expect(trustProxy('2')).toBe(2);
    expect(loadConfig({}).trustProxy).toBe(0);
  });

  it('reads a list of addresses, subnets and the keywords of proxy-addr', () => {
    expect(trustProxy('10.0.0.5, 192.168.0.0/16, ::1, loopback')).toEqual(['10.0.0.5', '192.168.0.0/16', '::1', 'loopback']);
  });

  it('refuses anything else with a sentence naming the variable', () => {
    for (const value of ['yes', '10.0.0.300', '10.0.0.0/33', 'proxy.example.org', '1,2']) {
      expect(() => loadConfig({ TRUST_PROXY: value }), value).toThrow(ConfigError);
    }
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY must be "false", a number of proxy hops/);
  });
});

describe('https: HSTS and __Host- cookies whenever the request is https', () => {
  let testDatabase: TestDatabase;
  let behindProxy: Express;
  let direct: Express;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    // NODE_ENV stays "test": HSTS must not depend on NODE_ENV=production.
    behindProxy = createTestApp(testDatabase.database, { trustProxy: 1 });
    direct = createTestApp(testDatabase.database, { trustProxy: 0 });
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('sends Strict-Transport-Security when a trusted proxy says https, outside production too', async () => {
    const response = await request(behindProxy).get('/api/health').set('X-Forwarded-Proto', 'https');
    expect(response.headers['strict-transport-security']).toBe('max-age=31536000');
  });

  it('sends no HSTS over plain http, nor when an untrusted client claims https', async () => {
    expect((await request(behindProxy).get('/api/health')).headers['strict-transport-security']).toBeUndefined();
    const spoofed = await request(direct).get('/api/health').set('X-Forwarded-Proto', 'https');
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
  });

  it('names the cookies __Host- on https (Secure, Path=/), and the CSRF double-submit still works', async () => {
    const user = await insertUser(testDatabase.database.knex, { role: 'planner' });
    const session = await request(behindProxy).get('/api/auth/session').set('X-Forwarded-Proto', 'https');
    const csrfCookie = setCookies(session).find((cookie) => cookie.startsWith('__Host-angebotsatlas_csrf='));
    expect(csrfCookie).toMatch(/; Path=\/;/);
    expect(csrfCookie).toMatch(/; Secure/);
    expect(csrfCookie).not.toMatch(/Domain=/i);
    const token = session.body.csrfToken as string;
    const login = await request(behindProxy)
      .post('/api/auth/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', `__Host-angebotsatlas_csrf=${token}`)
      .set('X-CSRF-Token', token)
      .send({ email: user.email, password: testPassword });
    expect(login.status).toBe(200);
    const sessionCookie = setCookies(login).find((cookie) => cookie.startsWith('__Host-angebotsatlas_session='));
    expect(sessionCookie).toMatch(/; Path=\/;/);
    expect(sessionCookie).toMatch(/; Secure/);
    expect(sessionCookie).toMatch(/; HttpOnly/);
    const cookie = sessionCookie!.split(';')[0]!;
    const signedIn = await request(behindProxy).get('/api/auth/session').set('X-Forwarded-Proto', 'https').set('Cookie', cookie);
    expect(signedIn.body).toMatchObject({ authenticated: true, user: { id: user.id } });
  });

  it('refuses the double-submit when the cookie has the plain name on https (it could be planted over http)', async () => {
    const session = await request(behindProxy).get('/api/auth/session').set('X-Forwarded-Proto', 'https');
    const token = session.body.csrfToken as string;
    const login = await request(behindProxy)
      .post('/api/auth/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', `angebotsatlas_csrf=${token}`)
      .set('X-CSRF-Token', token)
      .send({ email: 'nobody@example.org', password: 'whatever12345' });
    expect(login.status).toBe(403);
    expect(login.body.code).toBe('csrf_token_invalid');
  });

  it('keeps the plain names over http, where browsers refuse __Host- cookies', async () => {
    const session = await request(direct).get('/api/auth/session');
    expect(setCookies(session).some((cookie) => cookie.startsWith('angebotsatlas_csrf='))).toBe(true);
    expect(setCookies(session).some((cookie) => cookie.startsWith('__Host-'))).toBe(false);
  });
});
