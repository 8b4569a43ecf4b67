import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOffersCsv } from '../../bench/offers-data.ts';
import { startLatencyProbe } from '../../bench/latency-probe.ts';
import type { Config } from '../../server/config.ts';
import { createAppServer } from '../../server/http/app-server.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createGridCity, gridPoints } from '../helpers/load-city.ts';
import { insertDepartment, insertUser } from '../helpers/offer-factories.ts';
import { signInOverHttp } from '../helpers/raw-http.ts';

// Issue 11, defects 1 and 5: eight anonymous what-if scenarios (100 points, 10 km walking) made
// /api/health take 16.4 s on the embedded database; a 20,000-row import froze it for 10.3 s.

let testDatabase: TestDatabase;
let grid: Awaited<ReturnType<typeof createGridCity>>;
const servers: http.Server[] = [];

async function serve(app: Express): Promise<string> {
  const server = createAppServer(app);
  // The client (fetch) reuses idle keep-alive connections; with Node's 5 s default the server may
  // close one just as a delayed client sends on it (ECONNRESET on a loaded machine), which says
  // nothing about the server's load handling.
  server.keepAliveTimeout = 120_000;
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function serveWith(overrides: Partial<Config>): Promise<string> {
  return serve(createTestApp(testDatabase.database, overrides));
}

/**
 * POSTs JSON without a client-side time limit. fetch (undici) gives up after 300 s without response
 * headers: on a loaded test machine the last of 8 queued 10 km computations (2 run at a time) waited
 * longer than that, which failed the test although the server answered every one.
 */
function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(parts).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function scenario(base: string, points: number, seed: number, headers: Record<string, string> = {}, distance = 10_000) {
  const response = await post(
    `${base}/api/coverage/scenario`,
    JSON.stringify({ offerType: 'senior_meeting_place', mode: 'walk', distance, offers: gridPoints(points, grid.size, seed) }),
    { 'content-type': 'application/json', ...headers },
  );
  return {
    status: response.status,
    headers: { get: (name: string) => (response.headers[name.toLowerCase()] as string | undefined) ?? null },
    body: JSON.parse(response.text) as Record<string, unknown>,
  };
}

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  grid = await createGridCity(testDatabase.database.knex);
}, 600_000);

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await testDatabase.destroy();
}, 600_000);

