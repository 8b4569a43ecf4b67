/**
 * Search and geocoder benchmark: autocannon at 10 connections against /api/search near random
 * Cologne addresses, interleaved with a trivial JSON route (/api/config: no database) of the same
 * server, and against /api/geocode. Also times the geocoder in-process.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55435/postgres npx tsx bench/search-load.ts --count 100000
 *   npx tsx bench/search-load.ts --count 100000 --embedded        (PGlite data dir under scratch/)
 *   … --index-only                                                (only B, the server with the index)
 *   … --generator wrk|both                                        (wrk instead of autocannon, or each run with both)
 *
 * PostgreSQL: a database "angebotsatlas_bench_search_<count>" is created next to the one in the URL
 * (kept for reruns; --fresh drops it first). Prints the figures for docs/benchmarks.md. Not a test.
 *
 * Search runs twice: A with SEARCH_INDEX=false (every request in SQL) and B with the in-memory index
 * (server/search/search-index.ts). On PostgreSQL both servers run at once and are interleaved; the
 * embedded data dir opens in one process only, so there A runs before B.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import pino from 'pino';
import { seedReferenceData } from '../seeds/reference-data.ts';
import { loadConfig, projectRoot } from '../server/config.ts';
import { createDatasetsService } from '../server/datasets/datasets.service.ts';
import { connectDatabase, knexForPostgres, readDatabaseVersions, type Database } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createGeocodingService } from '../server/geocoding/geocoding.service.ts';
import { displayStreetName } from '../server/shared/street-key.ts';
import { createImportsService } from '../server/imports/imports.service.ts';
import { createTaxonomiesService } from '../server/taxonomies/taxonomies.service.ts';
import { buildSearchIndex } from '../server/search/search-index.ts';
import { listSearchIndexRows } from '../server/search/search.repo.ts';
import { benchTextWords, generateSearchOffers, seededRandom } from './generate-offers.ts';
import { cpuSecondsOf, load, loadGeneratorsOf, loadWith, percentile, startFlags, type LoadResult } from './http-load.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const count = Number(option('count') ?? 100_000);
const duration = Number(option('duration') ?? 15);
const rounds = Number(option('rounds') ?? 2);
const embedded = args.includes('--embedded');
const fresh = args.includes('--fresh');
/** Only the server with the index (B): the SQL path (A) is known to be far below the targets and halves the time left for B. */
const indexOnly = args.includes('--index-only');
/** The load generator: autocannon, wrk, or both (each run once with each, in turn, and the ratios per generator). */
const generators = loadGeneratorsOf(option('generator'), true);
/** Writes a V8 CPU profile of each server process into this directory (for a look at the hot paths). */
const profileDir = option('profile-dir');
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const logger = pino({ level: 'silent' });

