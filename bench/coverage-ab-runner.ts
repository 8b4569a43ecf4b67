/**
 * One side of the coverage A/B benchmark (bench/coverage-ab.ts starts one per checkout): loads
 * Cologne into a fresh database with the checkout's own code, then times the coverage questions
 * each time the parent writes `round` on stdin, and answers one JSON line per request on stdout.
 *
 *   npx tsx bench/coverage-ab-runner.ts /path/to/checkout     (normally started by coverage-ab.ts)
 *
 * Everything of the application is imported from the checkout given (its server/, seeds/, bench/
 * and node_modules), so an older commit runs with its own code; only Node built-ins come from here.
 */
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

interface Question {
  label: string;
  run: () => Promise<unknown>;
  times: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the checkout's exports differ between commits; called as they were then
type Exported = (...parameters: any[]) => any;

const checkout = path.resolve(process.argv[2] ?? '.');
const repetitions = Number(process.env.BENCH_REPETITIONS ?? 5);

/** One exported function of a module of the checkout. */
async function load(relative: string, name: string): Promise<Exported> {
  const exported = ((await import(pathToFileURL(path.join(checkout, relative)).href)) as Record<string, unknown>)[name];
  if (typeof exported !== 'function') throw new Error(`${relative} of ${checkout} exports no function ${name}`);
  return exported as Exported;
}

function send(message: unknown): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface Coverage {
  coverage(query: object): Promise<unknown>;
  gaps(query: object): Promise<unknown>;
  scenario(body: object): Promise<unknown>;
}

async function main(): Promise<void> {
  // Silence the checkout's loggers (pino to stdout would mix with the JSON lines).
  process.env.LOG_LEVEL = 'silent';
  const connectDatabase = await load('server/db/connect.ts', 'connectDatabase');
  const migrateToLatest = await load('server/db/migrate.ts', 'migrateToLatest');
  const seedReferenceData = await load('seeds/reference-data.ts', 'seedReferenceData');
  const loadKoeln = await load('bench/coverage-koeln-data.ts', 'loadKoeln');
  const createCoverageService = await load('server/coverage/coverage.service.ts', 'createCoverageService');
  const createApp = await load('server/app.ts', 'createApp');
  const loadConfig = await load('server/config.ts', 'loadConfig');
  const pino = (await import(pathToFileURL(path.join(checkout, 'node_modules/pino/pino.js')).href)) as { default: (options: object) => unknown };

  const database = (await connectDatabase({ databaseUrl: process.env.DATABASE_URL } as never)) as {
    knex: { (table: string): { where(column: string, value: string): { orderBy(column: string): { pluck(column: string): Promise<string[]> } } } };
    close(): Promise<void>;
  };
  let started = performance.now();
  await migrateToLatest(database.knex as never);
  await seedReferenceData(database.knex as never);
  await loadKoeln(database as never);
  const setupMs = performance.now() - started;

  // The service as the routes use it, computing in this thread (as bench/coverage-koeln.ts does);
  // before issue 10 it took no taxonomies service.
  const deps: Record<string, unknown> = { db: database.knex };
  if (existsSync(path.join(checkout, 'server/taxonomies/taxonomies.service.ts'))) {
    const createTaxonomiesService = await load('server/taxonomies/taxonomies.service.ts', 'createTaxonomiesService');
    deps.taxonomies = createTaxonomiesService({ db: database.knex } as never);
  }
  const coverage = createCoverageService(deps as never) as Coverage;
  started = performance.now();
  await coverage.coverage({ offerType: 'kita' });
  const firstMs = performance.now() - started;

  // The app with its defaults (from issue 11 on: the work queue and the coverage worker pool), over a real socket.
  // A second app computes on the request thread (the checkout's inline computer, where it has one;
  // an older app ignores the option and computes there anyway): the two HTTP rows of one side
  // differ only by the hand-over to the pool.
  const inlineComputer = existsSync(path.join(checkout, 'server/coverage/coverage.task.ts'))
    ? ((await import(pathToFileURL(path.join(checkout, 'server/coverage/coverage.task.ts')).href)) as { inlineCoverageComputer?: unknown }).inlineCoverageComputer
    : undefined;
  async function serve(extra: Record<string, unknown>): Promise<string> {
    const app = createApp({
      // the anonymous rate limit (issue 11) would answer 429 after 30 questions a minute
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RATE_LIMIT_ANALYSIS_PER_MINUTE: '100000' } as never),
      database,
      logger: pino.default({ level: 'silent' }),
      ...extra,
    } as never) as { listen(port: number, host: string): Server };
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const servers: Server[] = [];
  const base = await serve({});
  const inlineBase = await serve(inlineComputer ? { coverageComputer: inlineComputer } : {});
  async function http(pathAndQuery: string, body?: object, on = base): Promise<void> {
    const response = await fetch(`${on}${pathAndQuery}`, {
      method: body ? 'POST' : 'GET',
      headers: body ? { 'content-type': 'application/json' } : {},
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${pathAndQuery}: status ${response.status}`);
  }
  await http('/api/coverage?offerType=kita');
  await http('/api/coverage/scenario', { offerType: 'kita', offers: [{ lon: 6.9, lat: 50.99 }] });
  await http('/api/coverage?offerType=kita', undefined, inlineBase);
  await http('/api/coverage/scenario', { offerType: 'kita', offers: [{ lon: 6.9, lat: 50.99 }] }, inlineBase);

  const types = await database.knex('taxonomy_terms').where('taxonomy', 'offer_type').orderBy('sort_order').pluck('code');
  const hypothetical = [
    { lon: 6.9, lat: 50.99 },
    { lon: 7.05, lat: 50.9 },
    { lon: 6.98, lat: 50.92 },
  ];
  const allQuestions: Question[] = [
    { label: 'kita, walk 1,000 m', times: repetitions, run: () => coverage.coverage({ offerType: 'kita' }) },
    { label: 'pharmacy, airline 1,000 m', times: repetitions, run: () => coverage.coverage({ offerType: 'pharmacy' }) },
    { label: 'pharmacy, walk 1,000 m', times: repetitions, run: () => coverage.coverage({ offerType: 'pharmacy', mode: 'walk' }) },
    { label: 'gaps, kita walk 1,000 m', times: repetitions, run: () => coverage.gaps({ offerType: 'kita', limit: 20_000 }) },
    {
      label: `all ${types.length} offer types`,
      times: Math.max(1, Math.ceil(repetitions / 2)),
      run: async () => {
        for (const offerType of types) {
          await coverage.coverage({ offerType }).catch((error: unknown) => {
            if ((error as { status?: number }).status !== 404) throw error;
          });
        }
      },
    },
    { label: 'what-if, kita walk, 3 offers', times: repetitions, run: () => coverage.scenario({ offerType: 'kita', offers: hypothetical }) },
    { label: 'what-if, pharmacy airline, 3 offers', times: repetitions, run: () => coverage.scenario({ offerType: 'pharmacy', offers: hypothetical }) },
    { label: 'HTTP GET /api/coverage?offerType=kita', times: repetitions, run: () => http('/api/coverage?offerType=kita') },
    {
      label: 'HTTP POST /api/coverage/scenario',
      times: repetitions,
      run: () => http('/api/coverage/scenario', { offerType: 'kita', offers: [hypothetical[0]] }),
    },
    { label: 'HTTP GET /api/coverage?offerType=kita, computed on the request thread', times: repetitions, run: () => http('/api/coverage?offerType=kita', undefined, inlineBase) },
    {
      label: 'HTTP POST /api/coverage/scenario, computed on the request thread',
      times: repetitions,
      run: () => http('/api/coverage/scenario', { offerType: 'kita', offers: [hypothetical[0]] }, inlineBase),
    },
    { label: 'HTTP GET /api/health (the HTTP floor)', times: repetitions, run: () => http('/api/health') },
  ];
  // BENCH_ONLY=HTTP: only the questions whose label contains it (e.g. the HTTP rows alone, so that
  // no in-process question keeps one side's coverage code warm between them).
  const only = process.env.BENCH_ONLY;
  const questions = only ? allQuestions.filter((question) => question.label.includes(only)) : allQuestions;
  send({ ready: true, setupMs, firstMs });

  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== 'round') break;
    // Wall time, and the CPU time of the whole process (every thread: request thread, database
    // thread, coverage workers), which a loaded machine disturbs far less than the wall time.
    const medians: Record<string, number> = {};
    const cpu: Record<string, number> = {};
    for (const question of questions) {
      const samples: number[] = [];
      const cpuSamples: number[] = [];
      for (let index = 0; index < question.times; index++) {
        const begun = performance.now();
        const cpuBegun = process.cpuUsage();
        await question.run();
        const used = process.cpuUsage(cpuBegun);
        samples.push(performance.now() - begun);
        cpuSamples.push((used.user + used.system) / 1000);
      }
      medians[question.label] = median(samples);
      cpu[question.label] = median(cpuSamples);
    }
    send({ round: medians, cpu });
  }
  for (const server of servers) server.close();
  await database.close();
  // The app's worker pools keep the event loop alive; this process is done.
  process.exit(0);
}

await main();
