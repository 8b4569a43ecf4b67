import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGeocodingService } from '../../server/geocoding/geocoding.service.ts';
import { createOpeningHoursEvaluator } from '../../server/shared/opening-hours.ts';
import { searchQuerySchema, type SearchResponse } from '../../server/search/search.schema.ts';
import { createSearchService, type SearchService } from '../../server/search/search.service.ts';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertSearchDepartment, insertSearchOffer, metersEast, metersNorth } from '../helpers/search-factories.ts';

// A stale index answers the searches that no offer changed since it was built touches, and SQL
// the others, alike (server/search/search-index-changes.ts, docs/search.md "An index behind the data").

const west: [number, number] = [6.93, 50.94];
/** 3 km east of `west`: searches within 1 km of one do not reach the other's offers. */
const east = metersEast(west, 3000);
/** 8 km north of `west`, with more offers than the walking-order window (200): its nearest 200 lie within ≈ 1 km. */
const north = metersNorth(west, 8000);
const at = '2026-11-25T10:30';
const types = ['senior_meeting_place', 'kita', 'social_counselling'];
const groups = ['seniors', 'children_under_6', 'everyone'];

let testDatabase: TestDatabase;
let sql: SearchService;
let indexed: SearchService;
const eastOffers: Array<{ offerId: string; locationIds: string[] }> = [];

function ask(service: SearchService, query: Record<string, string>): Promise<SearchResponse> {
  return service.search(searchQuerySchema.parse(query));
}

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  const knex = testDatabase.database.knex;
  const departmentId = await insertSearchDepartment(knex);
  for (const [side, centre] of [
    ['West', west],
    ['Ost', east],
  ] as const) {
    for (let index = 0; index < 24; index += 1) {
      const offer = await insertSearchOffer(knex, {
        departmentId,
        name: `${side} ${index}`,
        description: index % 2 === 0 ? 'Begegnung und Beratung' : 'Spielgruppe',
        // care_home only in the west: a search for it without a place is not touched by the east's edits
        offerType: side === 'West' && index % 6 === 5 ? 'care_home' : types[index % 3]!,
        targetGroups: [groups[index % 3]!],
        openingHours: index % 4 === 0 ? 'Mo-Fr 09:00-17:00' : null,
        locations: [metersEast(metersNorth(centre, ((index % 5) - 2) * 150), (Math.floor(index / 5) - 2) * 150)],
      });
      if (side === 'Ost') eastOffers.push(offer);
    }
  }
  for (let index = 0; index < 210; index += 1) {
    await insertSearchOffer(knex, {
      departmentId,
      name: `Nord ${index}`,
      locations: [metersEast(metersNorth(north, ((index % 15) - 7) * 60), (Math.floor(index / 15) - 7) * 60)],
    });
  }
  const geocoding = createGeocodingService({ db: knex, cityNames: ['Köln'] });
  const openingHours = createOpeningHoursEvaluator({ holidayState: 'NW' });
  const taxonomies = createTaxonomiesService({ db: knex });
  sql = createSearchService({ db: knex, geocoding, taxonomies, openingHours, index: { enabled: false } });
  // The counter read at every search; no rebuild while the test looks at the stale index.
  indexed = createSearchService({ db: knex, geocoding, taxonomies, openingHours, index: { checkIntervalMs: 0, rebuildDelayMs: 600_000 } });
  expect(await indexed.warmIndex()).toBe(true);
});

afterAll(async () => {
  await testDatabase.destroy();
});

const near = ([lon, lat]: [number, number], radius: string, more: Record<string, string> = {}) => ({ lon: String(lon), lat: String(lat), radius, ...more });
/** Searches within 1 km of the west: no east offer is within reach, before or after the edits. */
const westQueries: Array<Record<string, string>> = [
  near(west, '1000'),
  near(west, '1000', { targetGroup: 'seniors' }),
  near(west, '1000', { q: 'Begegnung' }),
  // open at a moment: only the offers with opening hours open then
  near(west, '1000', { at }),
  { type: 'care_home' },
];
/** Searches the east's edits touch: near the east, within 5 km of the west, or without a place. */
const touchedQueries: Array<Record<string, string>> = [
  near(east, '1000'),
  near(east, '1000', { targetGroup: 'seniors' }),
  near(east, '1000', { q: 'Begegnung' }),
  near(west, '5000'),
  { targetGroup: 'seniors' },
  { q: 'Spielgruppe' },
  near(east, '1000', { at }),
  // two matches: fewer than three bring in the nearest beyond the radius, looked for within 50 km
  near(west, '1000', { type: 'kita', at }),
];

/**
 * Searches whose radius reaches the east's edits (≈ 8.5 km away) but whose walking-order window,
 * the nearest 200 matches, lies in the north: the stale index answers, with the total changed.
 */
const windowQueries: Array<Record<string, string>> = [near(north, '10000'), near(north, '10000', { type: 'senior_meeting_place' })];

/** Asks the indexed service; returns its answer and whether SQL found a page of it (else the index found every page). */
async function askCounting(query: Record<string, string>): Promise<{ answer: SearchResponse; fromSql: boolean }> {
  const before = indexed.pagesFound().sql;
  const answer = await ask(indexed, query);
  return { answer, fromSql: indexed.pagesFound().sql > before };
}

