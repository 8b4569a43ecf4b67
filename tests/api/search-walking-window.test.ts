import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGeocodingService } from '../../server/geocoding/geocoding.service.ts';
import { createOpeningHoursEvaluator } from '../../server/shared/opening-hours.ts';
import { searchQuerySchema, type SearchResponse } from '../../server/search/search.schema.ts';
import { createSearchService, type SearchService } from '../../server/search/search.service.ts';
import { earthDistanceMeters } from '../../server/streets/geodesic.ts';
import { createStreetKernel } from '../../server/streets/streets.service.ts';
import { createWalkingThread, type WalkingThread } from '../../server/streets/walking-thread.ts';
import { createSearchThreads, type SearchThreads } from '../../server/search/search-thread.ts';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { seeded } from '../helpers/search-index-rows.ts';
import { importKoelnStreets, insertSearchDepartment, insertSearchOffer, koelnDataAvailable, metersEast, metersNorth } from '../helpers/search-factories.ts';

// The search walks the nearest 100 first and the whole window of 200 only when the page is not
// certain among them (search-walking-order.ts). On Cologne's real streets, across the Rhine, its
// pages must be those of the SQL path, which walks all 200 (`walkingOrder`), for searches of both
// kinds: certain among the first 100, and not.
const hasData = koelnDataAvailable();
const centre: [number, number] = [6.9599, 50.9356];

let testDatabase: TestDatabase;
let sql: SearchService;
let indexed: SearchService;
/** The index with its walks in the walking thread (server/streets/walking-thread.ts), as main.ts runs it. */
let threaded: SearchService;
let thread: WalkingThread;
/** The index's window in the search thread and walks in the walking thread (server/search/search-thread.ts), as main.ts runs them. */
let inThreads: SearchService;
let threads: SearchThreads;
const places: Array<{ point: [number, number]; seniors: boolean }> = [];

beforeAll(async () => {
  if (!hasData) return;
  testDatabase = await createTestDatabase();
  const knex = testDatabase.database.knex;
  await importKoelnStreets(knex);
  const departmentId = await insertSearchDepartment(knex);
  const random = seeded(7);
  for (let index = 0; index < 260; index += 1) {
    const point = metersEast(metersNorth(centre, (random() - 0.5) * 3600), (random() - 0.5) * 3600);
    const seniors = index % 3 !== 0;
    places.push({ point, seniors });
    await insertSearchOffer(knex, {
      departmentId,
      name: `Treff ${index}`,
      targetGroups: seniors ? ['seniors'] : ['children_under_6'],
      locations: [point],
      // Opening hours of several kinds, for "open now" (some open at any hour, so that it finds some).
      ...(index % 4 === 0 ? { openingHours: ['24/7', 'Mo-Fr 08:00-18:00', 'Sa,Su 10:00-14:00', 'Mo-Su 00:00-12:00'][(index / 4) % 4] } : {}),
    });
  }
  const geocoding = createGeocodingService({ db: knex, cityNames: ['Köln'] });
  const openingHours = createOpeningHoursEvaluator({ holidayState: 'NW' });
  const taxonomies = createTaxonomiesService({ db: knex });
  sql = createSearchService({ db: knex, geocoding, taxonomies, openingHours, index: { enabled: false } });
  indexed = createSearchService({ db: knex, geocoding, taxonomies, openingHours, index: { checkIntervalMs: 0 } });
  thread = createWalkingThread({ detourFactor: 1.3 });
  const streets = createStreetKernel({ db: knex, detourFactor: 1.3, thread });
  threaded = createSearchService({ db: knex, geocoding, taxonomies, openingHours, streets, index: { checkIntervalMs: 0 } });
  threads = createSearchThreads({ detourFactor: 1.3 });
  const streetsOfThreads = createStreetKernel({ db: knex, detourFactor: 1.3, thread: threads.walking });
  inThreads = createSearchService({ db: knex, geocoding, taxonomies, openingHours, streets: streetsOfThreads, thread: threads.search, index: { checkIntervalMs: 0 } });
}, 120_000);

afterAll(async () => {
  await thread?.close();
  await threads?.close();
  await testDatabase?.destroy();
});

const ask = (service: SearchService, query: Record<string, string>): Promise<SearchResponse> => service.search(searchQuerySchema.parse(query));

