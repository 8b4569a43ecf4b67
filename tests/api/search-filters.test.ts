import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfferDetail, SearchOptions, SearchResponse } from '../../server/search/search.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertSearchOffer, metersEast, metersNorth, type SearchOfferRow } from '../helpers/search-factories.ts';

// No street segments in this database: walking distances fall back to airline × detour factor.
const origin: [number, number] = [6.95, 50.94];

let testDatabase: TestDatabase;
let app: Express;
const offers: Record<string, SearchOfferRow> = {};

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  const knex = testDatabase.database.knex;
  offers.treffNord = await insertSearchOffer(knex, {
    name: 'Seniorentreff Nord',
    description: 'Begegnungsstätte mit Mittagstisch und Spielenachmittag',
    offerType: 'senior_meeting_place',
    targetGroups: ['seniors'],
    fieldsOfAction: ['participation'],
    accessibility: ['step_free_entrance', 'elevator'],
    languages: ['de', 'tr'],
    costKind: 'free',
    minAge: 60,
    openingHours: 'Mo-Fr 09:00-17:00; PH off',
    organization: 'Caritasverband für die Stadt Köln',
    locations: [metersNorth(origin, 100)],
  });
  offers.kita = await insertSearchOffer(knex, {
    name: 'Kita Sonnenschein',
    offerType: 'kita',
    targetGroups: ['children_under_6'],
    languages: ['de', 'en'],
    costKind: 'free',
    maxAge: 6,
    openingHours: 'Mo-Fr 07:00-16:30',
    locations: [metersNorth(origin, 200)],
  });
  offers.pflegeheim = await insertSearchOffer(knex, {
    name: 'Pflegeheim am Park',
    offerType: 'care_home',
    targetGroups: ['people_in_need_of_care'],
    accessibility: ['step_free_entrance', 'elevator', 'accessible_toilet'],
    languages: ['de'],
    costKind: 'paid',
    minAge: 65,
    openingHours: '24/7',
    locations: [metersNorth(origin, 300)],
  });
  offers.mehrort = await insertSearchOffer(knex, {
    name: 'Mehrort-Sozialberatung',
    offerType: 'social_counselling',
    targetGroups: ['everyone'],
    locations: [metersNorth(origin, 400), metersNorth(origin, 600)],
  });
  offers.schulden = await insertSearchOffer(knex, {
    name: 'Schuldnerberatung Ost',
    description: 'Beratung bei Schulden und Mietrückständen',
    offerType: 'debt_counselling',
    targetGroups: ['low_income'],
    fieldsOfAction: ['income'],
    languages: ['de', 'ar'],
    costKind: 'free',
    openingHours: 'Tu,Th 14:00-18:00',
    locations: [metersEast(origin, 500)],
  });
  offers.fern = await insertSearchOffer(knex, {
    name: 'Seniorentreff Fern',
    offerType: 'senior_meeting_place',
    targetGroups: ['seniors'],
    locations: [metersNorth(origin, 5000)],
  });
  for (const hidden of [{ publication: 'draft' as const }, { archived: true }, { status: 'inactive' as const }]) {
    await insertSearchOffer(knex, {
      name: 'Versteckter Seniorentreff',
      offerType: 'senior_meeting_place',
      targetGroups: ['seniors'],
      locations: [metersNorth(origin, 150)],
      ...hidden,
    });
  }
  app = createTestApp(testDatabase.database);
});

afterAll(async () => {
  await testDatabase.destroy();
});