/** Asks until the changes are read (the first searches after a change go to SQL meanwhile). */
async function untilChangesRead(): Promise<void> {
  const started = Date.now();
  while ((await askCounting(westQueries[0]!)).fromSql) {
    expect(Date.now() - started, 'the changes were not read within 5 s').toBeLessThan(5000);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a stale search index', () => {
  it('answers the searches no changed offer touches, SQL the others, and both as the data stands', async () => {
    const knex = testDatabase.database.knex;
    for (const query of [...westQueries, ...touchedQueries, ...windowQueries]) expect((await askCounting(query)).fromSql, JSON.stringify(query)).toBe(false);
    const totalBefore = (await ask(indexed, windowQueries[0]!)).total;
    const seniors = (await knex('taxonomy_terms').where({ taxonomy: 'target_group', code: 'seniors' }).first('id')) as { id: string };
    // Renamed, given a target group, archived, moved away, and one new offer: five generations.
    await knex('offers').where({ id: eastOffers[1]!.offerId }).update({ name: 'Ost umbenannt' });
    await knex('offer_terms').insert({ offer_id: eastOffers[2]!.offerId, taxonomy: 'target_group', term_id: seniors.id });
    await knex('offers').where({ id: eastOffers[3]!.offerId }).update({ archived_at: knex.fn.now() });
    await knex('locations')
      .where({ id: eastOffers[4]!.locationIds[0] })
      .update({ geom: knex.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', metersNorth(east, 20_000)) });
    await insertSearchOffer(knex, { name: 'Ost neu', description: 'Spielgruppe', targetGroups: ['seniors'], locations: [metersNorth(east, 100)] });
    await untilChangesRead();

    for (const query of westQueries) {
      const label = JSON.stringify(query);
      const { answer, fromSql } = await askCounting(query);
      expect(fromSql, `${label} from the stale index`).toBe(false);
      expect(answer, label).toEqual(await ask(sql, query));
    }
    for (const query of touchedQueries) {
      const label = JSON.stringify(query);
      const { answer, fromSql } = await askCounting(query);
      expect(fromSql, `${label} from SQL`).toBe(true);
      expect(answer, label).toEqual(await ask(sql, query));
    }
    for (const query of windowQueries) {
      const label = JSON.stringify(query);
      const { answer, fromSql } = await askCounting(query);
      expect(fromSql, `${label} from the stale index, its window untouched`).toBe(false);
      expect(answer, label).toEqual(await ask(sql, query));
    }
    // Within 10 km of the north: one archived, one moved 20 km away, one new: one fewer.
    expect((await ask(indexed, windowQueries[0]!)).total).toBe(totalBefore - 1);
    // The touched answers show the edits.
    // Every offer near the east on one page (the grid has equal distances, ordered by random ids).
    const nearEast = (await askCounting(near(east, '1000', { pageSize: '50' }))).answer.results.map((result) => result.name);
    expect(nearEast).toContain('Ost umbenannt');
    expect(nearEast).toContain('Ost neu');
    expect(nearEast).not.toContain('Ost 1');
    expect(nearEast).not.toContain('Ost 3');
    expect(nearEast).not.toContain('Ost 4');
    const eastSeniors = (await askCounting(near(east, '1000', { targetGroup: 'seniors' }))).answer.results.map((result) => result.name);
    expect(eastSeniors).toContain('Ost 2');

    // The new index takes the edits in: every search from it again, the same answers.
    expect(await indexed.warmIndex()).toBe(true);
    for (const query of [...westQueries, ...touchedQueries, ...windowQueries]) {
      const label = JSON.stringify(query);
      const { answer, fromSql } = await askCounting(query);
      expect(fromSql, `${label} from the new index`).toBe(false);
      expect(answer, label).toEqual(await ask(sql, query));
    }
  });

  it('leaves a walking-order window with a changed offer in it to SQL', async () => {
    const knex = testDatabase.database.knex;
    expect(await indexed.warmIndex()).toBe(true);
    // The nearest of the north, 30 m from its centre: in every window there.
    const [nearest] = (await knex('offers').where({ name: 'Nord 112' }).select('id')) as Array<{ id: string }>;
    await knex('offers').where({ id: nearest!.id }).update({ name: 'Nord umbenannt' });
    await untilChangesRead();
    for (const query of windowQueries) {
      const label = JSON.stringify(query);
      const { answer, fromSql } = await askCounting(query);
      expect(fromSql, `${label} from SQL`).toBe(true);
      expect(answer, label).toEqual(await ask(sql, query));
      expect(answer.results.map((result) => result.name), label).toContain('Nord umbenannt');
    }
  });

  it('leaves every search to SQL after a change the log cannot name offers for, until the new index is in use', async () => {
    const knex = testDatabase.database.knex;
    expect(await indexed.warmIndex()).toBe(true);
    expect((await askCounting(westQueries[0]!)).fromSql).toBe(false);
    await knex('taxonomy_terms').where({ taxonomy: 'offer_type', code: 'care_home' }).update({ label_en: 'Care home (residential)' });
    // The log says "any offer": the rebuild starts at once, and SQL answers until it is in use.
    const first = await askCounting(westQueries[4]!);
    expect(first.fromSql).toBe(true);
    expect(first.answer).toEqual(await ask(sql, westQueries[4]!));
    const started = Date.now();
    while ((await askCounting(westQueries[0]!)).fromSql) {
      expect(Date.now() - started, 'the rebuild did not take over within 10 s').toBeLessThan(10_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});
