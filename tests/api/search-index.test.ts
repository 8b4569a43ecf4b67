import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGeocodingService } from '../../server/geocoding/geocoding.service.ts';
import { createOpeningHoursEvaluator } from '../../server/shared/opening-hours.ts';
import { searchQuerySchema, type SearchResponse } from '../../server/search/search.schema.ts';
import { createSearchService, type SearchService } from '../../server/search/search.service.ts';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertSearchDepartment, insertSearchOffer, metersEast, metersNorth } from '../helpers/search-factories.ts';

// The in-memory index and the SQL path answer the same queries alike, and the index follows changes
// within its check interval.

const origin: [number, number] = [6.95, 50.94];
const offerTypes = ['senior_meeting_place', 'kita', 'care_home', 'social_counselling'];
const targetGroups = ['seniors', 'children_under_6', 'people_in_need_of_care', 'everyone'];
const accessibility = ['step_free_entrance', 'elevator', 'accessible_toilet'];
const languageSets = [[], ['de'], ['de', 'tr'], ['de', 'en'], ['ar', 'de']];
const openingHoursValues = [null, 'Mo-Fr 09:00-17:00; PH off', '24/7', 'Mo,We 14:00-18:00', 'Tu-Sa 10:00-12:00', 'nonsense hours'];
const costKinds = [null, 'free', 'reduced', 'paid'] as const;

let testDatabase: TestDatabase;
let sql: SearchService;
let indexed: SearchService;

function services(checkIntervalMs: number) {
  const knex = testDatabase.database.knex;
  const geocoding = createGeocodingService({ db: knex, cityNames: ['Köln'] });
  const openingHours = createOpeningHoursEvaluator({ holidayState: 'NW' });
  const taxonomies = createTaxonomiesService({ db: knex });
  return {
    sql: createSearchService({ db: knex, geocoding, taxonomies, openingHours, index: { enabled: false } }),
    indexed: createSearchService({ db: knex, geocoding, taxonomies, openingHours, index: { checkIntervalMs } }),
  };
}

function ask(service: SearchService, query: Record<string, string>): Promise<SearchResponse> {
  return service.search(searchQuerySchema.parse(query));
}

/** The answer as the route sends it (search-json.ts: written from parts kept per index row). */
async function askBody(service: SearchService, query: Record<string, string>): Promise<string> {
  return (await service.searchBody(searchQuerySchema.parse(query))).toString('utf8');
}

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  const knex = testDatabase.database.knex;
  const departmentId = await insertSearchDepartment(knex);
  // Deterministic pseudo-random offers within ≈ 4 km, some at shared points (equal distances).
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const shared = metersNorth(origin, 700);
  for (let index = 0; index < 300; index += 1) {
    const point = index % 25 === 0 ? shared : metersEast(metersNorth(origin, (random() - 0.5) * 8000), (random() - 0.5) * 8000);
    await insertSearchOffer(knex, {
      departmentId,
      name: `Angebot ${index}`,
      description: 'Beratung und Begegnung '.repeat(index % 20),
      offerType: pick(offerTypes),
      targetGroups: [...new Set([pick(targetGroups), ...(random() < 0.3 ? [pick(targetGroups)] : [])])],
      fieldsOfAction: random() < 0.4 ? ['participation'] : [],
      accessibility: accessibility.filter(() => random() < 0.4),
      languages: pick(languageSets),
      costKind: pick(costKinds),
      minAge: index % 3 === 0 ? index % 60 : null,
      maxAge: index % 5 === 1 ? 60 + (index % 40) : null,
      openingHours: pick(openingHoursValues),
      status: random() < 0.05 ? 'inactive' : 'active',
      publication: random() < 0.05 ? 'draft' : 'published',
      archived: random() < 0.05,
      organization: random() < 0.3 ? `Träger ${index % 7}` : null,
      locations: random() < 0.1 ? [point, metersEast(point, 350)] : [point],
    });
  }
  // Text that JSON must escape, and characters beyond Latin-1.
  await insertSearchOffer(knex, {
    departmentId,
    name: 'Café „Zum Hafen“ \\ "Treff" – Ünal’s Ecke 🏠',
    description: 'Zeile 1\nZeile 2\t</script>',
    offerType: 'senior_meeting_place',
    openingHours: 'Mo-Fr 09:00-17:00 "nach Absprache"',
    organization: 'Träger „Ü“',
    locations: [metersEast(origin, 120)],
  });
  // Words for full text: compounds, umlauts, inflections, providers, stop words (issue 14).
  const names = ['Seniorentreff Nippes', 'Schuldnerberatung der Caritas', 'Begegnungsstätte Ehrenfeld', 'Familienzentrum am Park', 'Ärztehaus Süd', 'café Klatsch', 'Jugendtreff „Zentrum“', '2. Beratungsstelle', 'Mittagstisch für Senioren', 'Sozialberatung'];
  const descriptions = ['Offener Treff mit Mittagstisch.', 'Beratungen zu Schulden und Anträgen.', 'Für ältere Menschen: Gedächtnistraining.', null, 'Die Begegnung steht im Mittelpunkt.'];
  const providers = ['Caritasverband Köln', null, 'Bürgerverein Müngersdorf'];
  for (let index = 0; index < 60; index += 1) {
    await insertSearchOffer(knex, {
      departmentId,
      name: names[index % names.length]!,
      description: descriptions[index % descriptions.length]!,
      offerType: pick(offerTypes),
      targetGroups: [pick(targetGroups)],
      openingHours: pick(openingHoursValues),
      costKind: pick(costKinds),
      organization: providers[index % providers.length]!,
      status: index % 23 === 0 ? 'inactive' : 'active',
      locations: [metersEast(metersNorth(origin, (random() - 0.5) * 9000), (random() - 0.5) * 9000)],
    });
  }
  ({ sql, indexed } = services(0));
});

