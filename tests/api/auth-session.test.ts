import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditService } from '../../server/audit/audit.service.ts';
import { createAuthService, hashToken } from '../../server/auth/auth.service.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment, insertUser, signIn, testPassword } from '../helpers/offer-factories.ts';

function setCookies(response: request.Response): string[] {
  const header = response.headers['set-cookie'] as unknown;
  return Array.isArray(header) ? (header as string[]) : typeof header === 'string' ? [header] : [];
}

function sessionCookie(response: request.Response): string | undefined {
  return setCookies(response).find((cookie) => cookie.startsWith('angebotsatlas_session='));
}

describe('sign-in with a session cookie', () => {
  let testDatabase: TestDatabase;
  let app: Express;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    app = createTestApp(testDatabase.database, {}, { loginRateLimit: { perAccount: 3, perAddress: 1000, windowMs: 60_000 } });
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('gives an anonymous visitor a CSRF token for the login form', async () => {
    const response = await request(app).get('/api/auth/session');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ authenticated: false, user: null, csrfToken: expect.stringMatching(/^[\w-]{43}$/), expiresAt: null });
    expect(response.headers['cache-control']).toBe('no-store');
    const cookie = setCookies(response).find((value) => value.startsWith('angebotsatlas_csrf='));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
  });

  it('refuses a login without the CSRF token', async () => {
    const user = await insertUser(testDatabase.database.knex, { role: 'planner' });
    const response = await request(app).post('/api/auth/login').send({ email: user.email, password: user.password });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('csrf_token_invalid');
  });

  it('signs in with the right password and sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const user = await insertUser(testDatabase.database.knex, { role: 'planner' });
    const agent = request.agent(app);
    const { body: anonymous } = await agent.get('/api/auth/session');
    const login = await agent.post('/api/auth/login').set('X-CSRF-Token', anonymous.csrfToken).send({ email: user.email.toUpperCase(), password: testPassword });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ authenticated: true, user: { id: user.id, email: user.email, role: 'planner', department: null } });
    expect(login.body.csrfToken).not.toBe(anonymous.csrfToken);
    const cookie = sessionCookie(login);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    const session = await agent.get('/api/auth/session');
    expect(session.body).toMatchObject({ authenticated: true, user: { id: user.id }, csrfToken: login.body.csrfToken });
  });

  it('marks the cookie Secure (and names it __Host-) when the request came over https', async () => {
    const httpsApp = createTestApp(testDatabase.database, { trustProxy: 1 });
    const user = await insertUser(testDatabase.database.knex, { role: 'planner' });
    const agent = request.agent(httpsApp);
    const { body } = await agent.get('/api/auth/session').set('X-Forwarded-Proto', 'https');
    const csrfCookie = (await request(httpsApp).get('/api/auth/session').set('X-Forwarded-Proto', 'https')).headers['set-cookie'];
    expect(String(csrfCookie)).toMatch(/Secure/);
    const login = await request(httpsApp)
      .post('/api/auth/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', `__Host-angebotsatlas_csrf=${body.csrfToken}`)
      .set('X-CSRF-Token', body.csrfToken)
      .send({ email: user.email, password: testPassword });
    expect(login.status).toBe(200);
    expect(setCookies(login).find((cookie) => cookie.startsWith('__Host-angebotsatlas_session='))).toMatch(/; Secure/);
  });

  it('stores only a hash of the session token', async () => {
    const user = await insertUser(testDatabase.database.knex, { role: 'planner' });
    const signedIn = await signIn(app, user);
    const { body } = await signedIn.agent.get('/api/auth/session');
    expect(body.authenticated).toBe(true);
    const rows = (await testDatabase.database.knex('sessions').where({ user_id: user.id })) as { id: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers a wrong password and an unknown address alike, with 401', async () => {
    const user = await insertUser(testDatabase.database.knex, { role: 'planner' });
    const agent = request.agent(app);
    const { body } = await agent.get('/api/auth/session');
    const wrong = await agent.post('/api/auth/login').set('X-CSRF-Token', body.csrfToken).send({ email: user.email, password: 'not the password' });
    const unknown = await agent.post('/api/auth/login').set('X-CSRF-Token', body.csrfToken).send({ email: 'nobody@example.org', password: 'whatever12345' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(wrong.body.code).toBe('invalid_credentials');
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('refuses a disabled account', async () => {
    const user = await insertUser(testDatabase.database.knex, { role: 'admin', disabled: true });
    await expect(signIn(app, user)).rejects.toThrow(/401/);
  });

  it('validates the login body field by field, in German by default', async () => {
    const agent = request.agent(app);
    const { body } = await agent.get('/api/auth/session');
    const response = await agent.post('/api/auth/login').set('X-CSRF-Token', body.csrfToken).send({ email: '' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'email', code: 'too_small', message: 'Darf nicht leer sein.' },
      { field: 'password', code: 'invalid_type', message: 'Dieses Feld ist erforderlich.' },
    ]);
  });

  it('throttles failed logins per account, not other accounts', async () => {
    const user = await insertUser(testDatabase.database.knex, { role: 'planner' });
    const other = await insertUser(testDatabase.database.knex, { role: 'planner' });
    const agent = request.agent(app);
    const { body } = await agent.get('/api/auth/session');
    const attempt = (email: string, password: string) =>
      agent.post('/api/auth/login').set('X-CSRF-Token', body.csrfToken).set('Accept-Language', 'en').send({ email, password });
    for (let index = 0; index < 3; index += 1) expect((await attempt(user.email, 'wrong password!')).status).toBe(401);
    const blocked = await attempt(user.email, testPassword);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'too_many_login_attempts', title: 'Too many requests' });
    expect(blocked.headers['ratelimit-policy'] ?? blocked.headers['ratelimit']).toBeDefined();
    expect((await attempt(other.email, testPassword)).status).toBe(200);
  });

  it('requires the session CSRF token on state-changing requests', async () => {
    const user = await insertUser(testDatabase.database.knex, { role: 'planner' });
    const signedIn = await signIn(app, user);
    const missing = await signedIn.agent.post('/api/auth/logout');
    expect(missing.status).toBe(403);
    expect(missing.body.code).toBe('csrf_token_invalid');
    const wrong = await signedIn.agent.post('/api/auth/logout').set('X-CSRF-Token', 'x'.repeat(43));
    expect(wrong.status).toBe(403);
    expect((await signedIn.agent.get('/api/auth/session')).body.authenticated).toBe(true);
  });

  it('logs out: the session ends and the old cookie no longer works', async () => {
    const user = await insertUser(testDatabase.database.knex, { role: 'planner' });
    const agent = request.agent(app);
    const { body } = await agent.get('/api/auth/session');
    const login = await agent.post('/api/auth/login').set('X-CSRF-Token', body.csrfToken).send({ email: user.email, password: testPassword });
    const cookie = sessionCookie(login)!.split(';')[0]!;
    const logout = await agent.post('/api/auth/logout').set('X-CSRF-Token', login.body.csrfToken);
    expect(logout.status).toBe(204);
    expect(sessionCookie(logout)).toMatch(/angebotsatlas_session=;/);
    const replay = await request(app).get('/api/auth/session').set('Cookie', cookie);
    expect(replay.body.authenticated).toBe(false);
    expect(await testDatabase.database.knex('sessions').where({ user_id: user.id })).toHaveLength(0);
  });

  it('treats an expired session as anonymous', async () => {
    const user = await insertUser(testDatabase.database.knex, { role: 'planner' });
    const signedIn = await signIn(app, user);
    await testDatabase.database.knex('sessions')
      .where({ user_id: user.id })
      .update({ created_at: testDatabase.database.knex.raw("now() - interval '2 days'"), expires_at: testDatabase.database.knex.raw("now() - interval '1 day'") });
    const session = await signedIn.agent.get('/api/auth/session');
    expect(session.body.authenticated).toBe(false);
  });

  it('lets an administrator create users, and nobody else', async () => {
    const knex = testDatabase.database.knex;
    const department = await insertDepartment(knex);
    const admin = await signIn(app, await insertUser(knex, { role: 'admin' }));
    const planner = await signIn(app, await insertUser(knex, { role: 'planner' }));
    const body = { email: 'neu@example.org', role: 'editor', departmentCode: department.code, password: 'a long enough password' };
    const anonymous = await request(app).post('/api/auth/users').send(body);
    expect(anonymous.status).toBe(401);
    const forbidden = await planner.agent.post('/api/auth/users').set('X-CSRF-Token', planner.csrfToken).send(body);
    expect(forbidden.status).toBe(403);
    const created = await admin.agent.post('/api/auth/users').set('X-CSRF-Token', admin.csrfToken).send(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'neu@example.org', role: 'editor', department: { code: department.code } });
    expect(created.body).not.toHaveProperty('passwordHash');
    const noDepartment = await admin.agent
      .post('/api/auth/users')
      .set('X-CSRF-Token', admin.csrfToken)
      .send({ ...body, email: 'zwei@example.org', departmentCode: undefined });
    expect(noDepartment.status).toBe(400);
    expect(noDepartment.body.errors[0]).toMatchObject({ field: 'departmentCode', code: 'department_required' });
    const event = await knex('audit_events').where({ entity_type: 'user', entity_id: created.body.id }).first();
    expect(event).toMatchObject({ action: 'user.created', actor_id: admin.user.id });
    expect(JSON.stringify(event.after)).not.toContain('password');
  });
});

