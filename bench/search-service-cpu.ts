/**
 * One tree's search service in this process, for `bench/search-ab.ts --service` (not run alone):
 * loads the modules of the tree named by the first argument (its server/), builds its search index
 * over DATABASE_URL's offers, then asks each kind (full text within 5 km, "seniors + open now"
 * within 2 km) 3,000 times per pass from 400 origins as a request does: the query parsed at the
 * boundary (parseLocalized), then `searchBody`. Prints one JSON line: per kind the CPU time of this
 * process per search (user + system, all threads, so the collector's helpers too) and the garbage
 * collectors' pause per search, means of the passes after the first; with --expose-gc also the heap
 * used afterwards and the median time of a full collection.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { benchTextWords, seededRandom } from './generate-offers.ts';
import { treeSearchService } from './tree-search-service.ts';

const { search, searchQuerySchema, parseLocalized, close } = await treeSearchService(process.argv[2] ?? '.');

const random = seededRandom(5);
const origins = Array.from({ length: 400 }, () => ({ lat: String(50.9 + random() * 0.08), lon: String(6.88 + random() * 0.14) }));
const kinds: Record<string, (index: number) => Record<string, string>> = {
  'full text 5 km': (index) => ({ lat: origins[index % 400]!.lat, lon: origins[index % 400]!.lon, radius: '5000', q: benchTextWords[index % 4]! }),
  'seniors + open now': (index) => ({ lat: origins[index % 400]!.lat, lon: origins[index % 400]!.lon, radius: '2000', targetGroup: 'seniors', openNow: 'true' }),
};
let pauses = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) pauses += entry.duration;
}).observe({ entryTypes: ['gc'] });

const searches = 3000;
const figures: Record<string, { cpuMicros: number[]; gcMicros: number[] }> = {};
for (let pass = 0; pass < 4; pass += 1) {
  for (const [kind, query] of Object.entries(kinds)) {
    const cpu = process.cpuUsage();
    const pausedBefore = pauses;
    for (let index = 0; index < searches; index += 1) await search.searchBody(parseLocalized(searchQuerySchema, query(index), 'query', 'de'));
    const used = process.cpuUsage(cpu);
    if (pass === 0) continue; // the first pass warms the JIT and the kept selections
    figures[kind] ??= { cpuMicros: [], gcMicros: [] };
    figures[kind].cpuMicros.push((used.user + used.system) / searches);
    figures[kind].gcMicros.push(((pauses - pausedBefore) * 1000) / searches);
  }
}
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
// With --expose-gc (search-ab.ts passes it): what the index and the service hold once the
// searches are done, and how long a full collection of that heap takes (the median of five).
const gc = (globalThis as { gc?: () => void }).gc;
const heap: { heapMB?: number; fullGcMs?: number } = {};
if (gc) {
  const fullGcMs: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    gc();
    fullGcMs.push(performance.now() - started);
  }
  heap.heapMB = process.memoryUsage().heapUsed / 1e6;
  heap.fullGcMs = fullGcMs.sort((a, b) => a - b)[2]!;
  // A search after the collections: the service (and its index) must be alive during them, and a
  // variable the code no longer reads would not keep it.
  await search.searchBody(parseLocalized(searchQuerySchema, kinds['full text 5 km']!(0), 'query', 'de'));
}
const byKind = Object.fromEntries(Object.entries(figures).map(([kind, { cpuMicros, gcMicros }]) => [kind, { cpuMicros: mean(cpuMicros), gcMicros: mean(gcMicros) }]));
process.stdout.write(`${JSON.stringify({ kinds: byKind, heap })}\n`);
await close();