afterAll(async () => {
  await testDatabase.destroy();
});

const [lon, lat] = origin.map(String) as [string, string];
const at = '2026-11-25T10:30';
const queries: Array<Record<string, string>> = [
  { lat, lon, at },
  { lat, lon, radius: '500', at },
  { lat, lon, radius: '2000', pageSize: '20', at },
  { lat, lon, radius: '2000', pageSize: '20', page: '3', at },
  { lat, lon, radius: '50000', pageSize: '50', page: '2', at },
  { lat, lon, radius: '3000', type: 'kita,care_home', at },
  { lat, lon, radius: '3000', targetGroup: 'seniors', openNow: 'true' },
  { lat, lon, radius: '3000', targetGroup: 'seniors', at: '2026-11-29T11:00' },
  { lat, lon, radius: '4000', fieldOfAction: 'participation', accessible: 'true', at },
  { lat, lon, radius: '4000', accessible: 'elevator,accessible_toilet', at },
  { lat, lon, radius: '4000', language: 'tr,ar', free: 'true', at },
  { lat, lon, radius: '4000', age: '8', at },
  { lat, lon, radius: '5000', age: '9', pageSize: '50' },
  { lat, lon, radius: '5000', age: '61', pageSize: '50' },
  { lat, lon, radius: '4000', age: '70', targetGroup: 'everyone', type: 'social_counselling', at },
  { lat: String(origin[1] + 0.03), lon: String(origin[0] - 0.04), radius: '3000', at },
  { lat: '52.52', lon: '13.4', radius: '5000', at },
];

