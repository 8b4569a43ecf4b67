import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createStaff, insertDepartment, type Staff } from '../helpers/offer-factories.ts';
import { sendCase, type RequestCase } from '../helpers/request-cases.ts';

// Issue 10: errors raised inside a service or a parser (after the route has parsed the request)
// answer in the request's language too — German without Accept-Language, English with `en` —
// with the stable code and, for a refusal, the field and the reason. The sibling
// validation-convention.test.ts covers what the routes' own parsing refuses.

interface Case extends RequestCase {
  name: string;
  status: number;
  code: string;
  /** The field of a refusal (400); its message is checked against de/en, and the detail names it. */
  field?: string;
  /** The detail is one sentence of its own, not "field: message". */
  detailIsSentence?: boolean;
  de: RegExp;
  en: RegExp;
}

const unknownId = '7b0c1a52-5e0e-4b7a-9d54-3f1f5c9c2a11';

const cases: Case[] = [
  { name: 'search: an impossible date', method: 'get', path: '/api/search', query: { at: '2025-02-30T10:00' }, status: 400, code: 'validation_failed', field: 'query.at', de: /kein wirkliches Datum/, en: /not a real date and time/ },
  { name: 'search: an unknown offer type', method: 'get', path: '/api/search', query: { type: 'spaceport' }, status: 400, code: 'validation_failed', field: 'query.type', de: /„spaceport“ ist keine bekannte Angebotsart/, en: /"spaceport" is not a known offer type/ },
  { name: 'search: an unknown accessibility feature', method: 'get', path: '/api/search', query: { accessible: 'ramp' }, status: 400, code: 'validation_failed', field: 'query.accessible', de: /kein bekanntes Merkmal der Barrierefreiheit/, en: /not a known accessibility feature/ },
  { name: 'search: an address nobody knows', method: 'get', path: '/api/search', query: { address: 'Xyzzyweg 5' }, status: 400, code: 'address_not_found', field: 'query.address', de: /keine Straße und kein Ort „Xyzzyweg 5“/, en: /no street or place called "Xyzzyweg 5"/i },
  { name: 'search: an offer that is not published', method: 'get', path: `/api/search/offers/${unknownId}`, status: 404, code: 'offer_not_found', de: /kein veröffentlichtes Angebot/, en: /no published offer/ },
  { name: 'coverage: an unknown offer type', method: 'get', path: '/api/coverage', query: { offerType: 'unicorns' }, status: 400, code: 'validation_failed', field: 'query.offerType', de: /Angebotsart „unicorns“ gibt es nicht/, en: /no offer type "unicorns"/ },
  { name: 'coverage gaps: an unknown target group', method: 'get', path: '/api/coverage/gaps', query: { targetGroup: 'martians' }, status: 400, code: 'validation_failed', field: 'query.targetGroup', de: /Zielgruppe „martians“ gibt es nicht/, en: /no target group "martians"/ },
  { name: 'coverage profile: an area that does not exist', method: 'get', path: `/api/coverage/areas/${unknownId}/profile`, status: 404, code: 'area_not_found', de: /kein Gebiet mit der Kennung/, en: /no area with the id/ },
  { name: 'OGC: a text in quotes that is not closed', method: 'get', path: '/api/ogc/collections/offers/items', query: { filter: "name = 'x" }, status: 400, code: 'validation_failed', field: 'query.filter', de: /nicht geschlossen \(bei Zeichen 8\)/, en: /not closed \(at character 8\)/ },
  { name: 'OGC: a property the collection lacks', method: 'get', path: '/api/ogc/collections/offers/items', query: { filter: 'colour = 1' }, status: 400, code: 'validation_failed', field: 'query.filter', de: /keine abfragbare Eigenschaft „colour“/, en: /no queryable "colour"/ },
  { name: 'OGC: a number compared with a text', method: 'get', path: '/api/ogc/collections/offers/items', query: { filter: "capacity = 'many'" }, status: 400, code: 'validation_failed', field: 'query.filter', de: /capacity wird mit einer Zahl, zum Beispiel 0.5 verglichen/, en: /capacity is compared with a number/ },
  { name: 'OGC: a value expected at the end', method: 'get', path: '/api/ogc/collections/offers/items', query: { filter: 'capacity =' }, status: 400, code: 'validation_failed', field: 'query.filter', de: /gefunden „das Ende“/, en: /found "the end"/ },
  { name: 'OGC: an unknown collection', method: 'get', path: '/api/ogc/collections/nothing/items', status: 404, code: 'collection_not_found', de: /Sammlung „nothing“ gibt es nicht/, en: /no collection "nothing"/ },
  { name: 'offer tiles: an unknown type', method: 'get', path: '/api/tiles/offers/2/2/1.pbf', query: { type: 'spaceport' }, status: 400, code: 'validation_failed', field: 'query.type', de: /„spaceport“ ist kein bekanntes Kürzel/, en: /"spaceport" is not a known code/ },
  { name: 'a route that does not exist', method: 'get', path: '/api/nothing-here', status: 404, code: 'route_not_found', de: /Die Adresse GET \/api\/nothing-here gibt es nicht/, en: /There is no route GET \/api\/nothing-here/ },
  { name: 'a body that is not JSON', method: 'post', path: '/api/coverage/scenario', rawBody: { text: '{"offerType":', contentType: 'application/json' }, status: 400, code: 'malformed_json', field: 'body', detailIsSentence: true, de: /kein gültiges JSON/, en: /not valid JSON/ },
  { name: 'departments: anonymous', method: 'post', path: '/api/departments', body: { code: 'X1', name: 'Amt' }, status: 401, code: 'unauthenticated', de: /Bitte zuerst anmelden/, en: /Please sign in first/ },
  { name: 'departments: an editor creates one', method: 'post', path: '/api/departments', as: 'editorA', body: { code: 'X2', name: 'Amt' }, status: 403, code: 'admin_only', de: /Nur Administratorinnen und Administratoren dürfen Dienststellen/, en: /Only administrators may create departments/ },
  { name: 'departments: a code that exists', method: 'post', path: '/api/departments', as: 'admin', body: { code: 'dup1', name: 'Amt' }, status: 409, code: 'duplicate_department', de: /schon eine Dienststelle mit dem Kürzel „dup1“/, en: /department with the code "dup1" already exists/ },
  { name: 'a signed-in write without the CSRF token', method: 'post', path: '/api/departments', as: 'admin', withoutCsrf: true, body: { code: 'X3', name: 'Amt' }, status: 403, code: 'csrf_token_invalid', de: /fehlt ein gültiger Header X-CSRF-Token/i, en: /lacks a valid X-CSRF-Token header/i },
];

describe('errors raised inside services answer in German by default and in English on request', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let staff: Staff;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    app = createTestApp(testDatabase.database);
    staff = await createStaff(testDatabase.database.knex, app);
    await insertDepartment(testDatabase.database.knex, { code: 'dup1' });
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it.each(cases)('$name', async (entry) => {
    const details: string[] = [];
    for (const [language, expected] of [
      [undefined, entry.de],
      ['en', entry.en],
    ] as const) {
      const response = await sendCase(app, staff, entry, language);
      expect(response.status, JSON.stringify(response.body)).toBe(entry.status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe(entry.code);
      const detail = String(response.body.detail);
      details.push(detail);
      if (entry.field) {
        const error = (response.body.errors as { field: string; message: string }[]).find((candidate) => candidate.field === entry.field);
        expect(error, JSON.stringify(response.body)).toBeDefined();
        expect(error!.message).toMatch(expected);
        if (entry.detailIsSentence) expect(detail).toMatch(expected);
        else expect(detail).toContain(entry.field.replace(/^query\./, ''));
      } else {
        expect(detail).toMatch(expected);
      }
    }
    // The German answer is not the English one.
    expect(details[0]).not.toBe(details[1]);
  });
});
