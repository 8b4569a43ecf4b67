import { Writable } from 'node:stream';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment, insertUser, signIn, testPassword, type SignedIn, type TestUser } from '../helpers/offer-factories.ts';

interface AuditRow {
  action: string;
  actor_id: string | null;
  actor_label: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  details: Record<string, unknown> | null;
}

describe('account management (API, CLI) and its audit trail', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let admin: SignedIn;

  const knex = () => testDatabase.database.knex;
  const events = async (userId: string) => (await knex()('audit_events').where({ entity_id: userId }).orderBy('id')) as AuditRow[];
  const tryLogin = async (user: Pick<TestUser, 'email'>, password: string) => {
    const agent = request.agent(app);
    const session = await agent.get('/api/auth/session');
    return agent.post('/api/auth/login').set('X-CSRF-Token', session.body.csrfToken as string).send({ email: user.email, password });
  };

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    app = createTestApp(testDatabase.database, {}, { loginRateLimit: { perAccount: 1000, perAddress: 1000, windowMs: 60_000 } });
    admin = await signIn(app, await insertUser(knex(), { role: 'admin' }));
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  describe('listing accounts', () => {
    it('lists accounts for administrators, without password hashes', async () => {
      const planner = await insertUser(knex(), { role: 'planner' });
      const response = await admin.agent.get('/api/users');
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const row = response.body.items.find((item: { id: string }) => item.id === planner.id);
      expect(row).toEqual({
        id: planner.id,
        email: planner.email,
        displayName: null,
        role: 'planner',
        department: null,
        disabled: false,
        createdAt: expect.any(String),
        lastLoginAt: null,
        sessionCount: 0,
      });
      expect(response.text).not.toContain('argon2');
    });

    it('refuses anonymous readers (401) and other roles (403), and audits the refusal', async () => {
      expect((await request(app).get('/api/users')).status).toBe(401);
      const planner = await signIn(app, await insertUser(knex(), { role: 'planner' }));
      const refused = await planner.agent.get('/api/users').set('X-Request-Id', 'refused-users-list');
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('admin_only');
      const event = (await knex()('audit_events').where({ action: 'access.refused', request_id: 'refused-users-list' }).first()) as AuditRow;
      expect(event).toMatchObject({ actor_id: planner.user.id, entity_id: 'GET /api/users', after: { status: 403, code: 'admin_only' } });
    });
  });

  describe('changing one’s own password', () => {
    it('needs the current password, refuses weak ones by reason, and ends every other session', async () => {
      const user = await insertUser(knex(), { role: 'planner', email: 'maria.musterfrau@example.org' });
      const first = await signIn(app, user);
      const second = await signIn(app, user);
      const change = (body: Record<string, string>) =>
        first.agent.post('/api/auth/password').set('X-CSRF-Token', first.csrfToken).set('Accept-Language', 'en').send(body);

      const wrong = await change({ currentPassword: 'not my password', newPassword: 'a fresh and long sentence' });
      expect(wrong.status).toBe(400);
      expect(wrong.body.errors).toEqual([{ field: 'currentPassword', code: 'wrong_current_password', message: 'The current password is wrong.' }]);
      const weak: [string, string][] = [
        ['short pw', 'too_short'],
        ['aaaaaaaaaaaa', 'too_guessable'],
        ['maria.musterfrau@example.org', 'contains_personal_data'],
        ['Musterfrau2026', 'contains_personal_data'],
        ['password1234', 'common_password'],
        ['iloveyou12345', 'common_password'],
      ];
      for (const [newPassword, code] of weak) {
        const response = await change({ currentPassword: testPassword, newPassword });
        expect(response.status, newPassword).toBe(400);
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(response.body.errors[0], newPassword).toMatchObject({ field: 'newPassword', code });
      }
      const german = await first.agent
        .post('/api/auth/password')
        .set('X-CSRF-Token', first.csrfToken)
        .send({ currentPassword: testPassword, newPassword: 'password1234' });
      expect(german.body.errors[0].message).toBe('Dieses Passwort steht auf einer Liste häufiger oder geleakter Passwörter; wählen Sie ein anderes.');

      const changed = await change({ currentPassword: testPassword, newPassword: 'a fresh and long sentence' });
      expect(changed.status).toBe(200);
      expect(changed.headers['cache-control']).toBe('no-store');
      expect(changed.body).toMatchObject({ authenticated: true, user: { id: user.id } });
      // The other browser is signed out; this one continues with a new session and token.
      expect((await second.agent.get('/api/auth/session')).body.authenticated).toBe(false);
      const mine = await first.agent.get('/api/auth/session');
      expect(mine.body).toMatchObject({ authenticated: true, csrfToken: changed.body.csrfToken });
      expect(await knex()('sessions').where({ user_id: user.id })).toHaveLength(1);
      expect((await tryLogin(user, testPassword)).status).toBe(401);
      expect((await tryLogin(user, 'a fresh and long sentence')).status).toBe(200);
      const changeEvent = (await events(user.id)).find((event) => event.action === 'user.password_changed');
      expect(changeEvent).toMatchObject({ actor_id: user.id, details: { endedSessions: 2 } });
      expect(JSON.stringify(await events(user.id))).not.toContain('a fresh and long sentence');
    });

    it('applies the same policy when an administrator creates an account', async () => {
      const department = await insertDepartment(knex());
      const response = await admin.agent
        .post('/api/auth/users')
        .set('X-CSRF-Token', admin.csrfToken)
        .set('Accept-Language', 'en')
        .send({ email: 'kita.leitung@example.org', role: 'editor', departmentCode: department.code, password: 'kita.leitung@example.org' });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'password', code: 'contains_personal_data', message: expect.stringContaining("account's e-mail address") },
      ]);
    });
  });

  describe('administrators manage other accounts', () => {
    it('resets a password: the new one is shown once, sessions end, the old one stops working', async () => {
      const user = await insertUser(knex(), { role: 'planner' });
      const victim = await signIn(app, user);
      const reset = await admin.agent.post(`/api/users/${user.id}/password-reset`).set('X-CSRF-Token', admin.csrfToken);
      expect(reset.status).toBe(200);
      expect(reset.headers['cache-control']).toBe('no-store');
      expect(reset.body).toMatchObject({ user: { id: user.id }, password: expect.stringMatching(/^[\w-]{24}$/), endedSessions: 1 });
      expect((await victim.agent.get('/api/auth/session')).body.authenticated).toBe(false);
      expect((await tryLogin(user, testPassword)).status).toBe(401);
      expect((await tryLogin(user, reset.body.password as string)).status).toBe(200);
      const event = (await events(user.id)).find((row) => row.action === 'user.password_reset');
      expect(event).toMatchObject({ actor_id: admin.user.id, details: { endedSessions: 1 } });
      expect(JSON.stringify(await events(user.id))).not.toContain(reset.body.password as string);
    });

    it('disables (sessions end, sign-in refused) and enables an account', async () => {
      const user = await insertUser(knex(), { role: 'planner' });
      const session = await signIn(app, user);
      const disabled = await admin.agent.patch(`/api/users/${user.id}`).set('X-CSRF-Token', admin.csrfToken).send({ disabled: true });
      expect(disabled.status).toBe(200);
      expect(disabled.body).toMatchObject({ id: user.id, disabled: true, sessionCount: 0 });
      expect((await session.agent.get('/api/auth/session')).body.authenticated).toBe(false);
      expect((await tryLogin(user, testPassword)).status).toBe(401);
      const enabled = await admin.agent.patch(`/api/users/${user.id}`).set('X-CSRF-Token', admin.csrfToken).send({ disabled: false });
      expect(enabled.body.disabled).toBe(false);
      expect((await tryLogin(user, testPassword)).status).toBe(200);
      const actions = (await events(user.id)).map((event) => event.action);
      expect(actions).toEqual(['auth.login_succeeded', 'user.disabled', 'auth.login_failed', 'user.enabled', 'auth.login_succeeded']);
      const disabledEvent = (await events(user.id)).find((event) => event.action === 'user.disabled');
      expect(disabledEvent).toMatchObject({ before: { disabled: false }, after: { disabled: true }, details: { endedSessions: 1 } });
    });

    it('changes role and department, refuses an editor without one, and ends the sessions so new rights apply', async () => {
      const department = await insertDepartment(knex());
      const user = await insertUser(knex(), { role: 'planner' });
      const session = await signIn(app, user);
      const patch = (body: object) => admin.agent.patch(`/api/users/${user.id}`).set('X-CSRF-Token', admin.csrfToken).set('Accept-Language', 'en').send(body);
      const noDepartment = await patch({ role: 'editor' });
      expect(noDepartment.status).toBe(400);
      expect(noDepartment.body.errors[0]).toMatchObject({ field: 'departmentCode', code: 'department_required' });
      const unknown = await patch({ role: 'editor', departmentCode: 'NO-SUCH-DEPT' });
      expect(unknown.body.errors[0]).toMatchObject({ field: 'departmentCode', code: 'unknown_department' });
      expect((await patch({})).status).toBe(400);
      expect((await patch({ role: 'superuser' })).status).toBe(400);
      const changed = await patch({ role: 'editor', departmentCode: department.code });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ role: 'editor', department: { code: department.code } });
      expect((await session.agent.get('/api/auth/session')).body.authenticated).toBe(false);
      const event = (await events(user.id)).find((row) => row.action === 'user.updated');
      expect(event).toMatchObject({
        actor_id: admin.user.id,
        before: { role: 'planner', departmentCode: null },
        after: { role: 'editor', departmentCode: department.code },
      });
      expect((await patch({ departmentCode: null })).body.errors[0]).toMatchObject({ code: 'department_required' });
    });

    it('lets only administrators manage others (403 for editors), 404 for unknown ids, 400 for malformed ones', async () => {
      const department = await insertDepartment(knex());
      const editor = await signIn(app, await insertUser(knex(), { role: 'editor', departmentId: department.id }));
      const other = await insertUser(knex(), { role: 'planner' });
      const asEditor = await editor.agent.patch(`/api/users/${other.id}`).set('X-CSRF-Token', editor.csrfToken).send({ role: 'admin' });
      expect(asEditor.status).toBe(403);
      expect((await editor.agent.post(`/api/users/${other.id}/password-reset`).set('X-CSRF-Token', editor.csrfToken)).status).toBe(403);
      expect((await editor.agent.get(`/api/users/${other.id}/sessions`)).status).toBe(403);
      const missing = await admin.agent.patch('/api/users/00000000-0000-4000-8000-000000000000').set('X-CSRF-Token', admin.csrfToken).send({ disabled: true });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('user_not_found');
      const malformed = await admin.agent.patch('/api/users/not-a-uuid').set('X-CSRF-Token', admin.csrfToken).send({ disabled: true });
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors[0]).toMatchObject({ field: 'id', code: 'invalid_user_id' });
    });
  });

  describe('sessions', () => {
    it('lists one’s own sessions (the current one marked), ends one, then all', async () => {
      const user = await insertUser(knex(), { role: 'planner' });
      const first = await signIn(app, user);
      const second = await signIn(app, user);
      const listed = await first.agent.get(`/api/users/${user.id}/sessions`);
      expect(listed.status).toBe(200);
      expect(listed.body.items).toHaveLength(2);
      expect(listed.body.items.filter((session: { current: boolean }) => session.current)).toHaveLength(1);
      const other = listed.body.items.find((session: { current: boolean }) => !session.current) as { id: string };
      const ended = await first.agent.delete(`/api/users/${user.id}/sessions/${other.id}`).set('X-CSRF-Token', first.csrfToken);
      expect(ended.status).toBe(204);
      expect((await second.agent.get('/api/auth/session')).body.authenticated).toBe(false);
      expect((await first.agent.get('/api/auth/session')).body.authenticated).toBe(true);
      const again = await first.agent.delete(`/api/users/${user.id}/sessions/${other.id}`).set('X-CSRF-Token', first.csrfToken);
      expect(again.status).toBe(404);
      const all = await admin.agent.delete(`/api/users/${user.id}/sessions`).set('X-CSRF-Token', admin.csrfToken);
      expect(all.body).toEqual({ endedSessions: 1 });
      expect((await first.agent.get('/api/auth/session')).body.authenticated).toBe(false);
      const actions = (await events(user.id)).map((event) => event.action);
      expect(actions.filter((action) => action.startsWith('session.'))).toEqual(['session.ended', 'session.ended_all']);
    });

    it('audits sign-out', async () => {
      const user = await insertUser(knex(), { role: 'planner' });
      const session = await signIn(app, user);
      expect((await session.agent.post('/api/auth/logout').set('X-CSRF-Token', session.csrfToken)).status).toBe(204);
      expect((await events(user.id)).map((event) => event.action)).toEqual(['auth.login_succeeded', 'auth.logout']);
    });
  });

  describe('the last administrator', () => {
    it('cannot be disabled or demoted', async () => {
      const others = await knex()('users').where({ role: 'admin' }).whereNot({ id: admin.user.id }).whereNull('disabled_at').select('id');
      await knex()('users').whereIn('id', others.map((row: { id: string }) => row.id)).update({ disabled_at: knex().fn.now() });
      for (const body of [{ disabled: true }, { role: 'planner' }]) {
        const response = await admin.agent.patch(`/api/users/${admin.user.id}`).set('X-CSRF-Token', admin.csrfToken).send(body);
        expect(response.status).toBe(409);
        expect(response.body.code).toBe('last_admin');
      }
      await knex()('users').whereIn('id', others.map((row: { id: string }) => row.id)).update({ disabled_at: null });
    });
  });

  describe('the audit log', () => {
    it('refuses TRUNCATE as it refuses UPDATE and DELETE', async () => {
      const before = Number(((await knex()('audit_events').count({ count: '*' }).first()) as { count: string }).count);
      expect(before).toBeGreaterThan(0);
      await expect(knex().raw('truncate audit_events')).rejects.toThrow(/append-only/);
      const after = Number(((await knex()('audit_events').count({ count: '*' }).first()) as { count: string }).count);
      expect(after).toBe(before);
    });
  });

  describe('request logs', () => {
    it('carry the user id, never the e-mail address, the cookie or the password', async () => {
      const lines: string[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          lines.push(chunk.toString());
          callback();
        },
      });
      const loggedApp = createTestApp(testDatabase.database, {}, { logger: pino({ level: 'info' }, stream) });
      const user = await insertUser(knex(), { role: 'planner' });
      const session = await signIn(loggedApp, user);
      await session.agent.get('/api/users').set('X-Request-Id', 'log-check');
      const entry = lines.map((line) => JSON.parse(line) as { req?: { id?: string }; userId?: string | null }).find((line) => line.req?.id === 'log-check');
      expect(entry?.userId).toBe(user.id);
      const everything = lines.join('\n');
      expect(everything).not.toContain(user.email);
      expect(everything).not.toContain(testPassword);
      expect(everything).not.toMatch(/angebotsatlas_session=/);
    });
  });

  describe('npm run cli -- user …', () => {
    let output: string[];
    let errors: string[];

    /** Runs the CLI program in this process against the test database (tests/helpers/cli.ts). */
    async function cli(...args: string[]): Promise<number> {
      const run = await runCli(testDatabase.database, args);
      output = run.output;
      errors = run.errors;
      return run.code;
    }
    afterEach(() => {
      process.exitCode = undefined;
    });

    it('lists, disables, enables, changes the role, resets the password and ends sessions', async () => {
      const department = await insertDepartment(knex());
      const user = await insertUser(knex(), { role: 'planner', email: 'cli.konto@example.org' });
      await signIn(app, user);
      expect(await cli('users', 'list')).toBe(0);
      expect(output.join('\n')).toMatch(/cli\.konto@example\.org\s+planner\s+–\s+active\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+1/);

      expect(await cli('user', 'sessions', '--email', 'CLI.KONTO@example.org')).toBe(0);
      expect(output.join('\n').split('\n')).toHaveLength(3);

      expect(await cli('user', 'set-role', '--email', user.email, '--role', 'editor', '--department', department.code)).toBe(0);
      expect(output).toEqual([`Now editor cli.konto@example.org in ${department.code}.`]);
      expect(await cli('user', 'set-role', '--email', user.email, '--department', 'none')).toBe(2);
      expect(errors).toEqual(['department: An editor needs a department.']);

      expect(await cli('user', 'disable', '--email', user.email)).toBe(0);
      expect(output).toEqual([`Disabled editor cli.konto@example.org in ${department.code} (disabled).`]);
      expect((await tryLogin(user, testPassword)).status).toBe(401);
      expect(await cli('user', 'enable', '--email', user.email)).toBe(0);

      expect(await cli('user', 'reset-password', '--email', user.email)).toBe(0);
      const password = /\(shown only now\): (\S+)$/.exec(output[0] ?? '')?.[1];
      expect(password).toHaveLength(24);
      expect((await tryLogin(user, password!)).status).toBe(200);
      expect(await cli('user', 'end-sessions', '--email', user.email)).toBe(0);
      expect(output).toEqual(['1 session(s) of cli.konto@example.org ended.']);

      expect(await cli('user', 'disable', '--email', 'niemand@example.org')).toBe(1);
      expect(errors).toEqual(['There is no account with the e-mail address niemand@example.org.']);
      const cliEvents = await events(user.id);
      expect(cliEvents.filter((event) => event.actor_label === 'cli').map((event) => event.action)).toEqual([
        'user.updated',
        'user.disabled',
        'user.enabled',
        'user.password_reset',
        'session.ended_all',
      ]);
      expect(cliEvents.every((event) => event.actor_label !== 'cli' || event.actor_id === null)).toBe(true);
    });

  });
});
