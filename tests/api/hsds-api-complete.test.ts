import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Offer } from '../../server/offers/offers.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createOffer, createPublishedOffer, createStaff, hsdsPageValidators, hsdsValidators, type Staff } from '../helpers/offer-factories.ts';

// HSDS 3.1 API parts beyond the basics (offers-hsds-api.test.ts): organizations, modified_after,
// the Page envelope, proximity, ndjson. Every answer is checked against the HSDS schemas.
describe('HSDS 3.1 API: organizations, paging, proximity, ndjson', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let staff: Staff;
  let provider: { id: string; name: string };
  let hiddenProvider: { id: string; name: string };
  let centre: Offer;
  let near: Offer;
  let far: Offer;
  let draft: Offer;
  const pages = hsdsPageValidators();
  const validators = hsdsValidators();
  const origin = { lon: 6.95, lat: 50.94 };

  async function createProvider(name: string): Promise<{ id: string; name: string }> {
    const response = await staff.editorA.agent.post('/api/organizations').set('X-CSRF-Token', staff.editorA.csrfToken).send({ name, phone: '0221 123456' });
    if (response.status !== 201) throw new Error(`creating a provider failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { id: string; name: string };
  }

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    app = createTestApp(testDatabase.database);
    staff = await createStaff(testDatabase.database.knex, app);
    provider = await createProvider('Caritas Musterstadt');
    hiddenProvider = await createProvider('Träger nur mit Entwurf');
    centre = await createPublishedOffer(staff.editorA, {
      name: 'Alpha Seniorentreff',
      organizationId: provider.id,
      locations: [{ name: 'Mitte', geometry: { type: 'Point', coordinates: [origin.lon, origin.lat] } }],
    });
    // ≈ 700 m east and ≈ 7 km north of the origin
    near = await createPublishedOffer(staff.editorA, {
      name: 'Beta Familienzentrum',
      offerType: 'family_centre',
      targetGroups: ['families'],
      organizationId: provider.id,
      locations: [{ name: 'Ost', geometry: { type: 'Point', coordinates: [origin.lon + 0.01, origin.lat] } }],
    });
    far = await createPublishedOffer(staff.editorA, {
      name: 'Gamma Beratung',
      locations: [
        { name: 'Nord', geometry: { type: 'Point', coordinates: [origin.lon, origin.lat + 0.063] } },
        { name: 'Nord 2', geometry: { type: 'Point', coordinates: [origin.lon, origin.lat + 0.065] } },
      ],
    });
    draft = await createOffer(staff.editorA, { name: 'Delta Entwurf', organizationId: hiddenProvider.id });
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('lists the providers of public offers as HSDS organizations, and no provider of drafts only', async () => {
    const response = await request(app).get('/api/hsds/organizations');
    expect(response.status).toBe(200);
    expect(pages.organizationPage(response.body), JSON.stringify(pages.organizationPage.errors)).toBe(true);
    expect(response.body).toMatchObject({ total_items: 1, total_pages: 1, page_number: 1, size: 1, first_page: true, last_page: true, empty: false });
    expect(response.body.contents[0]).toMatchObject({ id: provider.id, name: 'Caritas Musterstadt', description: 'Caritas Musterstadt' });
    expect(response.body.contents[0].phones).toEqual([expect.objectContaining({ organization_id: provider.id, number: '0221 123456' })]);
    expect(JSON.stringify(response.body)).not.toContain(hiddenProvider.id);
  });

  it('answers one organization with its public services, briefly or in full', async () => {
    const brief = await request(app).get(`/api/hsds/organizations/${provider.id}`);
    expect(brief.status).toBe(200);
    expect(pages.organization(brief.body), JSON.stringify(pages.organization.errors)).toBe(true);
    expect(brief.body.services).toEqual([
      { id: centre.id, name: 'Alpha Seniorentreff', status: 'active' },
      { id: near.id, name: 'Beta Familienzentrum', status: 'active' },
    ]);
    const full = await request(app).get(`/api/hsds/organizations/${provider.id}`).query({ full_service: 'true' });
    expect(full.body.services).toHaveLength(2);
    for (const service of full.body.services) expect(validators.compiled(service), JSON.stringify(validators.compiled.errors)).toBe(true);
  });

  it('answers 404 for a provider without public offers and for an unknown or malformed id', async () => {
    for (const id of [hiddenProvider.id, '00000000-0000-4000-8000-000000000000', 'nicht-da']) {
      const response = await request(app).get(`/api/hsds/organizations/${id}`).set('Accept-Language', 'en');
      expect(response.status).toBe(404);
      expect(response.type).toBe('application/problem+json');
      expect(response.body.detail).toMatch(/no such organization/);
    }
  });

  it('filters services by organization_id', async () => {
    const response = await request(app).get('/api/hsds/services').query({ organization_id: provider.id });
    expect(pages.servicePage(response.body), JSON.stringify(pages.servicePage.errors)).toBe(true);
    expect(response.body.contents.map((service: { id: string }) => service.id)).toEqual([centre.id, near.id]);
  });

  it('returns services modified on or after modified_after only', async () => {
    const knex = testDatabase.database.knex;
    await knex('offers').where('id', far.id).update({ updated_at: '2020-01-01T00:00:00Z' });
    await knex('offers').where('id', near.id).update({ updated_at: '2024-06-01T12:00:00Z' });
    try {
      const sinceDate = await request(app).get('/api/hsds/services').query({ modified_after: '2024-06-01' });
      expect(pages.servicePage(sinceDate.body), JSON.stringify(pages.servicePage.errors)).toBe(true);
      expect(sinceDate.body.contents.map((service: { id: string }) => service.id)).toEqual([centre.id, near.id]);
      // "on or after": the exact moment counts
      const sinceMoment = await request(app).get('/api/hsds/services').query({ modified_after: '2024-06-01T14:00:00+02:00' });
      expect(sinceMoment.body.contents.map((service: { id: string }) => service.id)).toEqual([centre.id, near.id]);
      const later = await request(app).get('/api/hsds/services').query({ modified_after: '2024-06-01T12:00:01Z' });
      expect(later.body.contents.map((service: { id: string }) => service.id)).toEqual([centre.id]);
    } finally {
      await knex('offers').whereIn('id', [far.id, near.id]).update({ updated_at: knex.fn.now() });
    }
  });

  it('refuses a modified_after that is no point in time, naming the field in German and English', async () => {
    const german = await request(app).get('/api/hsds/services').query({ modified_after: 'gestern' });
    expect(german.status).toBe(400);
    expect(german.type).toBe('application/problem+json');
    expect(german.body.errors).toEqual([expect.objectContaining({ field: 'query.modified_after', message: expect.stringMatching(/Passt zu keiner|Zeitpunkt|Datum/) })]);
    const english = await request(app).get('/api/hsds/services').query({ modified_after: '2024-13-45' }).set('Accept-Language', 'en');
    expect(english.status).toBe(400);
    expect(english.body.errors[0].field).toBe('query.modified_after');
  });

  it('pages as the HSDS Page says: per_page records, counts, first/last, and an empty page past the end', async () => {
    const seen: string[] = [];
    for (const pageNumber of [1, 2, 3]) {
      const response = await request(app).get('/api/hsds/services').query({ per_page: 1, page: pageNumber });
      expect(pages.servicePage(response.body), JSON.stringify(pages.servicePage.errors)).toBe(true);
      expect(response.body).toMatchObject({
        total_items: 3,
        total_pages: 3,
        page_number: pageNumber,
        size: 1,
        first_page: pageNumber === 1,
        last_page: pageNumber === 3,
        empty: false,
      });
      seen.push(response.body.contents[0].id);
    }
    expect(seen).toEqual([centre.id, near.id, far.id]);
    const past = await request(app).get('/api/hsds/services').query({ per_page: 2, page: 3 });
    expect(pages.servicePage(past.body), JSON.stringify(pages.servicePage.errors)).toBe(true);
    expect(past.body).toMatchObject({ total_items: 3, total_pages: 2, page_number: 3, size: 0, first_page: false, last_page: true, empty: true, contents: [] });
    const none = await request(app).get('/api/hsds/services').query({ search: 'Zeppelinwerft' });
    expect(pages.servicePage(none.body), JSON.stringify(pages.servicePage.errors)).toBe(true);
    expect(none.body).toMatchObject({ total_items: 0, total_pages: 0, page_number: 1, size: 0, first_page: true, last_page: true, empty: true });
  });

  it('pages services at locations by location, not by service', async () => {
    // Three services at four locations (the counselling service has two).
    const response = await request(app).get('/api/hsds/service_at_locations').query({ per_page: 3 });
    expect(pages.serviceAtLocationPage(response.body), JSON.stringify(pages.serviceAtLocationPage.errors)).toBe(true);
    expect(response.body).toMatchObject({ total_items: 4, total_pages: 2, size: 3, last_page: false });
    const second = await request(app).get('/api/hsds/service_at_locations').query({ per_page: 3, page: 2 });
    expect(second.body).toMatchObject({ total_items: 4, size: 1, last_page: true });
    expect(second.body.contents[0]).toMatchObject({ service_id: far.id });
  });

  it('finds services at locations by proximity, nearest first, within the radius only', async () => {
    const response = await request(app).get('/api/hsds/service_at_locations').query({ lat: origin.lat, lon: origin.lon, proximity: 5000 });
    expect(response.status).toBe(200);
    expect(pages.serviceAtLocationPage(response.body), JSON.stringify(pages.serviceAtLocationPage.errors)).toBe(true);
    for (const item of response.body.contents) expect(validators.serviceAtLocation(item), JSON.stringify(validators.serviceAtLocation.errors)).toBe(true);
    expect(response.body.total_items).toBe(2);
    expect(response.body.contents.map((item: { service_id: string }) => item.service_id)).toEqual([centre.id, near.id]);
    const distances = response.body.contents.map((item: { x_angebotsatlas: { distanceMeters: number } }) => item.x_angebotsatlas.distanceMeters);
    expect(distances[0]).toBe(0);
    expect(distances[1]).toBeGreaterThan(650);
    expect(distances[1]).toBeLessThan(750);
    // Without a radius every location, still by distance: from the north, the far service's two locations first.
    const all = await request(app).get('/api/hsds/service_at_locations').query({ lat: origin.lat + 0.07, lon: origin.lon });
    expect(all.body.contents.map((item: { location: { name: string } }) => item.location.name)).toEqual(['Nord 2', 'Nord', 'Mitte', 'Ost']);
  });

  it('finds services at locations around a postcode', async () => {
    await testDatabase.database.knex('locations').where('id', near.locations[0]!.id).update({ postal_code: '50667' });
    const byPostcode = await request(app).get('/api/hsds/service_at_locations').query({ postcode: '50667' });
    expect(byPostcode.body.contents.map((item: { service_id: string }) => item.service_id)).toEqual([near.id]);
    const around = await request(app).get('/api/hsds/service_at_locations').query({ postcode: '50667', proximity: 1000 });
    expect(around.body.contents.map((item: { service_id: string }) => item.service_id)).toEqual([near.id, centre.id]);
  });

  it('refuses an incomplete point, a radius without a point and a radius over 50 km', async () => {
    const cases: [Record<string, string | number>, string][] = [
      [{ lat: origin.lat }, 'query.lon'],
      [{ proximity: 500 }, 'query.proximity'],
      [{ lat: origin.lat, lon: origin.lon, proximity: 60_000 }, 'query.proximity'],
      [{ lat: 95, lon: origin.lon }, 'query.lat'],
      [{ postcode: '5066' }, 'query.postcode'],
    ];
    for (const [query, field] of cases) {
      const response = await request(app).get('/api/hsds/service_at_locations').query(query).set('Accept-Language', 'de');
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(response.type).toBe('application/problem+json');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
    const german = await request(app).get('/api/hsds/service_at_locations').query({ proximity: 500 }).set('Accept-Language', 'de');
    expect(german.body.errors[0].message).toMatch(/braucht einen Punkt/);
    const english = await request(app).get('/api/hsds/service_at_locations').query({ proximity: 500 }).set('Accept-Language', 'en');
    expect(english.body.errors[0].message).toMatch(/needs a point/);
  });

  it('streams every public service as ndjson, each line a valid HSDS service without staff data', async () => {
    const response = await request(app).get('/api/hsds/services').query({ format: 'ndjson' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = response.text.split('\n').filter((line) => line !== '');
    expect(response.text.endsWith('\n')).toBe(true);
    const services = lines.map((line) => JSON.parse(line) as { id: string });
    expect(services.map((service) => service.id).sort()).toEqual([centre.id, near.id, far.id].sort());
    for (const service of services) expect(validators.compiled(service), JSON.stringify(validators.compiled.errors)).toBe(true);
    expect(response.text).not.toContain(draft.id);
    for (const user of [staff.editorA, staff.admin]) expect(response.text).not.toContain(user.user.email);
    expect(response.text).not.toContain(staff.editorA.user.id);
  });

  it('streams services at locations and organizations as ndjson', async () => {
    const locations = await request(app).get('/api/hsds/service_at_locations').query({ format: 'ndjson' });
    const items = locations.text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { service_id: string });
    expect(items).toHaveLength(4);
    for (const item of items) expect(validators.serviceAtLocation(item), JSON.stringify(validators.serviceAtLocation.errors)).toBe(true);
    const organizations = await request(app).get('/api/hsds/organizations').query({ format: 'ndjson' });
    const providers = organizations.text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { id: string });
    expect(providers.map((item) => item.id)).toEqual([provider.id]);
    for (const item of providers) expect(pages.organization(item), JSON.stringify(pages.organization.errors)).toBe(true);
  });

  it('refuses an unknown format and an unknown taxonomy term', async () => {
    const format = await request(app).get('/api/hsds/services').query({ format: 'xml' });
    expect(format.status).toBe(400);
    expect(format.body.errors[0].field).toBe('query.format');
    const term = await request(app).get('/api/hsds/services').query({ taxonomy_term_id: 'gibt_es_nicht' }).set('Accept-Language', 'en');
    expect(term.status).toBe(400);
    expect(term.body.errors[0]).toMatchObject({ field: 'query.taxonomy_term_id', code: 'unknown_term' });
  });

  it('filters by taxonomy_id (any term of the taxonomy)', async () => {
    const taxonomies = await request(app).get('/api/hsds/taxonomies');
    const targetGroups = taxonomies.body.contents.find((taxonomy: { name: string }) => taxonomy.name === 'target_group');
    const response = await request(app).get('/api/hsds/services').query({ taxonomy_id: targetGroups.id });
    expect(response.status).toBe(200);
    expect(pages.servicePage(response.body), JSON.stringify(pages.servicePage.errors)).toBe(true);
    // Only the family centre names a target group.
    expect(response.body.contents.map((service: { id: string }) => service.id)).toEqual([near.id]);
    const anyType = await request(app).get('/api/hsds/services').query({ taxonomy_id: 'offer_type' });
    expect(anyType.body.total_items).toBe(3);
    // Both parameters narrow: an offer type and the target group families.
    const both = await request(app).get('/api/hsds/services').query({ taxonomy_id: 'offer_type', taxonomy_term_id: 'families' });
    expect(both.body.contents.map((service: { id: string }) => service.id)).toEqual([near.id]);
    const unknown = await request(app).get('/api/hsds/services').query({ taxonomy_id: 'sternzeichen' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'query.taxonomy_id', code: 'unknown_taxonomy' });
  });
});
