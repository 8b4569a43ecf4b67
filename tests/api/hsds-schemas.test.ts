import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Offer } from '../../server/offers/offers.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createPublishedOffer, createStaff, hsdsPageValidators, hsdsValidators } from '../helpers/offer-factories.ts';

// Every HSDS route's answer against the HSDS schemas in ../shared/standards/hsds/ (the lists and
// their Pages are in hsds-api-complete.test.ts and offers-hsds-api.test.ts; this file adds the
// routes those check by hand only: the API's description, one service, one service at a location,
// the taxonomies and the taxonomy terms). The first test keeps the list of routes complete.
const hsdsRoutes = [
  '/api/hsds',
  '/api/hsds/profile',
  '/api/hsds/services',
  '/api/hsds/services/:id',
  '/api/hsds/service_at_locations',
  '/api/hsds/service_at_locations/:id',
  '/api/hsds/organizations',
  '/api/hsds/organizations/:id',
  '/api/hsds/taxonomies',
  '/api/hsds/taxonomy_terms',
];

describe('HSDS 3.1 API: every answer validates against the HSDS schemas', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let offer: Offer;
  const pages = hsdsPageValidators();
  const validators = hsdsValidators();

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    app = createTestApp(testDatabase.database);
    const staff = await createStaff(testDatabase.database.knex, app);
    offer = await createPublishedOffer(staff.editorA, {
      name: 'Seniorentreff am Park',
      locations: [
        { name: 'Haupthaus', geometry: { type: 'Point', coordinates: [6.95, 50.94] } },
        { name: 'Außenstelle', geometry: { type: 'Point', coordinates: [6.97, 50.93] } },
      ],
    });
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('serves exactly the routes this suite knows (a new route needs its schema check)', () => {
    const stack = (app as unknown as { router: { stack: RouterLayer[] } }).router.stack;
    const served = new Set<string>();
    const collect = (layers: RouterLayer[]) => {
      for (const layer of layers) {
        if (layer.route && typeof layer.route.path === 'string' && layer.route.path.startsWith('/api/hsds')) served.add(layer.route.path);
        if (layer.handle?.stack) collect(layer.handle.stack);
      }
    };
    collect(stack);
    expect([...served].sort()).toEqual([...hsdsRoutes].sort());
  });

  it('describes itself with the fields the HSDS OpenAPI document gives for GET /', async () => {
    const response = await request(app).get('/api/hsds');
    expect(response.status).toBe(200);
    expect(pages.root(response.body), JSON.stringify(pages.root.errors)).toBe(true);
    expect(response.body.version).toMatch(/^3\.1/);
  });

  it('answers one service as an HSDS service', async () => {
    const response = await request(app).get(`/api/hsds/services/${offer.id}`);
    expect(response.status).toBe(200);
    expect(validators.compiled(response.body), JSON.stringify(validators.compiled.errors)).toBe(true);
    expect(validators.modular(response.body), JSON.stringify(validators.modular.errors)).toBe(true);
    expect(response.body.id).toBe(offer.id);
  });

  it('answers one service at a location as an HSDS service_at_location', async () => {
    const id = offer.locations[1]!.id;
    const response = await request(app).get(`/api/hsds/service_at_locations/${id}`);
    expect(response.status).toBe(200);
    expect(validators.serviceAtLocation(response.body), JSON.stringify(validators.serviceAtLocation.errors)).toBe(true);
    expect(response.body).toMatchObject({ id, service_id: offer.id });
  });

  it('lists the taxonomies and their terms as HSDS Pages of taxonomy and taxonomy_term', async () => {
    const taxonomies = await request(app).get('/api/hsds/taxonomies');
    expect(taxonomies.status).toBe(200);
    expect(pages.taxonomyPage(taxonomies.body), JSON.stringify(pages.taxonomyPage.errors)).toBe(true);
    expect(taxonomies.body.contents.length).toBeGreaterThan(0);
    const terms = await request(app).get('/api/hsds/taxonomy_terms');
    expect(terms.status).toBe(200);
    expect(pages.taxonomyTermPage(terms.body), JSON.stringify(pages.taxonomyTermPage.errors)).toBe(true);
    expect(terms.body.contents.length).toBeGreaterThan(10);
    for (const term of terms.body.contents) expect(validators.taxonomyTerm(term), JSON.stringify(validators.taxonomyTerm.errors)).toBe(true);
  });
});

interface RouterLayer {
  route?: { path: unknown };
  handle?: { stack?: RouterLayer[] };
}
