import type { Express } from 'express';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertUser, testPassword } from '../helpers/offer-factories.ts';

/** What a reverse proxy forwards: the client's own (forgeable) header, then the address it saw. */
function forwardedFor(claimed: string, seenByProxy: string): string {
  return `${claimed}, ${seenByProxy}`;
}

describe('login throttling behind a proxy, per address and per account', () => {
  let testDatabase: TestDatabase;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** TRUST_PROXY=true as the README advised, read by the real configuration code. */
  function appBehindProxy(limits: { perAccount: number; perAddress: number; backoffMs?: number }): Express {
    return createTestApp(
      testDatabase.database,
      { trustProxy: loadConfig({ TRUST_PROXY: 'true' }).trustProxy },
      { loginRateLimit: { windowMs: 15 * 60_000, ...limits } },
    );
  }

  async function attempt(app: Express, address: string, email: string, password: string, claimed = '198.51.100.1') {
    const agent = request.agent(app);
    const session = await agent.get('/api/auth/session').set('X-Forwarded-For', forwardedFor(claimed, address));
    return agent
      .post('/api/auth/login')
      .set('X-Forwarded-For', forwardedFor(claimed, address))
      .set('X-CSRF-Token', session.body.csrfToken as string)
      .set('Accept-Language', 'en')
      .send({ email, password });
  }

  it('counts per address the proxy saw, whatever X-Forwarded-For the client invents', async () => {
    const app = appBehindProxy({ perAccount: 1000, perAddress: 5 });
    const statuses: number[] = [];
    for (let index = 0; index < 8; index += 1) {
      const response = await attempt(app, '203.0.113.7', `nobody${index}@example.org`, 'wrong password!', `198.51.100.${index + 10}`);
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });

  it('blocks an account after its free failures even when every attempt comes from another address', async () => {
    const app = appBehindProxy({ perAccount: 3, perAddress: 1000 });
    const user = await insertUser(testDatabase.database.knex, { role: 'planner' });
    for (let index = 0; index < 3; index += 1) {
      expect((await attempt(app, `203.0.113.${index + 20}`, user.email, 'wrong password!')).status).toBe(401);
    }
    const blocked = await attempt(app, '203.0.113.99', user.email.toUpperCase(), testPassword);
    expect(blocked.status).toBe(429);
    expect(blocked.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(blocked.body).toMatchObject({ code: 'too_many_login_attempts', retryAfterSeconds: 30 });
    expect(blocked.body.detail).toBe('Too many failed sign-in attempts for this account. Please try again in 30 seconds.');
    expect(blocked.headers['retry-after']).toBe('30');
    // Another account from the same addresses is not affected.
    const other = await insertUser(testDatabase.database.knex, { role: 'planner' });
    expect((await attempt(app, '203.0.113.20', other.email, testPassword)).status).toBe(200);
  });

  it('answers an unknown address exactly like a known one, so the throttle tells nothing about accounts', async () => {
    const app = appBehindProxy({ perAccount: 2, perAddress: 1000 });
    const known = await insertUser(testDatabase.database.knex, { role: 'planner' });
    const answers = [];
    for (const email of [known.email, 'niemand-hier@example.org']) {
      for (let index = 0; index < 2; index += 1) await attempt(app, `203.0.113.${40 + index}`, email, 'wrong password!');
      answers.push(await attempt(app, '203.0.113.50', email, 'wrong password!'));
    }
    expect(answers.map((answer) => answer.status)).toEqual([429, 429]);
    expect(answers[0]!.body.detail).toBe(answers[1]!.body.detail);
  });

  it('doubles the wait with every further failure and forgets the failures after a success', async () => {
    // The clock starts at the real time: the session row's created_at is the database's now(), its
    // expires_at the server's clock plus the session lifetime (a fixed morning date failed every
    // evening, when the morning's expiry lay before the database's now()).
    const start = Math.floor(Date.now() / 1000) * 1000;
    const at = (seconds: number) => new Date(start + seconds * 1000);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(at(0));
    const app = appBehindProxy({ perAccount: 2, perAddress: 1000, backoffMs: 60_000 });
    const user = await insertUser(testDatabase.database.knex, { role: 'planner' });
    const wrong = () => attempt(app, '203.0.113.60', user.email, 'wrong password!');
    expect((await wrong()).status).toBe(401);
    expect((await wrong()).status).toBe(401);
    expect((await wrong()).headers['retry-after']).toBe('60');
    vi.setSystemTime(at(61));
    expect((await wrong()).status).toBe(401);
    expect((await wrong()).headers['retry-after']).toBe('120');
    vi.setSystemTime(at(182));
    expect((await wrong()).status).toBe(401);
    expect((await wrong()).headers['retry-after']).toBe('240');
    vi.setSystemTime(at(423));
    expect((await attempt(app, '203.0.113.60', user.email, testPassword)).status).toBe(200);
    // A success starts the count afresh: two free failures again.
    expect((await wrong()).status).toBe(401);
    expect((await wrong()).status).toBe(401);
    expect((await wrong()).status).toBe(429);
  });

  it('audits failures (with reason and address), refusals by the throttle, and the success', async () => {
    const app = appBehindProxy({ perAccount: 1, perAddress: 1000 });
    const knex = testDatabase.database.knex;
    const user = await insertUser(knex, { role: 'planner' });
    await attempt(app, '203.0.113.70', user.email, 'wrong password!');
    await attempt(app, '203.0.113.71', user.email, testPassword);
    const other = await insertUser(knex, { role: 'planner' });
    await attempt(app, '203.0.113.72', other.email, testPassword);
    const events = (await knex('audit_events').whereIn('entity_id', [user.id, other.id]).orderBy('id')) as {
      action: string;
      entity_id: string;
      actor_id: string | null;
      details: { reason?: string; address: string };
    }[];
    expect(events.map((event) => [event.action, event.entity_id, event.details.reason ?? null, event.details.address])).toEqual([
      ['auth.login_failed', user.id, 'wrong_password', '203.0.113.70'],
      ['auth.login_failed', user.id, 'throttled', '203.0.113.71'],
      ['auth.login_succeeded', other.id, null, '203.0.113.72'],
    ]);
    expect(events[2]!.actor_id).toBe(other.id);
    expect(JSON.stringify(events)).not.toContain('wrong password!');
  });
});