async function search(query: Record<string, string | number | boolean>): Promise<SearchResponse> {
  const response = await request(app).get('/api/search').query(query);
  if (response.status !== 200) throw new Error(`search failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as SearchResponse;
}

const near = { lat: origin[1], lon: origin[0] };
const names = (response: SearchResponse) => response.results.map((result) => result.name);

describe('GET /api/search near a point', () => {
  it('lists published, active offers at each location, nearest first, within the radius', async () => {
    const response = await search(near);
    expect(names(response)).toEqual([
      'Seniorentreff Nord',
      'Kita Sonnenschein',
      'Pflegeheim am Park',
      'Mehrort-Sozialberatung',
      'Schuldnerberatung Ost',
      'Mehrort-Sozialberatung',
    ]);
    expect(response.results.map((result) => result.distanceMeters)).toEqual([100, 200, 300, 400, 500, 600]);
    expect(response).toMatchObject({ total: 6, totalIsCapped: false, hasMore: false, radiusMeters: 3000, page: 1 });
    expect(response.origin).toMatchObject({ lon: origin[0], lat: origin[1], source: 'coordinates' });
  });

  it('states the walking estimate as airline × detour factor where there is no street network', async () => {
    const response = await search(near);
    expect(response.walkingDistanceMethod).toBe('detour_factor');
    expect(response.walking).toEqual({ detourFactor: 1.3, speedKmh: 3, networkAvailable: false });
    const [first] = response.results;
    expect(first).toMatchObject({ walkingDistanceMeters: 130, walkingDistanceMethod: 'detour_factor', walkingMinutes: 3 });
  });

  it('returns one result per location of an offer, with its own id', async () => {
    const response = await search({ ...near, q: 'Mehrort' });
    expect(response.results.map((result) => result.id)).toEqual(offers.mehrort!.offerLocationIds);
    expect(new Set(response.results.map((result) => result.offerId))).toEqual(new Set([offers.mehrort!.offerId]));
  });

  it('widens and narrows with the radius', async () => {
    expect(names(await search({ ...near, radius: 250 }))).toEqual(['Seniorentreff Nord', 'Kita Sonnenschein']);
    expect(names(await search({ ...near, radius: 10_000 }))).toContain('Seniorentreff Fern');
  });

  it('filters by offer type including its sub-types', async () => {
    expect(names(await search({ ...near, type: 'seniors' }))).toEqual(['Seniorentreff Nord', 'Pflegeheim am Park']);
    expect(names(await search({ ...near, type: 'care_home' }))).toEqual(['Pflegeheim am Park']);
    expect(names(await search({ ...near, type: 'kita,debt_counselling' }))).toEqual(['Kita Sonnenschein', 'Schuldnerberatung Ost']);
  });

  it('filters by target group including its sub-groups, and by field of action', async () => {
    expect(names(await search({ ...near, targetGroup: 'seniors' }))).toEqual(['Seniorentreff Nord', 'Pflegeheim am Park']);
    expect(names(await search({ ...near, fieldOfAction: 'income' }))).toEqual(['Schuldnerberatung Ost']);
  });

  it('requires every accessibility feature asked for; "true" means step-free', async () => {
    expect(names(await search({ ...near, accessible: 'true' }))).toEqual(['Seniorentreff Nord', 'Pflegeheim am Park']);
    expect(names(await search({ ...near, accessible: 'elevator,accessible_toilet' }))).toEqual(['Pflegeheim am Park']);
  });

  it('filters by any of the languages, by free of charge and by age', async () => {
    expect(names(await search({ ...near, language: 'tr' }))).toEqual(['Seniorentreff Nord']);
    expect(names(await search({ ...near, language: 'tr,ar' }))).toEqual(['Seniorentreff Nord', 'Schuldnerberatung Ost']);
    expect(names(await search({ ...near, free: true }))).toEqual(['Seniorentreff Nord', 'Kita Sonnenschein', 'Schuldnerberatung Ost']);
    expect(names(await search({ ...near, age: 4 }))).toEqual([
      'Kita Sonnenschein',
      'Mehrort-Sozialberatung',
      'Schuldnerberatung Ost',
      'Mehrort-Sozialberatung',
    ]);
    expect(names(await search({ ...near, age: 70 }))).not.toContain('Kita Sonnenschein');
  });

  it('combines filters with AND', async () => {
    expect(names(await search({ ...near, type: 'seniors', free: true, language: 'tr' }))).toEqual(['Seniorentreff Nord']);
  });
});

describe('German full-text search', () => {
  it('stems and folds umlauts: "Begegnungsstaette" finds "Begegnungsstätte"', async () => {
    expect(names(await search({ ...near, q: 'Begegnungsstaette' }))).toEqual(['Seniorentreff Nord']);
    expect(names(await search({ ...near, q: 'Mietrückstand' }))).toEqual(['Schuldnerberatung Ost']);
  });

  it('matches the beginning of words, so "Senioren" finds "Seniorentreff"', async () => {
    expect(names(await search({ ...near, q: 'Senioren' }))).toEqual(['Seniorentreff Nord']);
  });

  it('matches the end of compounds: "Beratung" finds "Sozialberatung" and "Schuldnerberatung"', async () => {
    // Nearest first: Mehrort-Sozialberatung at 400 m and 600 m, the Schuldnerberatung at 500 m.
    expect(names(await search({ ...near, q: 'beratung' }))).toEqual(['Mehrort-Sozialberatung', 'Schuldnerberatung Ost', 'Mehrort-Sozialberatung']);
    expect(names(await search({ ...near, q: 'Treff' }))).toEqual(['Seniorentreff Nord']);
    // A plural or inflected form has the same stem: "Beratungen" → "berat".
    expect(names(await search({ ...near, q: 'Beratungen' }))).toEqual(['Mehrort-Sozialberatung', 'Schuldnerberatung Ost', 'Mehrort-Sozialberatung']);
    // Every word must match, in either way.
    expect(names(await search({ ...near, q: 'Schulden beratung' }))).toEqual(['Schuldnerberatung Ost']);
    // Stems shorter than four letters are only matched at the beginning: "Rat" finds no "Beratung".
    expect(names(await search({ ...near, q: 'Rat' }))).toEqual([]);
    // Without a location too, the compound-only match ranked after the word itself.
    expect(names(await search({ q: 'beratung' }))).toEqual(['Schuldnerberatung Ost', 'Mehrort-Sozialberatung', 'Mehrort-Sozialberatung']);
  });

  it('searches the provider name', async () => {
    expect(names(await search({ ...near, q: 'Caritasverband' }))).toEqual(['Seniorentreff Nord']);
  });

  it('understands websearch syntax for exclusions', async () => {
    expect(names(await search({ ...near, q: 'Beratung -Mietrückstände' }))).toEqual([]);
    expect(names(await search({ ...near, q: '"Beratung bei Schulden"' }))).toEqual(['Schuldnerberatung Ost']);
  });

  it('searches without a location, sorted by relevance then name', async () => {
    const response = await search({ q: 'Seniorentreff' });
    expect(names(response)).toEqual(['Seniorentreff Fern', 'Seniorentreff Nord']);
    expect(response.results[0]).toMatchObject({ distanceMeters: null, walkingDistanceMeters: null });
    expect(response).toMatchObject({ origin: null, radiusMeters: null, walkingDistanceMethod: null });
  });
});

describe('opening hours', () => {
  it('keeps only offers open at the given time (Köln wall clock) and says until when', async () => {
    const response = await search({ ...near, at: '2025-11-03T10:00' });
    expect(names(response)).toEqual(['Seniorentreff Nord', 'Kita Sonnenschein', 'Pflegeheim am Park']);
    expect(response.at).toBe('2025-11-03T10:00:00+01:00');
    expect(response.results[0]?.opening).toEqual({ status: 'open', closesAt: '2025-11-03T17:00:00+01:00', opensAt: null, comment: null });
  });

  it('respects the state’s public holidays (Fronleichnam in NRW)', async () => {
    expect(names(await search({ ...near, at: '2025-06-19T10:00' }))).toEqual(['Kita Sonnenschein', 'Pflegeheim am Park']);
  });

  it('tells when a closed offer opens next, without filtering', async () => {
    const response = await search({ ...near, q: 'Schuldnerberatung', radius: 3000 });
    const [result] = response.results;
    expect(result?.opening.status).toMatch(/^(open|closed)$/);
    expect(result?.opening.opensAt ?? result?.opening.closesAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+0[12]:00$/);
  });

  it('filters by "open now" at the time of the request', async () => {
    const response = await search({ ...near, openNow: true });
    for (const result of response.results) expect(result.opening.status).toBe('open');
    expect(names(response)).toContain('Pflegeheim am Park');
  });
});

describe('paging', () => {
  it('pages through the results with total and hasMore', async () => {
    const first = await search({ ...near, pageSize: 2, page: 1 });
    const second = await search({ ...near, pageSize: 2, page: 2 });
    const third = await search({ ...near, pageSize: 2, page: 3 });
    expect([...names(first), ...names(second), ...names(third)]).toEqual(names(await search(near)));
    expect(first).toMatchObject({ total: 6, hasMore: true });
    expect(third).toMatchObject({ total: 6, hasMore: false });
  });
});

describe('GET /api/search/options', () => {
  it('lists the filter terms with labels and parents, and the languages in use', async () => {
    const response = await request(app).get('/api/search/options');
    expect(response.status).toBe(200);
    const body = response.body as SearchOptions;
    expect(body.offerTypes).toContainEqual({
      code: 'care_home',
      parent: 'seniors',
      label: { de: 'Pflegeeinrichtung (stationär)', en: 'Care home' },
    });
    expect(body.accessibility.map((term) => term.code)).toContain('step_free_entrance');
    expect(body.languages[0]).toBe('de');
    expect(body.languages).toEqual(expect.arrayContaining(['tr', 'ar', 'en']));
  });
});

describe('GET /api/search/offers/:id', () => {
  it('shows every public field of an offer with its opening state and week', async () => {
    const response = await request(app).get(`/api/search/offers/${offers.treffNord!.offerId}`);
    expect(response.status).toBe(200);
    const detail = response.body as OfferDetail;
    expect(detail).toMatchObject({
      name: 'Seniorentreff Nord',
      description: 'Begegnungsstätte mit Mittagstisch und Spielenachmittag',
      offerType: { code: 'senior_meeting_place', parent: { code: 'seniors' } },
      targetGroups: [{ code: 'seniors', label: { de: 'Seniorinnen und Senioren (ab 65)', en: 'Older people (65+)' } }],
      fieldsOfAction: [{ code: 'participation' }],
      accessibility: [{ code: 'step_free_entrance' }, { code: 'elevator' }],
      languages: ['de', 'tr'],
      costKind: 'free',
      minAge: 60,
      openingHours: 'Mo-Fr 09:00-17:00; PH off',
      organization: { name: 'Caritasverband für die Stadt Köln' },
    });
    expect(detail.department.email).toMatch(/@stadt\.example$/);
    expect(detail.week).toHaveLength(7);
    expect(detail.locations).toHaveLength(1);
    expect(detail.locations[0]?.lat).toBeCloseTo(metersNorth(origin, 100)[1], 6);
    expect(detail.opening.status).toMatch(/^(open|closed)$/);
  });

  it('does not show drafts, archived or inactive offers', async () => {
    const hidden = (await testDatabase.database.knex('offers').where({ name: 'Versteckter Seniorentreff' }).select('id')) as { id: string }[];
    expect(hidden).toHaveLength(3);
    for (const { id } of hidden) {
      const response = await request(app).get(`/api/search/offers/${id}`);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'offer_not_found' });
    }
  });

  it('answers a malformed id with 400 naming the parameter', async () => {
    const response = await request(app).get('/api/search/offers/not-a-uuid');
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'params.id' })]);
  });
});
