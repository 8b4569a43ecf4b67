import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Offer } from '../../server/offers/offers.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createOffer, createPublishedOffer, createStaff, hsdsValidators, type Staff } from '../helpers/offer-factories.ts';

describe('HSDS 3.1 read API (/api/hsds)', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let staff: Staff;
  let published: Offer;
  let draft: Offer;
  const validators = hsdsValidators();

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    app = createTestApp(testDatabase.database);
    staff = await createStaff(testDatabase.database.knex, app);
    published = await createPublishedOffer(staff.editorA, {
      name: 'Familienzentrum Süd',
      offerType: 'family_centre',
      targetGroups: ['families'],
      locations: [
        { name: 'Haupthaus', geometry: { type: 'Point', coordinates: [6.95, 50.92] } },
        { name: 'Außenstelle', geometry: { type: 'Point', coordinates: [6.97, 50.93] } },
      ],
    });
    await createPublishedOffer(staff.editorA, { name: 'Seniorentreff Nord' });
    draft = await createOffer(staff.editorA, { name: 'Entwurf Familienhilfe', offerType: 'family_centre' });
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('describes itself', async () => {
    const response = await request(app).get('/api/hsds');
    expect(response.body).toMatchObject({ version: '3.1', openapi_url: expect.stringMatching(/openapi\.json$/) });
  });

  it('lists public services in HSDS pages that validate against the schema', async () => {
    const response = await request(app).get('/api/hsds/services').query({ per_page: 1, page: 1 });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total_items: 2, total_pages: 2, page_number: 1, size: 1, first_page: true, last_page: false, empty: false });
    const all = await request(app).get('/api/hsds/services');
    for (const service of all.body.contents) expect(validators.compiled(service), JSON.stringify(validators.compiled.errors)).toBe(true);
    expect(all.body.contents.map((service: { name: string }) => service.name)).toEqual(['Familienzentrum Süd', 'Seniorentreff Nord']);
  });

  it('filters by search words and by taxonomy term (code or id)', async () => {
    const bySearch = await request(app).get('/api/hsds/services').query({ search: 'familien' });
    expect(bySearch.body.contents.map((service: { id: string }) => service.id)).toEqual([published.id]);
    const terms = await request(app).get('/api/hsds/taxonomy_terms').query({ search: 'family_centre' });
    const term = terms.body.contents.find((item: { code: string }) => item.code === 'family_centre');
    expect(validators.taxonomyTerm(term), JSON.stringify(validators.taxonomyTerm.errors)).toBe(true);
    const byTerm = await request(app).get('/api/hsds/services').query({ taxonomy_term_id: term.id });
    expect(byTerm.body.total_items).toBe(1);
    const byGroup = await request(app).get('/api/hsds/services').query({ taxonomy_term_id: 'families' });
    expect(byGroup.body.total_items).toBe(1);
  });

  it('shows open data only: a draft is not found, even for a signed-in administrator', async () => {
    expect((await request(app).get(`/api/hsds/services/${published.id}`)).status).toBe(200);
    const asAdmin = await staff.admin.agent.get(`/api/hsds/services/${draft.id}`);
    expect(asAdmin.status).toBe(404);
    const list = await staff.admin.agent.get('/api/hsds/services').query({ search: 'Entwurf' });
    expect(list.body.total_items).toBe(0);
  });

  it('lists services at locations, and finds one by id', async () => {
    const response = await request(app).get('/api/hsds/service_at_locations');
    expect(response.status).toBe(200);
    expect(response.body.contents).toHaveLength(3);
    for (const item of response.body.contents) expect(validators.serviceAtLocation(item), JSON.stringify(validators.serviceAtLocation.errors)).toBe(true);
    const id = published.locations[1]!.id;
    const one = await request(app).get(`/api/hsds/service_at_locations/${id}`);
    expect(one.body).toMatchObject({ id, service_id: published.id, location: { name: 'Außenstelle', latitude: 50.93, longitude: 6.97 } });
    expect((await request(app).get(`/api/hsds/service_at_locations/${draft.locations[0]!.id}`)).status).toBe(404);
  });
});