describe('the first administrator from ADMIN_EMAIL / ADMIN_PASSWORD', () => {
  let testDatabase: TestDatabase;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('is created once, on a database without an administrator, and can sign in', async () => {
    const knex = testDatabase.database.knex;
    const auth = createAuthService({ db: knex, audit: createAuditService({ db: knex }) });
    expect(await auth.ensureInitialAdmin({ email: undefined, password: undefined })).toEqual({ created: false, reason: 'not_configured' });
    const first = await auth.ensureInitialAdmin({ email: 'admin@example.org', password: 'first operator password' });
    expect(first).toEqual({ created: true, email: 'admin@example.org' });
    const second = await auth.ensureInitialAdmin({ email: 'other@example.org', password: 'another password!' });
    expect(second).toEqual({ created: false, reason: 'admin_exists' });
    const admins = (await knex('users').where({ role: 'admin' })) as { email: string; password_hash: string }[];
    expect(admins.map((admin) => admin.email)).toEqual(['admin@example.org']);
    expect(admins[0]!.password_hash).toMatch(/^\$argon2id\$/);
    const events = await knex('audit_events').where({ entity_type: 'user', action: 'user.created' });
    expect(JSON.stringify(events)).not.toContain('first operator password');
    const session = await auth.login('admin@example.org', 'first operator password');
    expect(session.user.role).toBe('admin');
    expect(hashToken(session.token)).toMatch(/^[0-9a-f]{64}$/);
  });
});
