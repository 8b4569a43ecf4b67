/**
 * Load hardening (issue 11): how long /api/health and /api/search take while expensive requests run.
 * Before and after in one run, on the real Cologne data:
 *   "before": the embedded database and the coverage computation on the request thread, no bounded
 *             queue (8 at a time) — as before issue 11
 *   "after":  the embedded database in its worker thread, coverage in worker threads (piscina),
 *             the bounded queue with its defaults
 *
 *   npx tsx bench/hardening-load.ts                 both
 *   BENCH_MODES=after npx tsx bench/hardening-load.ts
 *   BENCH_ROWS=5000 npx tsx bench/hardening-load.ts  a smaller import (default 20,000 rows)
 *
 * Prints one line per figure; the results go to docs/benchmarks.md by hand. Not a test: no limits enforced.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { inlineCoverageComputer } from '../server/coverage/coverage.task.ts';
import { hsdsFileFormat } from '../server/hsds/hsds.service.ts';
import { createAppServer } from '../server/http/app-server.ts';
import { readImportFile } from '../server/offers/offers-file-reader.ts';
import { connectDatabase, type Database } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { hashPassword } from '../server/auth/auth.service.ts';
import { seedReferenceData } from '../seeds/reference-data.ts';
import { loadKoeln } from './coverage-koeln-data.ts';
import { startLatencyProbe, summarizeLatency } from './latency-probe.ts';
import { generateOffersCsv, seededRandom } from './offers-data.ts';

type Mode = 'before' | 'after';

/** The answer's JSON, or an empty object when there is none (a 408 from Node after a stall has no body). */
async function jsonOf(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** A failed request as a short label (the server closed the connection, the client gave up, …). */
function failure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; name?: string } }).cause;
  return `no answer (${cause?.code ?? cause?.name ?? String(error)})`;
}
const modes = (process.env.BENCH_MODES ?? 'before,after').split(',') as Mode[];
const password = 'bench password 2026';
const rows = Number(process.env.BENCH_ROWS ?? 20_000);

async function during(label: string, base: string, work: () => Promise<string>): Promise<void> {
  const health = startLatencyProbe(`${base}/api/health`);
  const search = startLatencyProbe(`${base}/api/search?lat=50.94&lon=6.96&pageSize=10`);
  const started = performance.now();
  const outcome = await work();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const [healthSamples, searchSamples] = await Promise.all([health.stop(), search.stop()]);
  console.log(`  ${label}: ${outcome} in ${seconds} s`);
  console.log(`    /api/health ${summarizeLatency(healthSamples)}`);
  console.log(`    /api/search ${summarizeLatency(searchSamples)}`);
}

async function setUp(mode: Mode): Promise<{ database: Database; base: string; cookie: string; csrf: string; close(): Promise<void> }> {
  const database = await connectDatabase({ embeddedThread: mode === 'after' });
  await migrateToLatest(database.knex);
  await seedReferenceData(database.knex);
  await loadKoeln(database);
  await database.knex('departments').insert({ code: 'BENCH0', name: 'Bench' }).onConflict('code').ignore();
  await database.knex('users').insert({ email: 'bench@example.org', password_hash: await hashPassword(password), role: 'admin' });
  const config = {
    ...loadConfig({ ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test', RATE_LIMIT_ANALYSIS_PER_MINUTE: '100000' }),
    ...(mode === 'before' ? { work: { concurrency: 8, maxQueued: 1000, retryAfterSeconds: 5 } } : {}),
  };
  // "before": coverage and file reading on the request thread (the import loops' pauses stay: they are in the service)
  const onRequestThread =
    mode === 'before'
      ? { coverageComputer: inlineCoverageComputer, importFileReader: async (file: Parameters<typeof readImportFile>[0]) => readImportFile(file, hsdsFileFormat) }
      : {};
  const server = createAppServer(createApp({ config, database, logger: pino({ level: 'silent' }), ...onRequestThread }));
  // idle keep-alive connections stay open: a socket closed just as the probe reuses it is not a load figure
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const session = await fetch(`${base}/api/auth/session`);
  const pre = session.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: pre, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ email: 'bench@example.org', password }),
  });
  const cookie = login.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ');
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  return {
    database,
    base,
    cookie,
    csrf,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await database.close();
    },
  };
}

function scenarioBody(seed: number) {
  const random = seededRandom(seed);
  return {
    offerType: 'kita',
    mode: 'walk',
    distance: 10_000,
    offers: Array.from({ length: 100 }, () => ({ lon: 6.92 + random() * 0.08, lat: 50.91 + random() * 0.06 })),
  };
}

async function main(): Promise<void> {
  for (const mode of modes) {
    const started = performance.now();
    const setup = await setUp(mode);
    console.log(`${mode}: setup (migrate, seed, import Cologne) ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const { base } = setup;
    // the first search builds the in-memory index: not part of the load figures
    await fetch(`${base}/api/search?lat=50.94&lon=6.96&pageSize=10`).then((response) => response.arrayBuffer());
    const idle = startLatencyProbe(`${base}/api/health`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    console.log(`  idle: /api/health ${summarizeLatency(await idle.stop())}`);

    await during('8 parallel anonymous scenarios (100 points, walking 10 km)', base, async () => {
      const statuses = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          fetch(`${base}/api/coverage/scenario`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(scenarioBody(index + 1)),
          }).then(
            async (response) => {
              const body = (await jsonOf(response)) as { code?: string; errors?: { code: string }[] };
              return response.status === 200 ? '200' : `${response.status} ${body.code ?? ''} ${body.errors?.[0]?.code ?? ''}`.trim();
            },
            failure,
          ),
        ),
      );
      return `statuses ${statuses.join(',')}`;
    });

    const csv = generateOffersCsv(rows, ['BENCH0']);
    const headers = { cookie: setup.cookie, 'x-csrf-token': setup.csrf, 'content-type': 'text/csv' };
    let checksum = '';
    await during(`import dry run, ${rows} offers`, base, async () => {
      const response = await fetch(`${base}/api/offers/import?format=csv&dryRun=true`, { method: 'POST', headers, body: csv }).catch(failure);
      if (typeof response === 'string') return response;
      const report = (await jsonOf(response)) as { checksum: string; valid: boolean; created: number };
      checksum = report.checksum;
      return `${response.status}, valid ${report.valid}, ${report.created} new`;
    });
    await during(`import confirm, ${rows} offers`, base, async () => {
      const response = await fetch(`${base}/api/offers/import?format=csv&dryRun=false&checksum=${checksum}`, { method: 'POST', headers, body: csv }).catch(failure);
      if (typeof response === 'string') return response;
      const report = (await jsonOf(response)) as { created?: number; code?: string };
      return `${response.status}, ${report.created ?? report.code} created`;
    });
    const line = `"${'x'.repeat(20 * 1024 * 1024)}"`;
    await during('import dry run, 20 MB single-line CSV', base, async () => {
      const response = await fetch(`${base}/api/offers/import?format=csv&dryRun=true`, { method: 'POST', headers, body: line }).catch(failure);
      if (typeof response === 'string') return response;
      const report = (await jsonOf(response)) as { code?: string; valid?: boolean };
      return `${response.status} ${report.code ?? `valid ${report.valid}`}`;
    });
    await setup.close();
  }
}

await main();
