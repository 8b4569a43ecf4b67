/**
 * The search index build and the request thread (issue 11, defect 5): builds the in-memory search
 * index (server/search/search-index.ts) from synthetic offer rows while a probe in another thread
 * asks a health route of an HTTP server on this thread, one request at a time, 20 ms apart.
 * A = the build in one piece (as before issue 11's fix), B = the build in slices
 * (server/search/search-index-cycle.ts, `runInSlices`). A and B alternate in one process.
 *
 *   npx tsx bench/search-index-build.ts --count 1000000 --rounds 2
 *
 * The rows are made in memory (no database): the database read is the same for A and B. Prints the
 * figures for docs/benchmarks.md, "Search index build". Not a test.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSearchIndex, searchIndexBuildSteps } from '../server/search/search-index.ts';
import { runInSlices } from '../server/search/search-index-cycle.ts';
import type { SearchIndexRow } from '../server/search/search.repo.ts';
import { benchOption, seededRandom } from './generate-offers.ts';
import { startLatencyProbe, summarizeLatency, type LatencySample } from './latency-probe.ts';

/**
 * Offer rows spread over Cologne's extent, with the variety of the real filter columns (15 offer
 * types, 40 taxonomy terms, four opening-hours values, one or two languages). Deterministic.
 */
export function syntheticSearchIndexRows(count: number, seed = 7): SearchIndexRow[] {
  const random = seededRandom(seed);
  const terms = Array.from({ length: 40 }, (_, term) => `00000000-0000-4000-9000-${term.toString(16).padStart(12, '0')}`);
  const openingHours = ['Mo-Fr 09:00-17:00', 'Mo-Fr 10:00-12:00', null, 'Sa 10:00-14:00'];
  const rows: SearchIndexRow[] = [];
  for (let index = 0; index < count; index += 1) {
    const hex = index.toString(16).padStart(12, '0');
    rows.push({
      id: `00000000-0000-4000-8000-${hex}`,
      offerId: `10000000-0000-4000-8000-${hex}`,
      locationId: `20000000-0000-4000-8000-${hex}`,
      name: `Angebot ${index}`,
      summary: `Beschreibung ${index}`,
      offerTypeCode: 'kita',
      offerTypeLabelDe: 'Kita',
      offerTypeLabelEn: 'Day care',
      organization: `Träger ${index % 200}`,
      address: { name: null, street: `Straße ${index % 5000}`, houseNumber: `${index % 100}`, postalCode: '50667', city: 'Köln' },
      lon: 6.77 + random() * 0.3,
      lat: 50.83 + random() * 0.25,
      distanceMeters: null,
      openingHours: openingHours[index % openingHours.length]!,
      costKind: index % 3 === 0 ? 'free' : 'paid',
      languages: index % 2 === 0 ? ['de'] : ['de', 'tr'],
      termIds: [terms[index % 40]!, terms[(index * 7) % 40]!, terms[(index * 13) % 40]!],
      minAge: index % 5 === 0 ? null : 60,
      maxAge: null,
      offerTypeId: `offer-type-${index % 15}`,
    });
  }
  return rows;
}

async function main(): Promise<void> {
  const count = Number(benchOption('count') ?? 1_000_000);
  const rounds = Number(benchOption('rounds') ?? 2);
  let started = performance.now();
  const rows = syntheticSearchIndexRows(count);
  console.log(`${count} rows made in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const server = http.createServer((_request, response) => response.end('{"status":"ok"}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  const variants = {
    'A in one piece': () => Promise.resolve(buildSearchIndex(rows, 1)),
    'B in slices': () => runInSlices(searchIndexBuildSteps(rows, 1)),
  };
  for (let round = 1; round <= rounds; round += 1) {
    for (const [name, build] of Object.entries(variants)) {
      const probe = startLatencyProbe(url, 20);
      // the probe's thread starts and asks once before the build takes the thread
      await new Promise((resolve) => setTimeout(resolve, 300));
      started = performance.now();
      const index = await build();
      const buildMs = performance.now() - started;
      const samples: LatencySample[] = await probe.stop();
      console.log(`round ${round}, ${name}: build ${(buildMs / 1000).toFixed(1)} s (${index.size} points); health meanwhile ${summarizeLatency(samples)}`);
    }
  }
  server.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
