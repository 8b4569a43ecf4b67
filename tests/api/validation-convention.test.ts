import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createStaff, type Staff } from '../helpers/offer-factories.ts';
import { sendCase, type RequestCase } from '../helpers/request-cases.ts';

// Issue 10: one validation convention. Every route parses what it reads with the request's
// language (German without Accept-Language, English with `en`) and names the field; one bad
// parameter per route is enough to show that the route follows it.

interface Case extends RequestCase {
  name: string;
  field: string;
  de: RegExp;
  en: RegExp;
}

const cases: Case[] = [
  { name: 'search: a radius of 10 m', method: 'get', path: '/api/search', query: { radius: '10' }, field: 'query.radius', de: /Entfernung in ganzen Metern/, en: /distance in whole metres/ },
  { name: 'search: an offer id that is no UUID', method: 'get', path: '/api/search/offers/abc', field: 'params.id', de: /keine Angebotskennung/, en: /not an offer id/ },
  { name: 'coverage: an unknown mode', method: 'get', path: '/api/coverage', query: { offerType: 'kita', mode: 'bike' }, field: 'query.mode', de: /Fußweg über das Straßennetz/, en: /network walking distance/ },
  { name: 'coverage gaps: no subject', method: 'get', path: '/api/coverage/gaps', query: {}, field: 'query.offerType', de: /Angebotsart .* oder eine Zielgruppe/, en: /an offer type .* or a target group/ },
  { name: 'coverage scenario: a point off the globe', method: 'post', path: '/api/coverage/scenario', body: { offerType: 'kita', offers: [{ lon: 200, lat: 50.9 }] }, field: 'offers.0.lon', de: /Längengrad/, en: /longitude/ },
  { name: 'coverage profile: an area id that is no UUID', method: 'get', path: '/api/coverage/areas/abc/profile', field: 'params.areaId', de: /keine Gebietskennung/, en: /not an area id/ },
  { name: 'completeness: an unknown level', method: 'get', path: '/api/coverage/completeness', query: { level: 'planet' }, field: 'query.level', de: /Muss einer dieser Werte sein/, en: /Must be one of/ },
  { name: 'geocode: a limit of 0', method: 'get', path: '/api/geocode', query: { q: 'Venloer', limit: '0' }, field: 'query.limit', de: /ganze Zahl zwischen 1 und 20/, en: /whole number between 1 and 20/ },
  { name: 'geocode suggest: no letter', method: 'get', path: '/api/geocode/suggest', query: { q: '123' }, field: 'query.q', de: /mindestens einen Buchstaben/, en: /at least one letter/ },
  { name: 'geocode streets: a box with three numbers', method: 'get', path: '/api/geocode/streets', query: { bbox: '6.9,50.9,7.0' }, field: 'query.bbox', de: /vier Zahlen/, en: /four numbers/ },
  { name: 'areas: an unknown level', method: 'get', path: '/api/areas', query: { level: 'planet' }, field: 'query.level', de: /Muss einer dieser Werte sein: city/, en: /Must be one of: city/ },
  { name: 'datasets: a city id with capitals', method: 'get', path: '/api/datasets', query: { city: 'Köln' }, field: 'query.city', de: /Stadtkennung/, en: /city id/ },
  { name: 'departments: a code with a space', method: 'post', path: '/api/departments', as: 'admin', body: { code: 'A B', name: 'Amt' }, field: 'code', de: /Buchstaben, Ziffern/, en: /letters, digits/ },
  { name: 'offer tiles: a column beyond the zoom', method: 'get', path: '/api/tiles/offers/2/9/1.pbf', field: 'params.x', de: /auf Zoomstufe 2 unter 4/, en: /below 4 at zoom 2/ },
  { name: 'offer TileJSON: a bad type code', method: 'get', path: '/api/tiles/offers.json', query: { type: 'Kita!' }, field: 'query.type.0', de: /Kürzel wie „kita“/, en: /code such as "kita"/ },
  { name: 'street tiles: a row beyond the zoom', method: 'get', path: '/api/tiles/streets/13/4250/8192.pbf', field: 'params.y', de: /auf Zoomstufe 13 unter 8192/, en: /below 8192 at zoom 13/ },
  { name: 'area tiles: an unknown level', method: 'get', path: '/api/tiles/areas-planet/1/0/0.pbf', field: 'params.level', de: /Muss einer dieser Werte sein/, en: /Must be one of/ },
  { name: 'OGC items: a limit of 0', method: 'get', path: '/api/ogc/collections/offers/items', query: { limit: '0' }, field: 'query.limit', de: /mindestens 1/, en: /at least 1/ },
  { name: 'OGC item: an unknown crs', method: 'get', path: '/api/ogc/collections/offers/items/x', query: { crs: 'EPSG:3857' }, field: 'query.crs', de: /kein unterstütztes Koordinatensystem/, en: /not a supported CRS/ },
  { name: 'OGC collections: an unknown format', method: 'get', path: '/api/ogc/collections', query: { f: 'xml' }, field: 'query.f', de: /json oder html/, en: /json or html/ },
  { name: 'offer export: an unknown format', method: 'get', path: '/api/offers/export', query: { format: 'xlsx' }, field: 'query.format', de: /Muss einer dieser Werte sein: csv/, en: /Must be one of: csv/ },
  { name: 'offer import: an unknown format', method: 'post', path: '/api/offers/import', as: 'editorA', query: { format: 'xlsx' }, body: 'name\nTreff', contentType: 'text/csv', field: 'query.format', de: /Muss einer dieser Werte sein: csv/, en: /Must be one of: csv/ },
  { name: 'bulk publish: an empty list', method: 'post', path: '/api/offers/publish', as: 'editorA', body: { offers: [] }, field: 'offers', de: /mindestens 1 Einträge/, en: /at least 1 entries/ },
];

describe('every route refuses a bad parameter in German by default and in English on request, naming the field', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let staff: Staff;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    app = createTestApp(testDatabase.database);
    staff = await createStaff(testDatabase.database.knex, app);
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it.each(cases)('$name', async (entry) => {
    for (const [language, expected, title] of [
      [undefined, entry.de, 'Ungültige Anfrage'],
      ['en', entry.en, 'Bad request'],
    ] as const) {
      const response = await sendCase(app, staff, entry, language);
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 400, code: 'validation_failed', title });
      const error = (response.body.errors as { field: string; message: string }[]).find((candidate) => candidate.field === entry.field);
      expect(error, JSON.stringify(response.body)).toBeDefined();
      expect(error!.message).toMatch(expected);
      expect(response.body.detail).toContain(entry.field);
    }
  });
});
