import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkPublishRefusal, Offer } from '../../server/offers/offers.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createOffer, createPublishedOffer, createStaff, type SignedIn, type Staff } from '../helpers/offer-factories.ts';

describe('POST /api/offers/publish: several drafts at once, all or nothing', () => {
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

  function publish(as: SignedIn, offers: { id: string; version: number }[], language = 'de') {
    return as.agent.post('/api/offers/publish').set('X-CSRF-Token', as.csrfToken).set('Accept-Language', language).send({ offers });
  }

  async function current(id: string): Promise<Offer> {
    return (await staff.admin.agent.get(`/api/offers/${id}`)).body as Offer;
  }

  async function events(id: string): Promise<{ action: string; version: number }[]> {
    return (await staff.admin.agent.get(`/api/offers/${id}/history`)).body.items as { action: string; version: number }[];
  }

  it('publishes every selected draft, each with a new version and an audit event', async () => {
    const first = await createOffer(staff.editorA);
    const second = await createOffer(staff.editorA);
    const response = await publish(staff.editorA, [first, second].map(({ id, version }) => ({ id, version })));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const items = response.body.items as Offer[];
    expect(items.map((offer) => [offer.id, offer.publication, offer.version])).toEqual([
      [first.id, 'published', 2],
      [second.id, 'published', 2],
    ]);
    for (const offer of [first, second]) {
      const history = await events(offer.id);
      expect(history).toHaveLength(2);
      expect(history.map((event) => event.action)).toContain('offer.published');
    }
    // The citizens see them now.
    expect((await request(app).get(`/api/offers/${first.id}`)).status).toBe(200);
  });

  it('refuses the whole request when one offer belongs to another department, and publishes none', async () => {
    const own = await createOffer(staff.editorA);
    const foreign = await createOffer(staff.editorB);
    const response = await publish(staff.editorA, [
      { id: own.id, version: own.version },
      { id: foreign.id, version: foreign.version },
    ]);
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.code).toBe('other_department');
    expect(response.body.detail).toBe('1 von 2 ausgewählten Angeboten können nicht veröffentlicht werden; es wurde keines veröffentlicht.');
    expect(response.body.offers).toEqual([expect.objectContaining({ id: foreign.id, code: 'other_department' })] satisfies Partial<BulkPublishRefusal>[]);
    expect((await current(own.id)).publication).toBe('draft');
    expect(await events(own.id)).toHaveLength(1);
  });

  it('refuses a stale version (ETag) with 412 and names the offer, in English when asked', async () => {
    const fresh = await createOffer(staff.editorA);
    const changed = await createOffer(staff.editorA);
    await staff.editorA.agent.post(`/api/offers/${changed.id}/verify`).set('X-CSRF-Token', staff.editorA.csrfToken).expect(200);
    const response = await publish(
      staff.editorA,
      [
        { id: fresh.id, version: fresh.version },
        { id: changed.id, version: changed.version },
      ],
      'en',
    );
    expect(response.status).toBe(412);
    expect(response.body.code).toBe('version_mismatch');
    expect(response.body.detail).toBe('1 of 2 selected offers cannot be published; none was published.');
    expect(response.body.offers).toEqual([expect.objectContaining({ id: changed.id, code: 'version_mismatch' })]);
    expect(response.body.offers[0].message).toMatch(/now version 2/);
    expect((await current(fresh.id)).publication).toBe('draft');
  });

  it('refuses offers that are published already or archived (409) and unknown ids (404)', async () => {
    const draft = await createOffer(staff.editorA);
    const published = await createPublishedOffer(staff.editorA);
    const archived = await createOffer(staff.editorA);
    const archivedNow = (await staff.editorA.agent.post(`/api/offers/${archived.id}/archive`).set('X-CSRF-Token', staff.editorA.csrfToken)).body as Offer;
    const conflict = await publish(staff.editorA, [
      { id: draft.id, version: draft.version },
      { id: published.id, version: published.version },
      { id: archived.id, version: archivedNow.version },
    ]);
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('invalid_transition');
    expect((conflict.body.offers as BulkPublishRefusal[]).map((refusal) => refusal.id)).toEqual([published.id, archived.id]);
    const missing = await publish(staff.editorA, [
      { id: draft.id, version: draft.version },
      { id: '00000000-0000-4000-8000-000000000000', version: 1 },
    ]);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('offer_not_found');
    expect((await current(draft.id)).publication).toBe('draft');
  });

  it('refuses planners, anonymous visitors, duplicates and malformed bodies', async () => {
    const draft = await createOffer(staff.editorA);
    expect((await publish(staff.planner, [{ id: draft.id, version: 1 }])).status).toBe(403);
    expect((await request(app).post('/api/offers/publish').send({ offers: [{ id: draft.id, version: 1 }] })).status).toBe(401);
    const twice = await publish(staff.editorA, [
      { id: draft.id, version: 1 },
      { id: draft.id, version: 1 },
    ]);
    expect(twice.status).toBe(400);
    expect(twice.body.code).toBe('duplicate_offer');
    const empty = await publish(staff.editorA, []);
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0]).toMatchObject({ field: 'offers' });
    const badId = await publish(staff.editorA, [{ id: 'nope', version: 1 }]);
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].field).toBe('offers.0.id');
    expect((await current(draft.id)).publication).toBe('draft');
  });

  it('lets an administrator publish drafts of several departments in one request', async () => {
    const a = await createOffer(staff.editorA);
    const b = await createOffer(staff.editorB);
    const response = await publish(staff.admin, [
      { id: a.id, version: 1 },
      { id: b.id, version: 1 },
    ]);
    expect(response.status).toBe(200);
    expect((response.body.items as Offer[]).every((offer) => offer.publication === 'published')).toBe(true);
  });
});