describe.skipIf(!hasData)('the first walking window on Cologne streets', () => {
  it('gives the pages of a walk over the whole window, whether the page is certain among the nearest 100 or not', async () => {
    expect(await indexed.warmIndex()).toBe(true);
    const random = seeded(3);
    let certainFirst = 0;
    let walkedAgain = 0;
    for (let trial = 0; trial < 48; trial += 1) {
      const at = metersEast(metersNorth(centre, (random() - 0.5) * 1600), (random() - 0.5) * 1600);
      const seniorsOnly = trial % 3 === 2;
      const query = {
        lon: String(at[0]),
        lat: String(at[1]),
        radius: '2500',
        ...(seniorsOnly ? { targetGroup: 'seniors' } : {}),
        ...(trial % 4 === 3 ? { page: '2' } : {}),
      };
      const [fromSql, fromIndex] = [await ask(sql, query), await ask(indexed, query)];
      const label = JSON.stringify(query);
      expect(fromIndex.sortedBy, label).toBe('walking');
      expect(fromIndex.walkingDistanceMethod, label).toBe('network');
      expect(fromIndex.results.length, label).toBe(20);
      expect(fromIndex.results, label).toEqual(fromSql.results);
      // Which kind this search was: its page's last walk against the 100th airline distance.
      const airline = places
        .filter((place) => !seniorsOnly || place.seniors)
        .map(({ point }) => earthDistanceMeters(at[0], at[1], point[0], point[1]))
        .filter((meters) => meters <= 2500)
        .sort((a, b) => a - b);
      if (query.page === undefined && airline.length > 100) {
        if (fromIndex.results[19]!.walkingDistanceMeters! < airline[99]! * 0.99 - 3) certainFirst += 1;
        else walkedAgain += 1;
      }
    }
    expect(certainFirst).toBeGreaterThanOrEqual(3);
    expect(walkedAgain).toBeGreaterThanOrEqual(3);
  });
});

