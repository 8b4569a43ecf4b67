/**
 * Searches over HTTP while staff edit offers (issue 14, "an index behind the data"): against a
 * running server (`--port`, default 3989) on the database of `DATABASE_URL`, 8 clients search one
 * query after another (full text within 5 km and "seniors + open now" within 2 km, in turn, from 400
 * places) for `--duration` s, three times: without edits, with one offer edited every second, and
 * again without edits `--pause` s later. Prints requests per second and p50/p95/p99. Start the server
 * first, e.g. on the database search-load.ts prepared:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55542/angebotsatlas_bench_search_100000 PORT=3989 npx tsx server/main.ts &
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55542/angebotsatlas_bench_search_100000 npx tsx bench/search-edits-http.ts
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connectDatabase } from '../server/db/connect.ts';
import { benchOption, benchTextWords, seededRandom } from './generate-offers.ts';
import { percentile } from './http-load.ts';

if (!process.env.DATABASE_URL) {
  console.error('DATABASE_URL must name the database the server runs on.');
  process.exit(2);
}
const port = Number(benchOption('port') ?? 3989);
const durationMs = Number(benchOption('duration') ?? 15) * 1000;
const pauseMs = Number(benchOption('pause') ?? 15) * 1000;
const clients = 8;
const database = await connectDatabase({ databaseUrl: process.env.DATABASE_URL, poolMax: 2 });
const offerIds = ((await database.knex('offers').select('id').orderBy('id')) as Array<{ id: string }>).map((row) => row.id);
const random = seededRandom(11);
const places = Array.from({ length: 400 }, () => [50.9 + random() * 0.08, 6.88 + random() * 0.14] as const);
const editRandom = seededRandom(Date.now() % 100_000);

async function run(label: string, edits: boolean): Promise<void> {
  let next = 0;
  let errors = 0;
  const times: number[] = [];
  const started = performance.now();
  let editing = edits;
  const editor = (async () => {
    while (editing) {
      const id = offerIds[Math.floor(editRandom() * offerIds.length)]!;
      await database.knex('offers').where({ id }).update({ description: `Bearbeitet ${Date.now()}` });
      await sleep(1000);
    }
  })();
  const client = async () => {
    while (performance.now() - started < durationMs) {
      const index = next++;
      const [lat, lon] = places[index % places.length]!;
      const query = index % 2 === 0 ? `radius=5000&q=${benchTextWords[index % 4]!}` : 'radius=2000&targetGroup=seniors&openNow=true';
      const asked = performance.now();
      const response = await fetch(`http://127.0.0.1:${port}/api/search?lat=${lat}&lon=${lon}&${query}`);
      await response.arrayBuffer();
      if (!response.ok) errors += 1;
      times.push(performance.now() - asked);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  editing = false;
  await editor;
  times.sort((a, b) => a - b);
  const perSecond = times.length / ((performance.now() - started) / 1000);
  console.log(`| ${label} | ${perSecond.toFixed(0)} | ${[50, 95, 99].map((p) => percentile(times, p).toFixed(1)).join(' / ')} | ${errors} |`);
}

console.log(`| ${clients} clients, ${durationMs / 1000} s each | requests/s | p50 / p95 / p99 ms | errors |\n|---|---|---|---|`);
await run('no edits', false);
await run('one edit per second', true);
await sleep(pauseMs);
await run(`no edits, ${pauseMs / 1000} s after the last`, false);
await database.close();
