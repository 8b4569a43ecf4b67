/**
 * Offer inventory benchmark on PostgreSQL: import 100,000 offers from CSV through the API
 * (dry run, then confirm — one transaction with an audit event per offer), then list and filter
 * them page by page as a planner and as an anonymous visitor, end to end over HTTP.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55433/postgres npx tsx bench/offers-list.ts
 *       [--offers 100000] [--runs 40] [--keep]
 *
 * A fresh database "angebotsatlas_bench_offers" is created next to the one in the URL and dropped
 * afterwards (unless --keep). Prints its figures; the results go to docs/benchmarks.md by hand.
 * Not a test: no limits enforced.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createApp } from '../server/app.ts';
import { hashPassword } from '../server/auth/auth.service.ts';
import { loadConfig } from '../server/config.ts';
import { connectDatabase, knexForPostgres, readDatabaseVersions } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { seedReferenceData } from '../seeds/reference-data.ts';
import { generateOffersCsv, insertAreaGrid } from './offers-data.ts';

const { values: args } = parseArgs({
  options: {
    offers: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '40' },
    keep: { type: 'boolean', default: false },
  },
});
const offerCount = Number(args.offers);
const runs = Number(args.runs);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  process.stderr.write('Set DATABASE_URL to a PostgreSQL server (the target p95 ≤ 50 ms is for PostgreSQL).\n');
  process.exit(2);
}
const benchDatabase = 'angebotsatlas_bench_offers';

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}

async function main(): Promise<void> {
  const admin = knexForPostgres(databaseUrl!, 1);
  await admin.raw('drop database if exists ?? with (force)', [benchDatabase]);
  await admin.raw('create database ??', [benchDatabase]);
  await admin.destroy();

  const database = await connectDatabase({ databaseUrl: withDatabase(databaseUrl!, benchDatabase), poolMax: 10 });
  const server = http.createServer();
  try {
    const versions = await readDatabaseVersions(database.knex);
    line(`PostgreSQL ${versions.postgres}, PostGIS ${versions.postgis}; ${offerCount.toLocaleString('en')} offers, ${runs} runs per query`);
    await migrateToLatest(database.knex);
    await seedReferenceData(database.knex);
    const knex = database.knex;
    const departments = Array.from({ length: 10 }, (_, index) => `BENCH${index}`);
    await knex('departments').insert(departments.map((code) => ({ code, name: `Bench ${code}` })));
    await knex('users').insert({ email: 'bench-admin@example.org', role: 'admin', password_hash: await hashPassword('bench password 123') });
    await insertAreaGrid(knex);

    const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'production', LOG_LEVEL: 'silent' }, 'bench');
    const app = createApp({ config, database, logger: pino({ level: 'silent' }) });
    server.on('request', app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // sign in like a browser
    const anonymous = await fetch(`${base}/api/auth/session`);
    const preSession = (await anonymous.json()) as { csrfToken: string };
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `angebotsatlas_csrf=${preSession.csrfToken}`, 'x-csrf-token': preSession.csrfToken },
      body: JSON.stringify({ email: 'bench-admin@example.org', password: 'bench password 123' }),
    });
    const session = (await login.json()) as { csrfToken: string };
    const cookie = login.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ');
    const staffHeaders = { cookie, 'x-csrf-token': session.csrfToken };

    // import
    let started = performance.now();
    const csv = generateOffersCsv(offerCount, departments);
    line(`generate CSV: ${((performance.now() - started) / 1000).toFixed(1)} s, ${(csv.length / 1e6).toFixed(1)} MB`);
    started = performance.now();
    const dryRun = await fetch(`${base}/api/offers/import?format=csv&dryRun=true`, {
      method: 'POST',
      headers: { ...staffHeaders, 'content-type': 'text/csv' },
      body: csv,
    });
    const report = (await dryRun.json()) as { checksum: string; valid: boolean; created: number; errorCount: number };
    const dryRunSeconds = (performance.now() - started) / 1000;
    if (!report.valid) throw new Error(`dry run found ${report.errorCount} errors`);
    line(`import dry run (parse + validate ${offerCount} offers): ${dryRunSeconds.toFixed(1)} s (${Math.round(offerCount / dryRunSeconds)} offers/s)`);
    started = performance.now();
    const confirm = await fetch(`${base}/api/offers/import?format=csv&dryRun=false&checksum=${report.checksum}`, {
      method: 'POST',
      headers: { ...staffHeaders, 'content-type': 'text/csv' },
      body: csv,
    });
    const confirmed = (await confirm.json()) as { created: number };
    const confirmSeconds = (performance.now() - started) / 1000;
    if (confirm.status !== 200) throw new Error(`import failed: ${confirm.status} ${JSON.stringify(confirmed).slice(0, 500)}`);
    line(`import confirm (validate again + write offers, locations, Sozialräume, ${confirmed.created} audit events, one transaction): ${confirmSeconds.toFixed(1)} s (${Math.round(offerCount / confirmSeconds)} offers/s)`);

    // a realistic spread of verification dates, then fresh planner statistics
    await knex.raw("update offers set verified_at = now() - (random() * interval '24 months') where random() < 0.7");
    // the steady state autovacuum reaches: statistics and the visibility map (index-only counts)
    await knex.raw('vacuum analyze');

    const sozialraum = (await knex('areas').select('id').where({ code: 'B5-4' }).first()) as { id: string };
    const variants: { name: string; query: string; staff: boolean }[] = [
      { name: 'public, first page (20, by name)', query: '', staff: false },
      { name: 'public, type=seniors (incl. subtypes)', query: 'type=seniors', staff: false },
      { name: 'public, q=treff', query: 'q=treff', staff: false },
      { name: 'public, area (one Sozialraum)', query: `area=${sozialraum.id}`, staff: false },
      { name: 'staff, first page', query: '', staff: true },
      { name: 'staff, page 200 of 50', query: 'page=200&pageSize=50', staff: true },
      { name: 'staff, department + status', query: 'department=BENCH3&status=active,inactive', staff: true },
      { name: 'staff, stale=true, sort -updatedAt', query: 'stale=true&sort=-updatedAt', staff: true },
      { name: 'staff, publication=draft + type=kita', query: 'publication=draft&type=kita', staff: true },
      { name: 'staff, q=beratung nippes + targetGroup', query: 'q=beratung%20nippes&targetGroup=seniors', staff: true },
      { name: 'staff, 200 per page', query: 'pageSize=200', staff: true },
    ];
    const all: number[] = [];
    line('');
    line('| query | total | p50 ms | p95 ms | max ms |');
    line('|---|---|---|---|---|');
    for (const variant of variants) {
      const samples: number[] = [];
      let total = 0;
      for (let run = 0; run < runs + 3; run += 1) {
        const began = performance.now();
        const response = await fetch(`${base}/api/offers?${variant.query}`, { headers: variant.staff ? staffHeaders : {} });
        const body = (await response.json()) as { total: number; items: unknown[] };
        const elapsed = performance.now() - began;
        if (response.status !== 200) throw new Error(`${variant.name}: ${response.status} ${JSON.stringify(body)}`);
        total = body.total;
        if (run >= 3) samples.push(elapsed); // the first runs warm caches
      }
      all.push(...samples);
      line(`| ${variant.name} | ${total.toLocaleString('en')} | ${percentile(samples, 0.5).toFixed(1)} | ${percentile(samples, 0.95).toFixed(1)} | ${Math.max(...samples).toFixed(1)} |`);
    }
    line(`| **all list queries** | | ${percentile(all, 0.5).toFixed(1)} | **${percentile(all, 0.95).toFixed(1)}** | ${Math.max(...all).toFixed(1)} |`);
    line('');

    for (const format of ['csv', 'hsds'] as const) {
      started = performance.now();
      const exported = await fetch(`${base}/api/offers/export?format=${format}`, { headers: staffHeaders });
      const text = await exported.text();
      line(`export ${format} of all ${offerCount.toLocaleString('en')} offers: ${((performance.now() - started) / 1000).toFixed(1)} s, ${(text.length / 1e6).toFixed(1)} MB`);
    }
  } finally {
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
    await database.close();
    if (!args.keep) {
      const cleanup = knexForPostgres(databaseUrl!, 1);
      await cleanup.raw('drop database if exists ?? with (force)', [benchDatabase]).finally(() => cleanup.destroy());
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
