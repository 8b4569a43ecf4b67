/**
 * Where the time of a coverage question over HTTP goes when the computation runs in a worker
 * (issue 11) instead of on the request thread (issue 10's HTTP rows): Cologne, PGlite.
 *
 *   GEODATA_DIR=/work/shared/geodata-sources npx tsx bench/coverage-handover.ts
 *   BENCH_ROUNDS=5 BENCH_REPETITIONS=7 …   (the defaults)
 *   BENCH_GAP_MS=8000     other questions on this thread before each row (the workers idle meanwhile)
 *   BENCH_TASKS=30        kita tasks in the breakdown;  BENCH_IDLE_S=0,20,40  the worker's next tasks after idling
 *   BENCH_QUIET_S=65      a question through the app's pool after its worker exited (idle time-out 60 s)
 *
 * Prints, alternated per round: the same app answering GET /api/coverage?offerType=kita and POST
 * /api/coverage/scenario with the computation on the request thread (inline) and through the
 * worker pool (pool); then the hand-over of one kita task taken apart: post → worker start,
 * compute in the worker, worker end → result on the request thread, and the same task computed
 * on the request thread; the load average next to the figures. Not a test: no limits enforced.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import v8 from 'node:v8';
import pino from 'pino';
import { Piscina } from 'piscina';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { createCoverageWorkerPool } from '../server/coverage/coverage-pool.ts';
import { createCoverageService } from '../server/coverage/coverage.service.ts';
import { createDatasetsService } from '../server/datasets/datasets.service.ts';
import { createTaxonomiesService } from '../server/taxonomies/taxonomies.service.ts';
import { inlineCoverageComputer, runCoverageTask, type CoverageComputer, type CoverageTask } from '../server/coverage/coverage.task.ts';
import type { CoverageModel } from '../server/coverage/coverage-compute.ts';
import { connectDatabase } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { seedReferenceData } from '../seeds/reference-data.ts';
import { loadKoeln } from './coverage-koeln-data.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const repetitions = Number(process.env.BENCH_REPETITIONS ?? 7);
/** Milliseconds of other questions on this thread before each row (BENCH_GAP_MS, default none). */
const gapMs = Number(process.env.BENCH_GAP_MS ?? 0);

