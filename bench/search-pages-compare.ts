/**
 * Two trees' search answers byte for byte on one database: each tree's whole search service in this
 * process (its own modules, loaded from its server/), asked the same queries in turn — full text
 * within 5 km, "seniors + open now" within 2 km, plain 2 km, each as page 1 and page 2, from 400
 * origins. Prints how many answers differ (the opening states refer to one fixed minute, "open now"
 * to the second both are asked in). For a
 * change that must not change any answer (issue 14: the first walking window):
 *
 *   DATABASE_URL=postgres://…/angebotsatlas_bench_search_100000 npx tsx bench/search-pages-compare.ts /tmp/ab-base .
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchTextWords, seededRandom } from './generate-offers.ts';
import type * as Connect from '../server/db/connect.ts';
import type * as Geocoding from '../server/geocoding/geocoding.service.ts';
import type * as OpeningHours from '../server/shared/opening-hours.ts';
import type * as SearchSchema from '../server/search/search.schema.ts';
import type * as SearchService from '../server/search/search.service.ts';
import type * as Taxonomies from '../server/taxonomies/taxonomies.service.ts';

const trees = process.argv.slice(2, 4).map((tree) => path.resolve(tree));
if (trees.length !== 2) throw new Error('usage: search-pages-compare.ts <tree A> <tree B>');

async function serviceOf(root: string) {
  const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(path.join(root, file)).href)) as T;
  const { connectDatabase } = await load<typeof Connect>('server/db/connect.ts');
  const { createGeocodingService } = await load<typeof Geocoding>('server/geocoding/geocoding.service.ts');
  const { createOpeningHoursEvaluator } = await load<typeof OpeningHours>('server/shared/opening-hours.ts');
  const { searchQuerySchema } = await load<typeof SearchSchema>('server/search/search.schema.ts');
  const { createSearchService } = await load<typeof SearchService>('server/search/search.service.ts');
  const { createTaxonomiesService } = await load<typeof Taxonomies>('server/taxonomies/taxonomies.service.ts');
  const database = await connectDatabase({ databaseUrl: process.env.DATABASE_URL, poolMax: 4 });
  const db = database.knex;
  const search = createSearchService({
    db,
    geocoding: createGeocodingService({ db, cityNames: ['Köln'] }),
    taxonomies: createTaxonomiesService({ db }),
    openingHours: createOpeningHoursEvaluator({ holidayState: 'NW' }),
  });
  await search.warmIndex();
  return { ask: async (query: Record<string, string>) => (await search.searchBody(searchQuerySchema.parse(query))).toString('utf8'), close: () => database.close() };
}

const [first, second] = [await serviceOf(trees[0]!), await serviceOf(trees[1]!)];
const random = seededRandom(5);
const origins = Array.from({ length: 400 }, () => ({ lat: String(50.9 + random() * 0.08), lon: String(6.88 + random() * 0.14) }));
// One minute for every answer, this hour's (offers exist now; an earlier moment could precede them).
const at = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString().slice(0, 16) + 'Z';
const kinds: Record<string, (index: number) => Record<string, string>> = {
  'full text 5 km': (index) => ({ ...origins[index]!, radius: '5000', q: benchTextWords[index % 4]! }),
  'seniors + open now 2 km': (index) => ({ ...origins[index]!, radius: '2000', targetGroup: 'seniors', openNow: 'true' }),
  'plain 2 km': (index) => ({ ...origins[index]!, radius: '2000' }),
};
let differing = 0;
for (const [kind, query] of Object.entries(kinds)) {
  for (const page of ['1', '2']) {
    let differ = 0;
    for (let index = 0; index < origins.length; index += 1) {
      // "Open now" takes no moment: both trees are asked within the same second.
      const asked = { ...query(index), page, ...(kind.startsWith('seniors') ? {} : { at }) };
      if ((await first.ask(asked)) !== (await second.ask(asked))) differ += 1;
    }
    differing += differ;
    console.log(`  ${kind.padEnd(26)} page ${page}: ${differ} of ${origins.length} answers differ`);
  }
}
console.log(`${differing} differing answers of ${origins.length * 6}`);
await Promise.all([first.close(), second.close()]);
process.exitCode = differing === 0 ? 0 : 1;
