/**
 * CPU time per search of each kind, in-process on the search service with its in-memory index
 * (issue 14): plain 2 km, "seniors + open now", full text within 5 km, filters without a place, full
 * text without a place (SQL). CPU time of this process (process.cpuUsage), which a crowded machine
 * inflates less than wall-clock throughput. Uses the database search-load.ts prepared:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55528/angebotsatlas_bench_search_100000 npx tsx bench/search-kinds.ts
 */
import os from 'node:os';
import { connectDatabase } from '../server/db/connect.ts';
import { createGeocodingService } from '../server/geocoding/geocoding.service.ts';
import { createOpeningHoursEvaluator } from '../server/shared/opening-hours.ts';
import { searchQuerySchema } from '../server/search/search.schema.ts';
import { createSearchService } from '../server/search/search.service.ts';
import { createTaxonomiesService } from '../server/taxonomies/taxonomies.service.ts';
import { benchTextWords, seededRandom } from './generate-offers.ts';

const database = await connectDatabase({ databaseUrl: process.env.DATABASE_URL, poolMax: 4 });
const knex = database.knex;
const search = createSearchService({
  db: knex,
  geocoding: createGeocodingService({ db: knex, cityNames: ['Köln'] }),
  taxonomies: createTaxonomiesService({ db: knex }),
  openingHours: createOpeningHoursEvaluator({ holidayState: 'NW' }),
});
const started = performance.now();
console.log(`index in use: ${await search.warmIndex()} after ${((performance.now() - started) / 1000).toFixed(1)} s`);
const random = seededRandom(5);
const origins = Array.from({ length: 200 }, () => ({ lat: String(50.9 + random() * 0.08), lon: String(6.88 + random() * 0.14) }));
const filters: Array<Record<string, string>> = [{ targetGroup: 'seniors' }, { type: 'kita', free: 'true' }, { openNow: 'true', language: 'tr' }, { type: 'senior_meeting_place', accessible: 'true' }];
const kinds: Array<{ label: string; query: (index: number) => Record<string, string> }> = [
  { label: 'plain 2 km', query: (index) => ({ ...origins[index % origins.length]!, radius: '2000' }) },
  { label: 'seniors + open now 2 km', query: (index) => ({ ...origins[index % origins.length]!, radius: '2000', targetGroup: 'seniors', openNow: 'true' }) },
  { label: 'full text 5 km', query: (index) => ({ ...origins[index % origins.length]!, radius: '5000', q: benchTextWords[index % 4]! }) },
  { label: 'no place, filters', query: (index) => filters[index % 4]! },
  { label: 'no place, full text (SQL)', query: (index) => ({ q: benchTextWords[index % 4]! }) },
];
for (let pass = 0; pass < 2; pass += 1) {
  for (const kind of kinds) {
    const count = 400;
    const cpu = process.cpuUsage();
    const wall = performance.now();
    for (let index = 0; index < count; index += 1) await search.searchBody(searchQuerySchema.parse(kind.query(index)));
    const used = process.cpuUsage(cpu);
    if (pass === 0) continue; // the first pass warms the JIT and the kept filter masks
    console.log(
      `  ${kind.label.padEnd(28)} ${(((used.user + used.system) / count) | 0).toString().padStart(6)} µs CPU per search, ${((performance.now() - wall) / count).toFixed(2)} ms wall`,
    );
  }
}
console.log(`load average: ${os.loadavg().map((value) => value.toFixed(1)).join(' ')}`);
await database.close();