function load(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function listen(computer: CoverageComputer, database: Awaited<ReturnType<typeof connectDatabase>>): Promise<{ base: string; server: Server }> {
  const app = createApp({
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RATE_LIMIT_ANALYSIS_PER_MINUTE: '100000' }),
    database,
    logger: pino({ level: 'silent' }),
    coverageComputer: computer,
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function http(base: string, pathAndQuery: string, body?: object): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${base}${pathAndQuery}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${pathAndQuery}: status ${response.status}`);
  return performance.now() - started;
}

/** A computer that times its runs and keeps the last task it was given (to take the hand-over apart below). */
function recording(inner: CoverageComputer, seen: { model?: CoverageModel; task?: CoverageTask; runs: number[] }): CoverageComputer {
  return {
    run: async (model, task) => {
      seen.model = model;
      seen.task = task;
      const started = performance.now();
      const result = await inner.run(model, task);
      seen.runs.push(performance.now() - started);
      return result;
    },
    suggest: (model, task) => inner.suggest(model, task),
    close: () => inner.close(),
  };
}

async function main(): Promise<void> {
  console.log(`load average at start: ${load()}`);
  const database = await connectDatabase({});
  await migrateToLatest(database.knex);
  await seedReferenceData(database.knex);
  await loadKoeln(database);
  const pool = createCoverageWorkerPool({ threads: 2 });
  const seen: { model?: CoverageModel; task?: CoverageTask; runs: number[] } = { runs: [] };
  const seenInline: typeof seen = { runs: [] };
  const sides = {
    inline: await listen(recording(inlineCoverageComputer, seenInline), database),
    pool: await listen(recording(pool, seen), database),
  };
  const scenario = { offerType: 'kita', offers: [{ lon: 6.9, lat: 50.99 }] };
  // The service on this thread as bench/coverage-ab-runner.ts asks it (no city), and as the app builds it (its city).
  const taxonomies = createTaxonomiesService({ db: database.knex });
  const cityId = createDatasetsService({ geodataDir: loadConfig({ ...process.env, CITY: 'koeln' }).geodataDir, city: 'koeln' }).city().id;
  const services = {
    'service, no city': createCoverageService({ db: database.knex, taxonomies }),
    'service, city': createCoverageService({ db: database.knex, taxonomies, cityId }),
  };
  const timedCall = async (call: () => Promise<unknown>) => {
    const started = performance.now();
    await call();
    return performance.now() - started;
  };
  type Ask = () => Promise<number>;
  const table: Record<string, Record<string, Ask>> = {
    kita: {
      ...Object.fromEntries(Object.entries(services).map(([name, service]) => [name, () => timedCall(() => service.coverage({ offerType: 'kita' }))])),
      'HTTP, inline': () => http(sides.inline.base, '/api/coverage?offerType=kita'),
      'HTTP, pool': () => http(sides.pool.base, '/api/coverage?offerType=kita'),
    },
    'what-if, kita, 1 offer': {
      ...Object.fromEntries(Object.entries(services).map(([name, service]) => [name, () => timedCall(() => service.scenario(scenario))])),
      'HTTP, inline': () => http(sides.inline.base, '/api/coverage/scenario', scenario),
      'HTTP, pool': () => http(sides.pool.base, '/api/coverage/scenario', scenario),
    },
    'GET /api/health (the HTTP floor)': {
      'HTTP, inline': () => http(sides.inline.base, '/api/health'),
      'HTTP, pool': () => http(sides.pool.base, '/api/health'),
    },
  };
  for (const asks of Object.values(table)) for (const ask of Object.values(asks)) await ask();

  const samples: Record<string, Record<string, number[]>> = {};
  for (let round = 1; round <= rounds; round++) {
    for (const [question, asks] of Object.entries(table)) {
      for (const [sideName, ask] of Object.entries(asks)) {
        const times: number[] = [];
        const runs = sideName === 'HTTP, inline' ? seenInline.runs : seen.runs;
        runs.length = 0;
        // Other work on this thread first (as in bench/coverage-ab-runner.ts, where the in-process
        // questions run between the HTTP rows): the workers sit idle meanwhile.
        for (const busyUntil = performance.now() + gapMs; performance.now() < busyUntil; ) await services['service, no city'].coverage({ offerType: 'pharmacy' });
        for (let index = 0; index < repetitions; index++) times.push(await ask());
        if (process.env.BENCH_SAMPLES) console.log(`  ${question}, ${sideName}: ${times.map((value) => value.toFixed(0)).join(', ')}`);
        ((samples[question] ??= {})[sideName] ??= []).push(median(times));
        if (sideName.startsWith('HTTP') && runs.length > 0) ((samples[`${question}: computer.run()`] ??= {})[sideName] ??= []).push(median(runs));
      }
    }
    console.log(`round ${round} done (load ${load()})`);
  }
  console.log(`\nmedian of ${rounds} round medians (${repetitions} each); round medians in brackets`);
  for (const [question, bySide] of Object.entries(samples)) {
    const cells = Object.entries(bySide).map(([sideName, values]) => `${sideName} ${median(values).toFixed(1)} ms (${values.map((value) => value.toFixed(0)).join(', ')})`);
    console.log(`${question}: ${cells.join(' | ')}`);
  }

  // The hand-over of the last kita task (the GET's), taken apart with a pool of the same kind whose
  // worker reads its own clock: post → start, compute, end → back on this thread.
  await http(sides.pool.base, '/api/coverage?offerType=kita');
  const { model, task } = seen as Required<typeof seen>;
  if (!model || !task) throw new Error('no task seen');
  const timed = new Piscina({ filename: new URL('./coverage-handover.worker.mjs', import.meta.url).href, maxThreads: 1 });
  const modelBytes = v8.serialize(model);
  const shared = new Uint8Array(new SharedArrayBuffer(modelBytes.byteLength));
  shared.set(modelBytes);
  const wrap = { task, modelKey: 1, model: shared };
  const parts: Record<string, number[]> = {};
  const add = (label: string, value: number) => (parts[label] ??= []).push(value);
  for (let index = 0; index < 3; index++) await timed.run(wrap);
  const steady = Number(process.env.BENCH_TASKS ?? repetitions * 2);
  for (let index = 0; index < steady; index++) {
    const posted = performance.timeOrigin + performance.now();
    const { result, startedAt, computedAt } = (await timed.run(wrap)) as { result: unknown; startedAt: number; computedAt: number };
    const back = performance.timeOrigin + performance.now();
    add('post → worker starts (task clone, wake-up)', startedAt - posted);
    add('compute in the worker', computedAt - startedAt);
    add('worker ends → result here (result clone, wake-up)', back - computedAt);
    let started = performance.now();
    const inline = runCoverageTask(model, task);
    add('the same task computed on this thread', performance.now() - started);
    started = performance.now();
    structuredClone(task);
    add('structuredClone(task) on this thread', performance.now() - started);
    started = performance.now();
    structuredClone(task.demand);
    add('… of which the demand arrays', performance.now() - started);
    started = performance.now();
    structuredClone(task.runs);
    add('… of which the supply points', performance.now() - started);
    started = performance.now();
    structuredClone(result);
    add('structuredClone(result) on this thread', performance.now() - started);
    started = performance.now();
    JSON.stringify(inline.map((run) => run.areas));
    add('JSON.stringify(areas of the result) on this thread', performance.now() - started);
  }
  console.log(`\n| one kita task | median of ${steady} | median of the first 10 | median of the last 10 |\n|---|---|---|---|`);
  for (const [label, values] of Object.entries(parts)) {
    console.log(`| ${label} | ${median(values).toFixed(2)} ms | ${median(values.slice(0, 10)).toFixed(2)} ms | ${median(values.slice(-10)).toFixed(2)} ms |`);
  }
  // After the worker sat idle (BENCH_IDLE_S, seconds, comma-separated; this thread asks in-process
  // questions meanwhile): the worker's compute time of the next tasks, one by one.
  for (const idle of (process.env.BENCH_IDLE_S ?? '').split(',').filter(Boolean).map(Number)) {
    for (const busyUntil = performance.now() + idle * 1000; performance.now() < busyUntil; ) await services['service, no city'].coverage({ offerType: 'pharmacy' });
    const computed: string[] = [];
    for (let index = 0; index < 6; index++) {
      const { startedAt, computedAt } = (await timed.run(wrap)) as { startedAt: number; computedAt: number };
      computed.push((computedAt - startedAt).toFixed(1));
    }
    console.log(`compute in the worker after ${idle} s idle, task by task: ${computed.join(', ')} ms (load ${load()})`);
  }
  console.log(`\nload average at end: ${load()} (1, 5, 15 minutes)`);
  // The app's pool after a quiet spell longer than its idle time-out (BENCH_QUIET_S, e.g. 65): the
  // worker has exited, so the next question starts a thread, loads the code and reads the model again.
  const quiet = Number(process.env.BENCH_QUIET_S ?? 0);
  if (quiet > 0) {
    const warm = await http(sides.pool.base, '/api/coverage?offerType=kita');
    const rssBefore = process.memoryUsage().rss;
    await new Promise((resolve) => setTimeout(resolve, quiet * 1000));
    const rssQuiet = process.memoryUsage().rss;
    const first = await http(sides.pool.base, '/api/coverage?offerType=kita');
    const second = await http(sides.pool.base, '/api/coverage?offerType=kita');
    const inline = await http(sides.inline.base, '/api/coverage?offerType=kita');
    const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
    console.log(
      `GET kita through the pool: warm ${warm.toFixed(0)} ms; after ${quiet} s quiet ${first.toFixed(0)} ms, then ${second.toFixed(0)} ms ` +
        `(inline now ${inline.toFixed(0)} ms); process RSS ${megabytes(rssBefore)} MB before, ${megabytes(rssQuiet)} MB after the quiet spell (load ${load()})`,
    );
  }
  await timed.destroy();
  for (const side of Object.values(sides)) side.server.close();
  await pool.close();
  await database.close();
  process.exit(0);
}

await main();
