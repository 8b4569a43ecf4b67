/**
 * What a rebuild of the search index costs the requests arriving meanwhile, A against B in one
 * run: per round and tree (alternated) a fresh process loads that tree's index cycle
 * (server/search/search-index-cycle.ts `warm()`: the rows read page by page, put in name order,
 * the index built in slices) over the benchmark database of bench/search-load.ts, while a timer
 * due every millisecond notes how late it runs. Prints per tree the load's wall time, the largest
 * delay of the event loop, its 99.9th percentile, and how many delays reached 50 and 100 ms (each
 * is what a request arriving then waits at least), with the collectors' pauses inside them. Not a test.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55542/postgres npx tsx bench/search-index-load-stalls.ts \
 *     --count 100000 --tree base=/tmp/ab-base --tree new=. [--rounds 3]
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { knexForPostgres as KnexForPostgres } from '../server/db/connect.ts';
import type { createSearchIndexCycle as CreateSearchIndexCycle } from '../server/search/search-index-cycle.ts';
import { benchSearchDatabaseUrl, benchTrees, orderOf } from './bench-trees.ts';
import { benchOption } from './generate-offers.ts';

interface StallFigures {
  loadMs: number;
  maxMs: number;
  p999Ms: number;
  over50: number;
  over100: number;
  /** Collectors' pauses within the delays of ≥ 50 ms, and all of them. */
  gcInOver50Ms: number;
  gcMs: number;
}

const count = Number(benchOption('count') ?? 100_000);

/** In the child: one tree's cycle warmed once, with the delays of the event loop meanwhile. */
async function measureTree(dir: string): Promise<StallFigures> {
  const load = async <T>(file: string) => (await import(pathToFileURL(path.join(dir, file)).href)) as T;
  const { knexForPostgres } = await load<{ knexForPostgres: typeof KnexForPostgres }>('server/db/connect.ts');
  const { createSearchIndexCycle } = await load<{ createSearchIndexCycle: typeof CreateSearchIndexCycle }>('server/search/search-index-cycle.ts');
  const db = knexForPostgres(benchSearchDatabaseUrl(count), 4);
  const pauses: Array<{ start: number; end: number }> = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push({ start: entry.startTime, end: entry.startTime + entry.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const delays: Array<{ start: number; end: number }> = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last >= 51) delays.push({ start: last, end: now });
    last = now;
  }, 1);
  histogram.enable();
  const started = performance.now();
  const inUse = await createSearchIndexCycle(db, { enabled: true, checkIntervalMs: 0 }).warm();
  const loadMs = performance.now() - started;
  histogram.disable();
  clearInterval(timer);
  observer.disconnect();
  await db.destroy();
  if (!inUse) throw new Error(`the index of ${dir} was not built`);
  const overlap = (delay: { start: number; end: number }) =>
    pauses.reduce((sum, pause) => sum + Math.max(0, Math.min(pause.end, delay.end) - Math.max(pause.start, delay.start)), 0);
  return {
    loadMs,
    maxMs: histogram.max / 1e6,
    p999Ms: histogram.percentile(99.9) / 1e6,
    // Timer lateness: a delay of 51 ms or more is 50 ms over the timer's millisecond.
    over50: delays.length,
    over100: delays.filter((delay) => delay.end - delay.start >= 101).length,
    gcInOver50Ms: delays.reduce((sum, delay) => sum + overlap(delay), 0),
    gcMs: pauses.reduce((sum, pause) => sum + pause.end - pause.start, 0),
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const child = benchOption('child');
  if (child) {
    console.log(JSON.stringify(await measureTree(child)));
    return;
  }
  const rounds = Number(benchOption('rounds') ?? 3);
  const trees = benchTrees(args);
  benchSearchDatabaseUrl(count);
  const figures = new Map<string, StallFigures[]>();
  for (let round = 0; round < rounds; round += 1) {
    for (const tree of orderOf(trees, round)) {
      const output = await new Promise<string>((resolve, reject) => {
        const process_ = spawn(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname, '--count', String(count), '--child', tree.dir], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let text = '';
        process_.stdout.on('data', (part: Buffer) => (text += part.toString('utf8')));
        process_.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`the child for ${tree.name} exited with ${code}`))));
      });
      const result = JSON.parse(output.trim().split('\n').pop()!) as StallFigures;
      console.log(
        `  round ${round + 1} ${tree.name.padEnd(6)} load ${(result.loadMs / 1000).toFixed(1)} s; largest delay ${result.maxMs.toFixed(0)} ms, p99.9 ${result.p999Ms.toFixed(0)} ms; ≥ 50 ms: ${result.over50} (collectors inside ${result.gcInOver50Ms.toFixed(0)} ms), ≥ 100 ms: ${result.over100}; collectors in all ${result.gcMs.toFixed(0)} ms`,
      );
      figures.set(tree.name, [...(figures.get(tree.name) ?? []), result]);
    }
  }
  console.log(`index load at ${count} offers, ${rounds} rounds per tree, trees alternated:`);
  for (const tree of trees) {
    const runs = figures.get(tree.name)!;
    const range = (pick: (run: StallFigures) => number, digits = 0) => {
      const values = runs.map(pick);
      return `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
    };
    console.log(
      `  ${tree.name.padEnd(6)} load ${range((run) => run.loadMs / 1000, 1)} s; largest delay ${range((run) => run.maxMs)} ms; p99.9 ${range((run) => run.p999Ms)} ms; delays ≥ 50 ms ${range((run) => run.over50)}, ≥ 100 ms ${range((run) => run.over100)}`,
    );
  }
}

await main();
