/**
 * Searches while staff edit offers (issue 14, "an index behind the data"): the in-memory index is
 * stale after each edit until its successor is built. A = before (`answerWhileStale: false`: SQL
 * answers every search until then), B = now (the stale index answers the searches no changed offer
 * touches, SQL the others). In one process, A and B alternate; each round starts from a current
 * index, then one offer is edited every `--edit-every` ms while `--clients` loops search one query
 * after another for `--duration` s. Prints searches per second, p50/p95/p99 and how many searches
 * had a page (their own or a fallback's) from SQL. Uses the database search-load.ts prepared:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55542/angebotsatlas_bench_search_100000 \
 *     npx tsx bench/search-edits.ts --duration 20 --rounds 2 --edit-every 1000
 */
import os from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { connectDatabase } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createGeocodingService } from '../server/geocoding/geocoding.service.ts';
import { createOpeningHoursEvaluator } from '../server/shared/opening-hours.ts';
import { searchQuerySchema } from '../server/search/search.schema.ts';
import { createSearchService, type SearchService } from '../server/search/search.service.ts';
import { createTaxonomiesService } from '../server/taxonomies/taxonomies.service.ts';
import { benchOption, benchTextWords, seededRandom } from './generate-offers.ts';
import { percentile } from './http-load.ts';

const durationMs = Number(benchOption('duration') ?? 20) * 1000;
const rounds = Number(benchOption('rounds') ?? 2);
const editEveryMs = Number(benchOption('edit-every') ?? 1000);
const clients = Number(benchOption('clients') ?? 8);

if (!process.env.DATABASE_URL) {
  console.error('DATABASE_URL must name the database bench/search-load.ts prepared (angebotsatlas_bench_search_<count>).');
  process.exit(2);
}
const database = await connectDatabase({ databaseUrl: process.env.DATABASE_URL, poolMax: 10 });
const knex = database.knex;
const applied = await migrateToLatest(knex);
if (applied.length > 0) console.log(`migrated: ${applied.join(', ')}`);
const dependencies = {
  db: knex,
  geocoding: createGeocodingService({ db: knex, cityNames: ['Köln'] }),
  taxonomies: createTaxonomiesService({ db: knex }),
  openingHours: createOpeningHoursEvaluator({ holidayState: 'NW' }),
};
const sides: Array<{ label: string; service: SearchService }> = [
  { label: 'A: SQL while stale', service: createSearchService({ ...dependencies, index: { answerWhileStale: false } }) },
  { label: 'B: stale index around the changes', service: createSearchService({ ...dependencies }) },
];

const random = seededRandom(11);
const origins = Array.from({ length: 400 }, () => ({ lat: String(50.9 + random() * 0.08), lon: String(6.88 + random() * 0.14) }));
/** The two kinds and the plain search, in turn. */
const queryAt = (index: number): Record<string, string> => {
  const place = origins[index % origins.length]!;
  switch (index % 3) {
    case 0:
      return { ...place, radius: '5000', q: benchTextWords[index % 4]! };
    case 1:
      return { ...place, radius: '2000', targetGroup: 'seniors', openNow: 'true' };
    default:
      return { ...place, radius: '1000' };
  }
};

const offerIds = ((await knex('offers').select('id').orderBy('id')) as Array<{ id: string }>).map((row) => row.id);
const editRandom = seededRandom(23);

/** Edits one offer (its description), as staff do; each edit is one generation of the counter. */
async function editOne(): Promise<void> {
  const id = offerIds[Math.floor(editRandom() * offerIds.length)]!;
  await knex('offers').where({ id }).update({ description: `Bearbeitet ${Date.now()}` });
}

interface Measured {
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Searches with a page SQL found (their own, or a fallback's). */
  withSql: number;
  count: number;
}

/** `--clients` loops of one search after another, while one offer is edited every `editEveryMs`. */
async function measure(service: SearchService): Promise<Measured> {
  const times: number[] = [];
  let withSql = 0;
  let editing = true;
  const editor = (async () => {
    while (editing) {
      await editOne();
      await new Promise((resolve) => setTimeout(resolve, editEveryMs));
    }
  })();
  const started = performance.now();
  let next = 0;
  const client = async () => {
    while (performance.now() - started < durationMs) {
      const before = service.pagesFound().sql;
      const asked = performance.now();
      await service.searchBody(searchQuerySchema.parse(queryAt(next++)));
      times.push(performance.now() - asked);
      // Counted by the service's total: with several clients a search may count another's SQL page
      // (an upper bound of the searches with SQL).
      if (service.pagesFound().sql > before) withSql += 1;
      // As a server between requests: timers and I/O run (the edits, the background build's reads).
      await nextTurn();
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  editing = false;
  await editor;
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { perSecond: times.length / seconds, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), withSql, count: times.length };
}

console.log(`${offerIds.length} offers; one edit every ${editEveryMs} ms; ${durationMs / 1000} s per side and round`);
for (const side of sides) {
  const started = performance.now();
  await side.service.warmIndex();
  // JIT and kept filters: a short pass without edits.
  for (let index = 0; index < 300; index += 1) await side.service.searchBody(searchQuerySchema.parse(queryAt(index)));
  console.log(`${side.label}: index built and warmed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
const rows: string[] = [];
for (let round = 1; round <= rounds; round += 1) {
  for (const side of round % 2 === 1 ? sides : [...sides].reverse()) {
    // Each round starts from a current index (the edits of the round before taken in).
    await side.service.warmIndex();
    const result = await measure(side.service);
    // The side's build still running ends here, not in the other side's round.
    const quiet = performance.now();
    while (!(await side.service.warmIndex())) await nextTurn();
    const settleSeconds = ((performance.now() - quiet) / 1000).toFixed(1);
    const row = `| ${round} | ${side.label} | ${result.perSecond.toFixed(0)} | ${result.p50.toFixed(1)} / ${result.p95.toFixed(1)} / ${result.p99.toFixed(1)} | ${result.withSql} of ${result.count} |`;
    rows.push(row);
    console.log(`${row} heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB; current again ${settleSeconds} s after the round`);
  }
}
console.log(`\n| round | side | searches/s (${clients} clients) | p50 / p95 / p99 ms | searches with a page from SQL |\n|---|---|---|---|---|`);
for (const row of rows) console.log(row);
console.log(`load average: ${os.loadavg().map((value) => value.toFixed(1)).join(' ')}`);
await database.close();
process.exit(0);