describe('expensive requests do not stall the portal', () => {
  it('answers /api/health within 500 ms while 8 scenarios (100 points, walking 10 km) and a 20,000-row import run', { timeout: 1_200_000 }, async () => {
    const knex = testDatabase.database.knex;
    const base = await serveWith({});
    const department = await insertDepartment(knex);
    const admin = await signInOverHttp(base, await insertUser(knex, { role: 'admin' }));
    // the street graph is built once per network change, on the first question; the first health
    // check reads the database versions (later ones ping the database thread)
    expect((await scenario(base, 1, 99)).status).toBe(200);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);

    // the file is made before the probe starts: the test shares the server's thread, and its own
    // work is not what is measured
    const csv = generateOffersCsv(20_000, [department.code]);
    const health = startLatencyProbe(`${base}/api/health`, 50);
    const upload = (query: string) =>
      fetch(`${base}/api/offers/import?format=csv&${query}`, { method: 'POST', headers: { ...admin, 'content-type': 'text/csv' }, body: csv });
    const importing = (async () => {
      const dryRun = await upload('dryRun=true');
      const report = (await dryRun.json()) as { checksum: string; valid: boolean };
      expect(report.valid).toBe(true);
      const confirm = await upload(`dryRun=false&checksum=${report.checksum}`);
      return { status: confirm.status, body: (await confirm.json()) as { created?: number } };
    })();
    const scenarios = await Promise.all(Array.from({ length: 8 }, (_, index) => scenario(base, 100, index + 1)));
    const imported = await importing;
    const samples = await health.stop();

    expect(scenarios.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    expect(imported).toMatchObject({ status: 200, body: { created: 20_000 } });
    // Before issue 11 the probe got ONE answer, after all the work (212 s on Cologne). The bound is
    // on the 95th percentile: on the shared 2-core test machines (load average above 20) single
    // answers still took seconds when the request thread had its own share of the work.
    expect(samples.length).toBeGreaterThan(10);
    const answered = samples.filter((sample) => sample.status === 200).map((sample) => sample.ms).sort((left, right) => left - right);
    expect(answered.length / samples.length).toBeGreaterThanOrEqual(0.95);
    expect(answered[Math.floor(answered.length * 0.95)]).toBeLessThan(500);
  });

  it('answers /api/health within 500 ms while a 20,000-row import is confirmed (all or nothing)', { timeout: 900_000 }, async () => {
    // Defect 5: on the embedded database the confirm's transaction holds the one session; a 20k-row
    // confirm froze the health check for 10.3 s, and later pings waited for its long statements.
    const knex = testDatabase.database.knex;
    const base = await serveWith({});
    const department = await insertDepartment(knex);
    const admin = await signInOverHttp(base, await insertUser(knex, { role: 'admin' }));
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    // other external ids than the first test's file: these are new offers, not updates
    const csv = generateOffersCsv(20_000, [department.code], 7).replaceAll(',offer-', ',confirm-offer-');
    // over node:http: the confirm took longer than fetch's 300 s header limit at a load average of 48
    const upload = (query: string) => post(`${base}/api/offers/import?format=csv&${query}`, csv, { ...admin, 'content-type': 'text/csv' });
    const report = JSON.parse((await upload('dryRun=true')).text) as { checksum: string; valid: boolean };
    expect(report.valid).toBe(true);
    const before = Number((await knex('offers').count({ count: '*' }))[0]!.count);

    const health = startLatencyProbe(`${base}/api/health`, 50);
    const confirm = await upload(`dryRun=false&checksum=${report.checksum}`);
    const samples = await health.stop();

    expect(confirm.status).toBe(200);
    expect(JSON.parse(confirm.text)).toMatchObject({ created: 20_000 });
    expect(Number((await knex('offers').count({ count: '*' }))[0]!.count)).toBe(before + 20_000);
    expect(samples.length).toBeGreaterThan(10);
    const answered = samples.filter((sample) => sample.status === 200).map((sample) => sample.ms).sort((left, right) => left - right);
    expect(answered.length / samples.length).toBeGreaterThanOrEqual(0.95);
    expect(answered[Math.floor(answered.length * 0.95)]).toBeLessThan(500);
  });

  it('refuses expensive requests beyond the bounded queue with 503 and Retry-After', { timeout: 300_000 }, async () => {
    const base = await serveWith({ work: { concurrency: 2, maxQueued: 6, retryAfterSeconds: 7 } });
    await scenario(base, 1, 98, {}, 500);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, index) => scenario(base, 2, index + 20, {}, 500)));
    const busy = answers.filter((answer) => answer.status === 503);
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(8);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    expect(busy.length + answers.filter((answer) => answer.status === 200).length).toBe(12);
    for (const answer of busy) {
      expect(answer.headers.get('retry-after')).toBe('7');
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({ status: 503, code: 'server_busy', retryAfter: 7 });
    }
  });

  it('limits anonymous coverage requests per address with 429 and Retry-After; signed-in staff are not counted', { timeout: 300_000 }, async () => {
    const knex = testDatabase.database.knex;
    const base = await serveWith({ analysisRateLimitPerMinute: 3 });
    const ask = (headers: Record<string, string> = {}) =>
      fetch(`${base}/api/coverage?offerType=senior_meeting_place&distance=500`, { headers: { 'accept-language': 'en', ...headers } });
    for (let index = 0; index < 3; index++) expect((await ask()).status).toBe(200);
    const limited = await ask();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await limited.json()).toMatchObject({ status: 429, code: 'too_many_requests' });
    const planner = await signInOverHttp(base, await insertUser(knex, { role: 'planner' }));
    for (let index = 0; index < 4; index++) expect((await ask(planner)).status).toBe(200);
  });

  it('answers /api/health while a 20 MB single-line CSV is read, and refuses the file: it holds no offers', { timeout: 600_000 }, async () => {
    // Defect 5: the dry run of such a file froze the health check for 15 s and reported valid:true, records:0.
    const knex = testDatabase.database.knex;
    const base = await serveWith({});
    const admin = await signInOverHttp(base, await insertUser(knex, { role: 'admin' }));
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    const line = `name,description,${'x'.repeat(20 * 1024 * 1024)}`;
    const health = startLatencyProbe(`${base}/api/health`, 50);
    const response = await fetch(`${base}/api/offers/import?format=csv&dryRun=true`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/csv', 'accept-language': 'en' },
      body: line,
    });
    const samples = await health.stop();
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ field: 'file', code: 'no_records' })] });
    expect(samples.length).toBeGreaterThan(3);
    const answered = samples.filter((sample) => sample.status === 200).map((sample) => sample.ms).sort((left, right) => left - right);
    expect(answered.length / samples.length).toBeGreaterThanOrEqual(0.95);
    expect(answered[Math.floor(answered.length * 0.95)]).toBeLessThan(500);
  });
});