describe('the in-memory search index', () => {
  it('answers varied queries exactly as the SQL path does', async () => {
    expect(await indexed.warmIndex()).toBe(true);
    for (const query of queries) {
      const [fromSql, fromIndex] = [await ask(sql, query), await ask(indexed, query)];
      const label = JSON.stringify(query);
      const pageSize = Number(query.pageSize ?? 20);
      // The SQL path counts the matches among the candidates it looked at; all of them are looked
      // at when the page reaches past the end, which gives the exact number to compare with.
      const exact = await ask(sql, { ...query, pageSize: '50', page: '20' });
      expect(exact.totalIsCapped, label).toBe(false);
      expect(fromIndex.total, label).toBe(exact.total);
      expect(fromIndex.totalIsCapped, label).toBe(false);
      if (!fromSql.totalIsCapped) expect(fromIndex.total, label).toBe(fromSql.total);
      expect(fromIndex.hasMore, label).toBe(Number(query.page ?? 1) * pageSize < exact.total);
      expect(fromIndex.results.map((result) => result.id), label).toEqual(fromSql.results.map((result) => result.id));
      expect(fromIndex.results, label).toEqual(fromSql.results);
      expect({ ...fromIndex, total: 0, totalIsCapped: false, hasMore: false }, label).toEqual({
        ...fromSql,
        total: 0,
        totalIsCapped: false,
        hasMore: false,
      });
    }
    // The bytes the route sends are JSON.stringify of the answer, from both paths, with the parts
    // of index rows written (first ask) and kept (second ask).
    for (const query of queries) {
      for (const service of [sql, indexed, indexed]) {
        const body = await askBody(service, query);
        expect(body, JSON.stringify(query)).toBe(JSON.stringify(await ask(service, query)));
      }
    }
    const near = JSON.parse(await askBody(indexed, { lat, lon, radius: '200' })) as SearchResponse;
    expect(near.results.map((result) => result.name)).toContain('Café „Zum Hafen“ \\ "Treff" – Ünal’s Ecke 🏠');
    // The queries cover real work: results, several pages, equal distances.
    const wide = await ask(indexed, { lat, lon, radius: '50000', pageSize: '50' });
    expect(wide.total).toBeGreaterThan(200);
    expect(new Set(wide.results.map((result) => result.distanceMeters)).size).toBeLessThan(wide.results.length);
  });

  it('answers full text near a place and searches without a place exactly as the SQL path, without reading offers in SQL', async () => {
    const knex = testDatabase.database.knex;
    expect(await indexed.warmIndex()).toBe(true);
    const texts = ['Beratung', 'senioren', 'Seniorentreff', 'Begegnungsstaette', 'treff', 'Caritas', 'Träger 3', 'die', 'Beratung Senioren', 'rat', 'Schulden', 'berat', 'Angebot 1', 'zentrum', 'Ärzte', 'aerztehaus', 'muengersdorf', 'Mittagstisch für', 'xyzzy'];
    const withText: Array<Record<string, string>> = [
      ...texts.map((q) => ({ lat, lon, radius: '5000', q, at })),
      { lat, lon, radius: '5000', q: 'Beratung', targetGroup: 'seniors', openNow: 'true' },
      { lat, lon, radius: '3000', q: 'treff', pageSize: '5', page: '2', at },
      { lat, lon, radius: '50000', q: 'Caritas', free: 'true', at },
    ];
    const withoutPlace: Array<Record<string, string>> = [
      {},
      { pageSize: '50', page: '3' },
      { at },
      { targetGroup: 'seniors', at },
      { type: 'kita,care_home', free: 'true', at },
      { openNow: 'true' },
      { targetGroup: 'seniors', at: '2026-11-29T11:00' },
      { language: 'tr,ar', accessible: 'true', pageSize: '10', page: '2', at },
      { age: '61', pageSize: '50', at },
      { pageSize: '50', page: '20', at },
    ];
    const statements: string[] = [];
    const record = (query: { sql: string }) => statements.push(query.sql);
    knex.on('query', record);
    try {
      for (const query of [...withText, ...withoutPlace]) {
        const label = JSON.stringify(query);
        statements.length = 0;
        const fromIndex = await ask(indexed, query);
        // The index answered: no statement read the offers (the stems of a new word are constants).
        expect(statements.filter((statement) => /offer_locations|search_vector|search_endings/.test(statement)), label).toEqual([]);
        const fromSql = await ask(sql, query);
        expect(fromIndex, label).toEqual(fromSql);
        expect(await askBody(indexed, query), label).toBe(JSON.stringify(fromIndex));
      }
    } finally {
      knex.off('query', record);
    }
    // The queries cover real work: matches by prefix, by a compound's end, by the provider, none.
    const total = async (q: string) => (await ask(indexed, { lat, lon, radius: '50000', q, at })).total;
    expect(await total('Beratung')).toBeGreaterThan(await total('Beratungsstelle'));
    expect(await total('Caritas')).toBeGreaterThan(await total('Caritasverband'));
    expect(await total('Schulden')).toBeGreaterThan(0);
    expect(await total('xyzzy')).toBe(0);
    expect((await ask(indexed, {})).total).toBeGreaterThan(300);
    expect((await ask(indexed, { at })).total).toBeLessThan((await ask(indexed, {})).total);
  });

  it('answers full text without a place from the index, ordered by the rank as the SQL path, ranks read once per text', async () => {
    const knex = testDatabase.database.knex;
    expect(await indexed.warmIndex()).toBe(true);
    const texts = ['Beratung', 'senioren', 'Begegnungsstaette', 'treff', 'Caritas', 'Träger 3', 'die', 'Beratung Senioren', 'berat', 'Schulden', 'Angebot 1', 'Ärzte', 'muengersdorf', 'Mittagstisch für', 'xyzzy'];
    const queries: Array<Record<string, string>> = [
      ...texts.map((q) => ({ q, at })),
      { q: 'Beratung', pageSize: '5', page: '3', at },
      { q: 'Beratung', targetGroup: 'seniors', openNow: 'true' },
      { q: 'treff', type: 'senior_meeting_place,kita', free: 'true', at },
      { q: 'Angebot', pageSize: '50', page: '4', at },
      { q: 'Begegnung Beratung', pageSize: '50', at },
    ];
    const statements: string[] = [];
    const record = (query: { sql: string }) => statements.push(query.sql);
    knex.on('query', record);
    try {
      for (const query of queries) {
        const label = JSON.stringify(query);
        for (const time of ['first', 'again']) {
          statements.length = 0;
          const fromIndex = await ask(indexed, query);
          const reading = statements.filter((statement) => /offer_locations|search_vector|search_endings/.test(statement));
          // No offer row is read in SQL: at most the ranks of the text, once per text and index.
          expect(reading.every((statement) => /ts_rank/.test(statement) && !/offer_locations/.test(statement)), `${label} ${time}`).toBe(true);
          if (time === 'again') expect(reading, `${label} ${time}`).toEqual([]);
          const fromSql = await ask(sql, query);
          expect(fromIndex, `${label} ${time}`).toEqual(fromSql);
          expect(fromIndex.sortedBy).toBe('relevance');
          expect(await askBody(indexed, query), label).toBe(JSON.stringify(fromIndex));
        }
      }
    } finally {
      knex.off('query', record);
    }
    // The queries cover real work: ranks that differ (a word in the name weighs more than in the
    // description), many equal ranks (ordered by name), several pages, no match.
    const beratung = await ask(indexed, { q: 'Beratung', pageSize: '50', at });
    expect(beratung.total).toBeGreaterThan(50);
    const names = beratung.results.map((result) => result.name);
    expect(names.slice(0, 3).every((name) => /beratung/i.test(name))).toBe(true);
    expect(names.some((name) => !/beratung/i.test(name))).toBe(true);
    expect((await ask(indexed, { q: 'xyzzy', at })).total).toBe(0);
  });

  it('falls back to SQL for full text', async () => {
    const query = { lat, lon, radius: '5000', q: 'Beratung', at };
    expect(await ask(indexed, query)).toEqual(await ask(sql, query));
  });

  it('shows a created, changed and archived offer within the check interval', async () => {
    const knex = testDatabase.database.knex;
    const { indexed: service } = services(1000);
    expect(await service.warmIndex()).toBe(true);
    const query = { lat, lon, radius: '300' };
    const place = metersEast(origin, 150);
    // Read as the route sends it: the JSON kept per index row must follow the changes too. Every
    // request that starts a check interval (1,000 ms) after the change must show it, however long the
    // answer then takes on a loaded machine (the stale index gives way to SQL at the next check).
    const visibleWithin = async (predicate: (response: SearchResponse) => boolean): Promise<number> => {
      const changed = Date.now();
      for (;;) {
        const asked = Date.now() - changed;
        if (predicate(JSON.parse(await askBody(service, query)) as SearchResponse)) return asked;
        expect(asked, `a request ${asked} ms after the change that does not show it`).toBeLessThanOrEqual(1000 + 20);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const names = (response: SearchResponse) => response.results.map((result) => result.name);
    const seen: number[] = [];

    const created = await insertSearchOffer(knex, { name: 'Neu eröffnet', locations: [place] });
    seen.push(await visibleWithin((response) => names(response).includes('Neu eröffnet')));

    await knex('offers').where({ id: created.offerId }).update({ name: 'Umbenannt' });
    seen.push(await visibleWithin((response) => names(response).includes('Umbenannt')));

    await knex('locations').where({ id: created.locationIds[0] }).update({ geom: knex.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', metersEast(origin, 5000)) });
    seen.push(await visibleWithin((response) => !names(response).includes('Umbenannt')));

    await knex('locations').where({ id: created.locationIds[0] }).update({ geom: knex.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', place) });
    seen.push(await visibleWithin((response) => names(response).includes('Umbenannt')));

    await knex('offers').where({ id: created.offerId }).update({ archived_at: knex.fn.now() });
    seen.push(await visibleWithin((response) => !names(response).includes('Umbenannt')));
    console.info(`[search-index] changes shown by requests started ${seen.join(', ')} ms after each change`);
  });
});