/** Asks `service` near the centre until `answered()` grows: a thread answers once it holds its copy of the network (and index). */
async function untilAnswered(service: SearchService, answered: () => number, thread: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  const before = answered();
  while (answered() === before) {
    if (Date.now() > deadline) throw new Error(`the ${thread} answered nothing within 60 s`);
    await ask(service, { lon: String(centre[0]), lat: String(centre[1]), radius: '1000' });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Asks `indexed` (everything on the request thread) and `other` the same `trials` questions near
 * random places within 1.5 km of the centre (radius 300 m, 1 km or 2.5 km, and `extra` of each
 * trial) and compares the answers but their `at`. Counts the results, those of questions asked at
 * a moment (`at`), and the fallbacks.
 */
async function compareWithIndexed(
  other: SearchService,
  seed: number,
  trials: number,
  extra: (trial: number) => Record<string, string>,
): Promise<{ results: number; atMoment: number; fallbacks: number }> {
  const random = seeded(seed);
  const counts = { results: 0, atMoment: 0, fallbacks: 0 };
  for (let trial = 0; trial < trials; trial += 1) {
    const at = metersEast(metersNorth(centre, (random() - 0.5) * 3000), (random() - 0.5) * 3000);
    const query = { lon: String(at[0]), lat: String(at[1]), radius: String([300, 1000, 2500][trial % 3]), ...extra(trial) };
    const [inline, fromOther] = [await ask(indexed, query), await ask(other, query)];
    expect({ ...fromOther, at: null }, JSON.stringify(query)).toEqual({ ...inline, at: null });
    counts.results += fromOther.results.length;
    if ('at' in query) counts.atMoment += fromOther.results.length;
    counts.fallbacks += fromOther.beyondRadius.length + fromOther.openToEveryone.length;
  }
  return counts;
}

describe.skipIf(!hasData)('walks in the walking thread on Cologne streets', () => {
  it('give the very answers of walks on the request thread, and the thread answers them once it holds the network', async () => {
    expect(await threaded.warmIndex()).toBe(true);
    expect(await indexed.warmIndex()).toBe(true);
    // The first search builds the kernel's network and sends it to the thread; until the thread
    // holds it, the request thread walks.
    await untilAnswered(threaded, () => thread.answered, 'walking thread');
    const answeredBefore = thread.answered;
    const { results, fallbacks } = await compareWithIndexed(threaded, 13, 30, (trial) => ({
      ...(trial % 2 === 1 ? { targetGroup: 'seniors' } : {}),
      ...(trial % 5 === 4 ? { page: '2' } : {}),
    }));
    // Pages, and the fallbacks of searches that found few (they walk too), all walked in the thread.
    expect(results).toBeGreaterThan(200);
    expect(fallbacks).toBeGreaterThan(0);
    expect(thread.answered - answeredBefore).toBeGreaterThanOrEqual(30);
  });
});

describe.skipIf(!hasData)('the window in the search thread on Cologne streets', () => {
  /** 24 questions: full text, a target group, open at a moment, later pages, few results; and how many windows the thread found meanwhile. */
  async function compareThreads(seed: number): Promise<{ results: number; atMoment: number; fallbacks: number; windows: number }> {
    const windowsBefore = threads.search.answered;
    const counts = await compareWithIndexed(inThreads, seed, 24, (trial) => ({
      ...(trial % 4 === 1 ? { targetGroup: 'seniors' } : {}),
      // Open at a fixed moment (a Monday morning), so that both ask the same minute.
      ...(trial % 3 === 1 ? { at: '2026-12-07T10:30:00+01:00' } : {}),
      ...(trial % 4 === 2 ? { q: `Treff ${trial}` } : {}),
      ...(trial % 4 === 3 ? { q: 'Treff' } : {}),
      ...(trial % 5 === 4 ? { page: '2' } : {}),
    }));
    return { ...counts, windows: threads.search.answered - windowsBefore };
  }

  it('gives the very answers of the request thread, full text included, and answers the windows itself', async () => {
    expect(await inThreads.warmIndex()).toBe(true);
    expect(await indexed.warmIndex()).toBe(true);
    await untilAnswered(inThreads, () => threads.search.answered, 'search thread');
    const { results, atMoment, fallbacks, windows } = await compareThreads(17);
    expect(results).toBeGreaterThan(150);
    // Open at a moment found offers (its opening-hours values go to the thread once per minute asked).
    expect(atMoment).toBeGreaterThan(5);
    expect(fallbacks).toBeGreaterThan(0);
    // Every question near a place has its window found in the thread (fallbacks add more).
    expect(windows).toBeGreaterThanOrEqual(24);
  });

  it('copies each new index: an offer added is found in the thread as on the request thread', async () => {
    const knex = testDatabase.database.knex;
    const departmentId = await insertSearchDepartment(knex);
    const point = metersEast(centre, 40);
    await insertSearchOffer(knex, { departmentId, name: 'Treff Neuer Ort', targetGroups: ['seniors'], locations: [point] });
    expect(await inThreads.warmIndex()).toBe(true);
    expect(await indexed.warmIndex()).toBe(true);
    await untilAnswered(inThreads, () => threads.search.answered, 'search thread');
    const query = { lon: String(centre[0]), lat: String(centre[1]), radius: '300', q: 'Neuer Ort' };
    const before = threads.search.answered;
    const [inline, threaded] = [await ask(indexed, query), await ask(inThreads, query)];
    expect(threads.search.answered).toBeGreaterThan(before);
    expect(threaded.results.map((result) => result.name)).toContain('Treff Neuer Ort');
    expect({ ...threaded, at: null }).toEqual({ ...inline, at: null });
    expect((await compareThreads(29)).windows).toBeGreaterThanOrEqual(24);
  });

  it('gets a new copy when the thread stopped while it held one: the request thread answers meanwhile, the thread again after its restart', async () => {
    const knex = testDatabase.database.knex;
    const warnings: string[] = [];
    const restarting = createSearchThreads({ detourFactor: 1.3, restartAfterMs: 300, logger: { warn: (...args: unknown[]) => void warnings.push(String(args[1])) } });
    try {
      const service = createSearchService({
        db: knex,
        geocoding: createGeocodingService({ db: knex, cityNames: ['Köln'] }),
        taxonomies: createTaxonomiesService({ db: knex }),
        openingHours: createOpeningHoursEvaluator({ holidayState: 'NW' }),
        streets: createStreetKernel({ db: knex, detourFactor: 1.3, thread: restarting.walking }),
        thread: restarting.search,
        index: { checkIntervalMs: 0 },
      });
      expect(await service.warmIndex()).toBe(true);
      expect(await indexed.warmIndex()).toBe(true);
      await untilAnswered(service, () => restarting.search.answered, 'search thread');
      await restarting.search.interrupt();
      expect(warnings).toEqual(['worker thread stopped; its work runs on the request thread']);
      // Without the thread the request thread finds the windows: the same answers, none from the thread.
      const before = restarting.search.answered;
      const query = { lon: String(centre[0]), lat: String(centre[1]), radius: '1000', q: 'Treff' };
      expect({ ...(await ask(service, query)), at: null }).toEqual({ ...(await ask(indexed, query)), at: null });
      expect(restarting.search.answered).toBe(before);
      // No data changed, yet the thread holds a copy again once it may restart, and answers as before.
      await untilAnswered(service, () => restarting.search.answered, 'restarted search thread');
      const windowsBefore = restarting.search.answered;
      const counts = await compareWithIndexed(service, 31, 12, (trial): Record<string, string> => (trial % 2 === 1 ? { q: 'Treff' } : { targetGroup: 'seniors' }));
      expect(counts.results).toBeGreaterThan(50);
      expect(restarting.search.answered - windowsBefore).toBeGreaterThanOrEqual(12);
    } finally {
      await restarting.close();
    }
  });
});