function withDatabase(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function prepare(database: Database): Promise<void> {
  await migrateToLatest(database.knex);
  await seedReferenceData(database.knex);
  const segments = Number((await database.knex('street_segments').count<{ n: number }[]>({ n: '*' }))[0]?.n ?? 0);
  if (segments === 0) {
    const started = performance.now();
    const datasets = createDatasetsService({ geodataDir: config.geodataDir, city: 'koeln' });
    const imports = createImportsService({ db: database.knex, taxonomies: createTaxonomiesService({ db: database.knex }), datasets, logger });
    const ids = ['koeln-stadtbezirke', 'koeln-stadtteile', 'koeln-stadtviertel', 'koeln-strassenabschnitte'];
    const outcome = await imports.runAll(ids.map((id) => imports.resolve(id)), { actor: 'bench' });
    if (!outcome.ok) throw new Error('the Cologne import failed');
    console.log(`  imported Cologne areas and street segments in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const offers = Number((await database.knex('offers').where({ source: 'bench' }).count<{ n: number }[]>({ n: '*' }))[0]?.n ?? 0);
  if (offers !== count) {
    const { ms } = await generateSearchOffers(database.knex, count);
    console.log(`  generated ${count} offers in ${(ms / 1000).toFixed(1)} s`);
  }
}

/** Real addresses: a house number inside a range of a random named segment. */
async function randomAddresses(database: Database, howMany: number): Promise<string[]> {
  const rows = (await database.knex('street_segments')
    .whereNotNull('street_name')
    .whereNotNull('house_from_left')
    .select('street_name', 'house_from_left', 'house_to_left')
    .orderBy('id')) as Array<{ street_name: string; house_from_left: number; house_to_left: number }>;
  const random = seededRandom(7);
  return Array.from({ length: howMany }, () => {
    const row = rows[Math.floor(random() * rows.length)]!;
    const low = Math.min(row.house_from_left, row.house_to_left);
    const high = Math.max(row.house_from_left, row.house_to_left);
    const number = low + 2 * Math.floor((random() * (high - low + 1)) / 2);
    return `${displayStreetName(row.street_name)} ${number}`;
  });
}


function printResult(result: LoadResult): void {
  console.log(
    `  ${result.label.padEnd(34)} ${result.rps.toFixed(0).padStart(6)} req/s   p50 ${result.p50.toFixed(1).padStart(6)} ms   p95 ${result.p95
      .toFixed(1)
      .padStart(6)} ms   p99 ${result.p99.toFixed(1).padStart(6)} ms   ${result.errors} errors, ${result.non2xx} non-2xx${
      result.cpuMicroseconds === undefined ? '' : `   server CPU ${result.cpuMicroseconds.toFixed(0)} µs/request`
    }   load generator ${result.loadGeneratorMicroseconds.toFixed(0)} µs/request   load ${os.loadavg()[0]!.toFixed(1)}`,
  );
}

interface Server {
  child: ChildProcess;
  url: string;
}

async function startServer(dataDir: string | undefined, databaseUrl: string | undefined, searchIndex: boolean): Promise<Server> {
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
  const flags = [...startFlags(projectRoot), ...profile];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', path.join(projectRoot, 'bench/search-server.ts'), ...(dataDir ? [dataDir] : [])], {
    cwd: projectRoot,
    env: {
      ...process.env,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: '' }),
      SEARCH_INDEX: String(searchIndex),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

async function main(): Promise<void> {
  let databaseUrl: string | undefined;
  let dataDir: string | undefined;
  if (embedded || !process.env.DATABASE_URL) {
    dataDir = path.join(projectRoot, 'scratch', `bench-search-pglite-${count}`);
    if (fresh) fs.rmSync(dataDir, { recursive: true, force: true });
  } else {
    const name = `angebotsatlas_bench_search_${count}`;
    const admin = knexForPostgres(process.env.DATABASE_URL, 1);
    try {
      if (fresh) await admin.raw('drop database if exists ?? with (force)', [name]);
      const exists = await admin.raw<{ rows: unknown[] }>('select 1 from pg_database where datname = ?', [name]);
      if (exists.rows.length === 0) await admin.raw('create database ??', [name]);
    } finally {
      await admin.destroy();
    }
    databaseUrl = withDatabase(process.env.DATABASE_URL, name);
  }

  const database = await connectDatabase({ databaseUrl, dataDir });
  const versions = await readDatabaseVersions(database.knex);
  console.log(`${database.backend}: PostgreSQL ${versions.postgres}, PostGIS ${versions.postgis}; ${count} offers`);
  let addresses: string[];
  let indexBuildMs = 0;
  try {
    await prepare(database);
    addresses = await randomAddresses(database, 400);
    // In-process geocoder timing (the index itself, without HTTP).
    const geocoding = createGeocodingService({ db: database.knex, cityNames: ['Köln'] });
    let started = performance.now();
    await geocoding.warm();
    console.log(`  geocoder index loaded in ${(performance.now() - started).toFixed(0)} ms`);
    const inProcess: number[] = [];
    for (let pass = 0; pass < 3; pass += 1) {
      for (const address of addresses) {
        started = performance.now();
        await geocoding.geocode(address, 5);
        if (pass > 0) inProcess.push(performance.now() - started);
      }
    }
    inProcess.sort((a, b) => a - b);
    console.log(`  geocoder in-process: p50 ${percentile(inProcess, 50).toFixed(3)} ms, p95 ${percentile(inProcess, 95).toFixed(3)} ms, p99 ${percentile(inProcess, 99).toFixed(3)} ms`);
    // The search index as a server (re)builds it: one statement, then the tree (left out with
    // --index-only: at 1M it doubles the run and the memory; the servers build their own).
    if (!indexOnly) {
      const heapBefore = process.memoryUsage().heapUsed;
      started = performance.now();
      const rows = await listSearchIndexRows(database.knex);
      const loadedMs = performance.now() - started;
      const index = buildSearchIndex(rows, 0);
      indexBuildMs = performance.now() - started;
      console.log(
        `  search index: ${index.size} offer locations loaded in ${loadedMs.toFixed(0)} ms, built in ${(indexBuildMs - loadedMs).toFixed(0)} ms, ≈ ${((process.memoryUsage().heapUsed - heapBefore) / 1e6).toFixed(0)} MB heap`,
      );
    }
  } finally {
    await database.close();
  }

  // PostgreSQL: A (SQL) and B (index) side by side, interleaved. Embedded: A, then B.
  const variants = [
    { name: 'A sql', searchIndex: false },
    { name: 'B index', searchIndex: true },
  ].filter((variant) => !indexOnly || variant.searchIndex);
  const phases = dataDir ? variants.map((variant) => [variant]) : [variants];
  const results: LoadResult[] = [];
  for (const phase of phases) {
    const servers: Array<Server & { name: string }> = [];
    try {
      for (const variant of phase) servers.push({ ...(await startServer(dataDir, databaseUrl, variant.searchIndex)), name: variant.name });
      results.push(...(await measure(servers, addresses, indexBuildMs)));
    } finally {
      for (const server of servers) {
        server.child.kill('SIGTERM');
        await new Promise((resolve) => server.child.once('exit', resolve));
      }
    }
  }
  const mean = (items: LoadResult[]) => items.reduce((sum, item) => sum + item.rps, 0) / items.length;
  const byGenerator = (generator: string) => (result: LoadResult) => generators.length === 1 || result.label.endsWith(`[${generator}]`);
  for (const [variant, generator] of variants.flatMap((variant) => generators.map((generator) => [variant, generator] as const))) {
    for (const kind of ['search 2 km', 'search seniors + open now', 'search 5 km + full text', 'search no origin, filters', 'search no origin, full text']) {
      const search = results.filter((result) => result.label.startsWith(kind) && result.label.includes(variant.name)).filter(byGenerator(generator));
      if (search.length === 0) continue;
      // Each kind against the trivial runs next to it (the machine's load drifts within a run).
      const trivial = results
        .filter((result) =>
          kind === 'search 2 km' ? result.label.startsWith('trivial JSON /api/config (round') : result.label.startsWith(`trivial JSON /api/config (before ${kind.slice(7)}, round`),
        )
        .filter(byGenerator(generator));
      const p95 = Math.max(...search.map((result) => result.p95));
      const cpu = (items: LoadResult[]) => items.reduce((sum, item) => sum + (item.cpuMicroseconds ?? Number.NaN), 0) / items.length;
      const generatorCpu = (items: LoadResult[]) => items.reduce((sum, item) => sum + item.loadGeneratorMicroseconds, 0) / items.length;
      console.log(
        `  ${variant.name}${generators.length > 1 ? ` [${generator}]` : ''}: ${kind.padEnd(28)} ${mean(search).toFixed(0).padStart(6)} req/s = ${((mean(search) / mean(trivial)) * 100).toFixed(0).padStart(3)} % of trivial (${mean(trivial).toFixed(0)} req/s next to it), p50 ${Math.max(...search.map((result) => result.p50)).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; server CPU per request trivial ÷ search: ${((cpu(trivial) / cpu(search)) * 100).toFixed(0)} %; load generator ${generatorCpu(trivial).toFixed(0)} / ${generatorCpu(search).toFixed(0)} µs per request`,
      );
    }
  }
  console.log(`  load average at the end (1, 5, 15 min): ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`);
}

async function measure(servers: Array<Server & { name: string }>, addresses: string[], indexBuildMs: number): Promise<LoadResult[]> {
  const { url } = servers[servers.length - 1]!;
  // Geocode every address once over HTTP (one connection) to get the search origins.
  const origins: Array<{ lon: number; lat: number }> = [];
  const single: number[] = [];
  for (const address of addresses) {
    const started = performance.now();
    const response = await fetch(`${url}/api/geocode?${new URLSearchParams({ q: address, limit: '1' }).toString()}`);
    const body = (await response.json()) as { features: Array<{ geometry: { coordinates: [number, number] } }> };
    single.push(performance.now() - started);
    const feature = body.features[0];
    if (feature) origins.push({ lon: feature.geometry.coordinates[0], lat: feature.geometry.coordinates[1] });
  }
  single.sort((a, b) => a - b);
  console.log(`  geocoded ${origins.length}/${addresses.length} addresses; /api/geocode one client: p50 ${percentile(single, 50).toFixed(2)} ms, p95 ${percentile(single, 95).toFixed(2)} ms`);

  const searchPaths = origins.map(({ lon, lat }) => `/api/search?lat=${lat}&lon=${lon}&radius=2000&pageSize=20`);
  const seniorPaths = origins.map(({ lon, lat }) => `/api/search?lat=${lat}&lon=${lon}&radius=2000&pageSize=20&targetGroup=seniors&openNow=true`);
  const textPaths = origins.map(({ lon, lat }, index) => `/api/search?lat=${lat}&lon=${lon}&radius=5000&q=${encodeURIComponent(benchTextWords[index % 4]!)}`);
  const noOriginPaths = origins.map((_origin, index) => `/api/search?${['targetGroup=seniors', 'type=kita&free=true', 'openNow=true&language=tr', 'type=senior_meeting_place&accessible=true'][index % 4]!}&pageSize=20`);
  const noOriginTextPaths = origins.map((_origin, index) => `/api/search?q=${encodeURIComponent(benchTextWords[index % 4]!)}&pageSize=20`);
  const geocodePaths = addresses.map((address) => `/api/geocode?${new URLSearchParams({ q: address }).toString()}`);
  const trivialPaths = ['/api/config'];

  // Warm-up (JIT, connection pool, caches); the first search starts building the index, which
  // is given twice the time it took in-process.
  for (const server of servers) await fetch(`${server.url}${searchPaths[0]!}`);
  await new Promise((resolve) => setTimeout(resolve, Math.max(1000, 2 * indexBuildMs)));
  // …and until every server is idle (its index built): at most 2 % of a core over 3 s, and a
  // search and the trivial route answered within a second each (a server waiting for the database
  // is idle too).
  for (const server of servers) {
    const started = performance.now();
    const answersQuickly = async (path: string) => {
      const asked = performance.now();
      const response = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(60_000) }).catch(() => null);
      await response?.arrayBuffer();
      return response?.ok === true && performance.now() - asked < 1000;
    };
    for (;;) {
      const before = cpuSecondsOf(server.child.pid);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const after = cpuSecondsOf(server.child.pid);
      if (before === null || after === null) throw new Error(`the server ${server.name} is gone`);
      // A CPU profiler samples all the time (≈ 8 % of a core): idle then means under 20 %.
      if (after - before <= (profileDir ? 0.6 : 0.06) && (await answersQuickly('/api/config')) && (await answersQuickly(searchPaths[1]!))) break;
    }
    console.log(`  ${server.name}: idle (index built) after ${((performance.now() - started) / 1000).toFixed(0)} s more`);
  }
  for (const server of servers) await load('warm-up', server.url, searchPaths, 3);
  await load('warm-up', url, trivialPaths, 2);
  const results: LoadResult[] = [];
  const run = async (label: string, base: string, paths: string[]) => {
    const pid = servers.find((server) => server.url === base)?.child.pid;
    for (const generator of generators) {
      const result = await loadWith(generator)(`${label}${generators.length > 1 || generator === 'wrk' ? ` [${generator}]` : ''}`, base, paths, duration, pid);
      printResult(result);
      results.push(result);
    }
  };
  for (let round = 1; round <= rounds; round += 1) {
    await run(`trivial JSON /api/config (round ${round})`, url, trivialPaths);
    for (const server of servers) await run(`search 2 km, 20 results, ${server.name} (round ${round})`, server.url, searchPaths);
  }
  // Issue 14: full text, "seniors + open now" and searches without a place, each on every server,
  // interleaved with the trivial route, so that their ratios come from one run.
  const kinds = [
    { label: 'search seniors + open now', paths: seniorPaths },
    { label: 'search 5 km + full text', paths: textPaths },
    { label: 'search no origin, filters', paths: noOriginPaths },
    { label: 'search no origin, full text', paths: noOriginTextPaths },
  ];
  for (const kind of kinds) {
    // Each distinct word or filter of the kind asked once first, one at a time, and timed: a new
    // full-text word costs the database its stems and, without a place, its ranks (≈ 1.2 s per
    // common word at 1M offers, one statement at a time: search-text-rank.ts), which is what a
    // new word costs, not what the words asked again cost. The load then measures the latter.
    for (const server of servers) {
      const firsts: number[] = [];
      for (const path of kind.paths.slice(0, 4)) {
        const asked = performance.now();
        const response = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(60_000) });
        await response.arrayBuffer();
        firsts.push(performance.now() - asked);
      }
      console.log(`  ${kind.label}, ${server.name}: first ask of each of its 4 words or filters ${firsts.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
      // Warmed like the plain search above (3 s) before it is measured: its code paths compiled.
      await load('warm-up', server.url, kind.paths, 2);
    }
  }
  // Each kind once per round, next to a trivial run of its own (the machine's load drifts).
  for (let round = 1; round <= rounds; round += 1) {
    for (const kind of kinds) {
      await run(`trivial JSON /api/config (before ${kind.label.slice(7)}, round ${round})`, url, trivialPaths);
      for (const server of servers) await run(`${kind.label}, ${server.name} (round ${round})`, server.url, kind.paths);
    }
  }
  await run('geocode real addresses', url, geocodePaths);
  return results;
}

await main();
