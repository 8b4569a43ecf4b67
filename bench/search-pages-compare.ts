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
import { benchTextWords, seededRandom } from './generate-offers.ts';
import { treeSearchService } from './tree-search-service.ts';

const trees = process.argv.slice(2, 4);
if (trees.length !== 2) throw new Error('usage: search-pages-compare.ts <tree A> <tree B>');

async function serviceOf(tree: string) {
  const { search, searchQuerySchema, close } = await treeSearchService(tree);
  return { ask: async (query: Record<string, string>) => (await search.searchBody(searchQuerySchema.parse(query))).toString('utf8'), close };
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
