import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertArea, squarePolygon } from '../helpers/factories.ts';
import { createOffer, createPublishedOffer, createStaff, makeOffer, type Staff } from '../helpers/offer-factories.ts';

describe('/api/offers', () => {
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

  it('creates an offer in the editor’s own department as a draft, with ETag and Location', async () => {
    const { editorA, departmentA } = staff;
    const response = await editorA.agent.post('/api/offers').set('X-CSRF-Token', editorA.csrfToken).send(makeOffer());
    expect(response.status).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers.location).toBe(`/api/offers/${response.body.id}`);
    expect(response.body).toMatchObject({
      version: 1,
      department: { id: departmentA.id, code: departmentA.code },
      name: 'Seniorentreff am Park',
      status: 'active',
      publication: 'draft',
      archivedAt: null,
      offerType: 'senior_meeting_place',
      cost: { kind: 'free', text: null },
      languages: ['de', 'tr'],
      reach: null,
      effectiveReach: { source: 'offer_type', kind: 'walk', meters: 500 },
      verifiedAt: null,
      stale: true,
      createdBy: { id: editorA.user.id, email: editorA.user.email },
    });
    expect(response.body.locations).toHaveLength(1);
    expect(response.body.locations[0]).toMatchObject({
      id: expect.any(String),
      name: 'Bürgerhaus',
      address: { street: 'Parkstraße', houseNumber: '1', postalCode: '50667', city: 'Köln' },
      accessibilityNote: null,
      geometry: { type: 'Point', coordinates: [6.955, 50.935] },
    });
  });

  it('computes the Sozialraum of each location by point in polygon when saving', async () => {
    const knex = testDatabase.database.knex;
    const district = await insertArea(knex, { level: 'district', name: 'Bezirk Nord', geometry: squarePolygon(6.9, 50.98, 0.05) });
    const sozialraum = await insertArea(knex, { level: 'sozialraum', name: 'Nordviertel', parentId: district.id, geometry: squarePolygon(6.91, 50.99, 0.02) });
    const offer = await createOffer(staff.admin, {
      departmentCode: staff.departmentA.code,
      locations: [
        { geometry: { type: 'Point', coordinates: [6.915, 50.995] } },
        { geometry: { type: 'Point', coordinates: [7.1, 50.85] } },
      ],
    });
    expect(offer.locations[0]!.sozialraum).toEqual({ id: sozialraum.id, code: sozialraum.code, name: 'Nordviertel', level: 'sozialraum' });
    expect(offer.locations[0]!.areas.map((area) => area.id)).toEqual([district.id, sozialraum.id]);
    expect(offer.locations[1]!.sozialraum).toBeNull();

    // moving the point moves it out of the area
    const moved = await staff.admin.agent
      .patch(`/api/offers/${offer.id}`)
      .set('X-CSRF-Token', staff.admin.csrfToken)
      .set('If-Match', '"1"')
      .send({ locations: [{ ...offer.locations[0], geometry: { type: 'Point', coordinates: [6.945, 50.995] } }] });
    expect(moved.status).toBe(200);
    expect(moved.body.locations).toHaveLength(1);
    expect(moved.body.locations[0].id).toBe(offer.locations[0]!.id);
    expect(moved.body.locations[0].sozialraum).toBeNull();
    expect(moved.body.locations[0].areas.map((area: { id: string }) => area.id)).toEqual([district.id]);
  });

  it('gets one offer with its version as ETag and answers 304 to If-None-Match', async () => {
    const offer = await createOffer(staff.editorA);
    const response = await staff.planner.agent.get(`/api/offers/${offer.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    expect(response.body).toEqual(offer);
    const again = await staff.planner.agent.get(`/api/offers/${offer.id}`).set('If-None-Match', '"1"');
    expect(again.status).toBe(304);
  });

  it('shows anonymous visitors only published, active, non-archived offers', async () => {
    const draft = await createOffer(staff.editorA, { name: 'Entwurf unsichtbar' });
    const published = await createPublishedOffer(staff.editorA, { name: 'Öffentlich sichtbar' });
    const closed = await createPublishedOffer(staff.editorA, { name: 'Vorübergehend geschlossen', status: 'temporarily_closed' });
    expect((await request(app).get(`/api/offers/${draft.id}`)).status).toBe(404);
    expect((await request(app).get(`/api/offers/${closed.id}`)).status).toBe(404);
    expect((await request(app).get(`/api/offers/${published.id}`)).status).toBe(200);
    const list = await request(app).get('/api/offers').query({ pageSize: 200, publication: 'draft' });
    const names = (list.body.items as { name: string }[]).map((item) => item.name);
    expect(names).toContain('Öffentlich sichtbar');
    expect(names).not.toContain('Entwurf unsichtbar');
    expect(names).not.toContain('Vorübergehend geschlossen');
    // planners see drafts
    const planner = await staff.planner.agent.get('/api/offers').query({ pageSize: 200, publication: 'draft' });
    expect((planner.body.items as { name: string }[]).map((item) => item.name)).toContain('Entwurf unsichtbar');
  });

  it('answers 404 for an id that is not a UUID or does not exist', async () => {
    expect((await staff.admin.agent.get('/api/offers/not-a-uuid')).status).toBe(404);
    const missing = await staff.admin.agent.get('/api/offers/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('offer_not_found');
  });

  it('lists with filters, sort and paging, and reports the total', async () => {
    const { admin, departmentB } = staff;
    const base = { departmentCode: departmentB.code };
    await createOffer(admin, { ...base, name: 'Kita Sonnenschein', offerType: 'kita', minAge: 1, maxAge: 6 });
    await createOffer(admin, { ...base, name: 'Kita Regenbogen', offerType: 'kita', minAge: 1, maxAge: 6 });
    await createOffer(admin, { ...base, name: 'Jugendzentrum Nord', offerType: 'youth_centre', minAge: 12, maxAge: 21, status: 'inactive' });
    const page1 = await admin.agent.get('/api/offers').query({ department: departmentB.code, sort: 'name', pageSize: 2, page: 1 });
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page1.body.items.map((item: { name: string }) => item.name)).toEqual(['Jugendzentrum Nord', 'Kita Regenbogen']);
    const page2 = await admin.agent.get('/api/offers').query({ department: departmentB.code, sort: 'name', pageSize: 2, page: 2 });
    expect(page2.body.items.map((item: { name: string }) => item.name)).toEqual(['Kita Sonnenschein']);
    const descending = await admin.agent.get('/api/offers').query({ department: departmentB.code, sort: '-name' });
    expect(descending.body.items[0].name).toBe('Kita Sonnenschein');
    const byType = await admin.agent.get('/api/offers').query({ department: departmentB.code, type: 'kita' });
    expect(byType.body.total).toBe(2);
    // a parent type includes its children
    const byParent = await admin.agent.get('/api/offers').query({ department: departmentB.code, type: 'children_families' });
    expect(byParent.body.total).toBe(2);
    const byStatus = await admin.agent.get('/api/offers').query({ department: departmentB.code, status: 'inactive,defunct' });
    expect(byStatus.body.items.map((item: { name: string }) => item.name)).toEqual(['Jugendzentrum Nord']);
    const search = await admin.agent.get('/api/offers').query({ department: departmentB.code, q: 'regenb' });
    expect(search.body.items.map((item: { name: string }) => item.name)).toEqual(['Kita Regenbogen']);
  });

  it('filters by the area a location lies in', async () => {
    const knex = testDatabase.database.knex;
    const area = await insertArea(knex, { level: 'sozialraum', geometry: squarePolygon(7.05, 50.88, 0.01) });
    const inside = await createOffer(staff.editorA, { name: 'Im Gebiet', locations: [{ geometry: { type: 'Point', coordinates: [7.055, 50.885] } }] });
    await createOffer(staff.editorA, { name: 'Außerhalb', locations: [{ geometry: { type: 'Point', coordinates: [7.075, 50.885] } }] });
    const response = await staff.planner.agent.get('/api/offers').query({ area: area.id });
    expect(response.body.items.map((item: { id: string }) => item.id)).toEqual([inside.id]);
  });

  it('rejects unknown filter values with field errors', async () => {
    const response = await staff.planner.agent
      .get('/api/offers')
      .set('Accept-Language', 'en')
      .query({ type: 'no_such_type', pageSize: 500, sort: 'price' });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['query.pageSize', 'query.sort']);
    const unknownType = await staff.planner.agent.get('/api/offers').set('Accept-Language', 'en').query({ type: 'no_such_type' });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.errors[0]).toMatchObject({ field: 'query.type', code: 'unknown_term' });
  });

  it('flags records not verified for 12 months as stale and filters them', async () => {
    const knex = testDatabase.database.knex;
    const { departmentB, admin } = staff;
    const old = await createOffer(admin, { departmentCode: departmentB.code, name: 'Lange nicht geprüft' });
    const fresh = await createOffer(admin, { departmentCode: departmentB.code, name: 'Frisch geprüft' });
    await knex('offers').where({ id: old.id }).update({ verified_at: knex.raw("now() - interval '13 months'") });
    const verified = await admin.agent.post(`/api/offers/${fresh.id}/verify`).set('X-CSRF-Token', admin.csrfToken);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ stale: false, version: 2, verifiedBy: { id: admin.user.id } });
    expect(Date.now() - Date.parse(verified.body.verifiedAt)).toBeLessThan(60_000);
    expect((await admin.agent.get(`/api/offers/${old.id}`)).body.stale).toBe(true);
    const stale = await admin.agent.get('/api/offers').query({ department: departmentB.code, stale: 'true', pageSize: 200 });
    const staleIds = stale.body.items.map((item: { id: string }) => item.id);
    expect(staleIds).toContain(old.id);
    expect(staleIds).not.toContain(fresh.id);
    const notStale = await admin.agent.get('/api/offers').query({ department: departmentB.code, stale: 'false' });
    expect(notStale.body.items.map((item: { id: string }) => item.id)).toEqual([fresh.id]);
  });

  it('publishes a draft, and refuses to publish it twice', async () => {
    const offer = await createOffer(staff.editorA);
    const published = await staff.editorA.agent.post(`/api/offers/${offer.id}/publish`).set('X-CSRF-Token', staff.editorA.csrfToken);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ publication: 'published', version: 2 });
    expect(published.headers.etag).toBe('"2"');
    const again = await staff.editorA.agent.post(`/api/offers/${offer.id}/publish`).set('X-CSRF-Token', staff.editorA.csrfToken);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invalid_transition');
    const unpublished = await staff.editorA.agent.post(`/api/offers/${offer.id}/unpublish`).set('X-CSRF-Token', staff.editorA.csrfToken);
    expect(unpublished.body.publication).toBe('draft');
  });

  it('archives and restores; archived offers leave the default list', async () => {
    const { editorA } = staff;
    const offer = await createOffer(editorA, { name: 'Wird archiviert' });
    const archived = await editorA.agent.post(`/api/offers/${offer.id}/archive`).set('X-CSRF-Token', editorA.csrfToken).set('If-Match', '"1"');
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).not.toBeNull();
    const list = await editorA.agent.get('/api/offers').query({ q: 'archiviert' });
    expect(list.body.total).toBe(0);
    const onlyArchived = await editorA.agent.get('/api/offers').query({ q: 'archiviert', archived: 'only' });
    expect(onlyArchived.body.items.map((item: { id: string }) => item.id)).toEqual([offer.id]);
    const publish = await editorA.agent.post(`/api/offers/${offer.id}/publish`).set('X-CSRF-Token', editorA.csrfToken);
    expect(publish.status).toBe(409);
    const restored = await editorA.agent.post(`/api/offers/${offer.id}/restore`).set('X-CSRF-Token', editorA.csrfToken);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ archivedAt: null, version: 3 });
  });

  it('PATCH changes only the named fields and raises the version', async () => {
    const offer = await createOffer(staff.editorA, { targetGroups: ['seniors'], maxAge: 99 });
    const response = await staff.editorA.agent
      .patch(`/api/offers/${offer.id}`)
      .set('X-CSRF-Token', staff.editorA.csrfToken)
      .set('If-Match', '"1"')
      .send({ name: 'Neuer Name', email: '', reach: { kind: 'radius', meters: 800 } });
    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    expect(response.body).toMatchObject({
      version: 2,
      name: 'Neuer Name',
      email: null,
      description: offer.description,
      targetGroups: ['seniors'],
      maxAge: 99,
      reach: { kind: 'radius', meters: 800 },
      effectiveReach: { source: 'offer', kind: 'radius', meters: 800 },
      updatedBy: { id: staff.editorA.user.id },
    });
    expect(response.body.locations).toEqual(offer.locations);
  });
});
