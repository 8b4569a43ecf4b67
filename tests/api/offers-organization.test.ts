import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Offer } from '../../server/offers/offers.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { uniqueCode } from '../helpers/factories.ts';
import { createOffer, createStaff, makeOffer, type SignedIn, type Staff } from '../helpers/offer-factories.ts';

describe('the provider (Träger) of an offer', () => {
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

  async function newProvider(as: SignedIn = staff.editorA): Promise<{ id: string; name: string }> {
    const response = await as.agent
      .post('/api/organizations')
      .set('X-CSRF-Token', as.csrfToken)
      .send({ name: `Träger ${uniqueCode('O')}` });
    expect(response.status).toBe(201);
    return { id: response.body.id as string, name: response.body.name as string };
  }

  function patch(as: SignedIn, offer: Offer, body: Record<string, unknown>) {
    return as.agent
      .patch(`/api/offers/${offer.id}`)
      .set('X-CSRF-Token', as.csrfToken)
      .set('If-Match', `"${offer.version}"`)
      .send(body);
  }

  it('is set on create by id and shown as { id, name }', async () => {
    const provider = await newProvider();
    const offer = await createOffer(staff.editorA, { organizationId: provider.id });
    expect(offer.organization).toEqual(provider);
    const read = await staff.planner.agent.get(`/api/offers/${offer.id}`);
    expect(read.body.organization).toEqual(provider);
  });

  it('is null when none is given', async () => {
    const offer = await createOffer(staff.editorA);
    expect(offer.organization).toBeNull();
  });

  it('refuses an id of no provider with a field error, and writes nothing', async () => {
    const name = `Ohne Träger ${uniqueCode('N')}`;
    const response = await staff.editorA.agent
      .post('/api/offers')
      .set('X-CSRF-Token', staff.editorA.csrfToken)
      .send(makeOffer({ name, organizationId: '00000000-0000-4000-8000-000000000000' }));
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'organizationId', code: 'unknown_organization', message: 'Es gibt keinen Träger mit dieser Kennung.' },
    ]);
    expect(await testDatabase.database.knex('offers').where({ name })).toEqual([]);
  });

  it('refuses a value that is no id', async () => {
    const response = await staff.editorA.agent
      .post('/api/offers')
      .set('X-CSRF-Token', staff.editorA.csrfToken)
      .set('Accept-Language', 'en')
      .send({ ...makeOffer(), organizationId: 'Caritas' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'organizationId', code: 'invalid_format', message: 'The value is not a valid identifier (UUID).' },
    ]);
  });

  it('is changed and removed by PATCH, each a version with the change in the history', async () => {
    const first = await newProvider();
    const second = await newProvider(staff.admin);
    const offer = await createOffer(staff.editorA, { organizationId: first.id });

    const changed = await patch(staff.editorA, offer, { organizationId: second.id });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 2, organization: second });

    const removed = await patch(staff.editorA, changed.body as Offer, { organizationId: null });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ version: 3, organization: null });

    const history = await staff.editorA.agent.get(`/api/offers/${offer.id}/history`);
    const changes = (history.body.items as { version: number; changes: { field: string; before: unknown; after: unknown }[] }[])
      .filter((entry) => entry.version >= 2)
      .map((entry) => entry.changes.filter((change) => change.field === 'organizationId'));
    expect(changes).toEqual([
      [{ field: 'organizationId', before: first.id, after: second.id }],
      [{ field: 'organizationId', before: second.id, after: null }],
    ]);
  });

  it('is kept by a PATCH that does not name it', async () => {
    const provider = await newProvider();
    const offer = await createOffer(staff.editorA, { organizationId: provider.id });
    const response = await patch(staff.editorA, offer, { name: 'Neuer Name' });
    expect(response.status).toBe(200);
    expect(response.body.organization).toEqual(provider);
  });

  it('refuses to change it to an unknown provider and keeps the current one', async () => {
    const provider = await newProvider();
    const offer = await createOffer(staff.editorA, { organizationId: provider.id });
    const response = await patch(staff.editorA, offer, { organizationId: '00000000-0000-4000-8000-000000000001' });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ field: 'organizationId', code: 'unknown_organization' });
    expect((await staff.editorA.agent.get(`/api/offers/${offer.id}`)).body).toMatchObject({ version: 1, organization: provider });
  });

  it('is shown with a published offer to everyone', async () => {
    const provider = await newProvider();
    const offer = await createOffer(staff.editorA, { organizationId: provider.id });
    const published = await staff.editorA.agent.post(`/api/offers/${offer.id}/publish`).set('X-CSRF-Token', staff.editorA.csrfToken);
    expect(published.status).toBe(200);
    const read = await request(app).get(`/api/offers/${offer.id}`);
    expect(read.status).toBe(200);
    expect(read.body.organization).toEqual(provider);
  });
});
