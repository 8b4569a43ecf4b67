import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createOffer, insertUser, signIn, type Staff, createStaff } from '../helpers/offer-factories.ts';

describe('no lost updates: versions and If-Match', () => {
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

  it('two editors saving the same version at once: one gets 200, the other 412 with the current state', async () => {
    const knex = testDatabase.database.knex;
    const secondEditor = await signIn(app, await insertUser(knex, { role: 'editor', departmentId: staff.departmentA.id }));
    const offer = await createOffer(staff.editorA);
    const save = (as: typeof secondEditor, name: string) =>
      as.agent.patch(`/api/offers/${offer.id}`).set('X-CSRF-Token', as.csrfToken).set('If-Match', '"1"').send({ name });
    const responses = await Promise.all([save(staff.editorA, 'Fassung von A'), save(secondEditor, 'Fassung von B')]);
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 412]);
    const winner = responses.find((response) => response.status === 200)!;
    const loser = responses.find((response) => response.status === 412)!;
    expect(loser.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(loser.body).toMatchObject({ code: 'version_mismatch', status: 412, currentVersion: 2, current: { version: 2, name: winner.body.name } });
    const stored = await staff.planner.agent.get(`/api/offers/${offer.id}`);
    expect(stored.body).toMatchObject({ version: 2, name: winner.body.name });
    const events = await knex('audit_events').where({ entity_type: 'offer', entity_id: offer.id, action: 'offer.updated' });
    expect(events).toHaveLength(1);
  });

  it('answers 412 with the current state to a save based on an old version, and keeps the newer data', async () => {
    const offer = await createOffer(staff.editorA, { description: 'Erste Fassung' });
    const first = await staff.editorA.agent
      .patch(`/api/offers/${offer.id}`)
      .set('X-CSRF-Token', staff.editorA.csrfToken)
      .set('If-Match', '"1"')
      .send({ description: 'Zweite Fassung' });
    expect(first.status).toBe(200);
    const late = await staff.admin.agent
      .patch(`/api/offers/${offer.id}`)
      .set('X-CSRF-Token', staff.admin.csrfToken)
      .set('Accept-Language', 'en')
      .set('If-Match', 'W/"1"')
      .send({ description: 'Veraltete Fassung' });
    expect(late.status).toBe(412);
    expect(late.body.detail).toMatch(/now version 2, your change is based on version 1/);
    expect(late.body.current.description).toBe('Zweite Fassung');
    expect((await staff.planner.agent.get(`/api/offers/${offer.id}`)).body.description).toBe('Zweite Fassung');
  });

  it('requires If-Match on PATCH (428) and rejects a malformed one (400)', async () => {
    const offer = await createOffer(staff.editorA);
    const missing = await staff.editorA.agent.patch(`/api/offers/${offer.id}`).set('X-CSRF-Token', staff.editorA.csrfToken).send({ name: 'x' });
    expect(missing.status).toBe(428);
    expect(missing.body.code).toBe('if_match_required');
    const malformed = await staff.editorA.agent
      .patch(`/api/offers/${offer.id}`)
      .set('X-CSRF-Token', staff.editorA.csrfToken)
      .set('If-Match', 'version one')
      .send({ name: 'x' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].field).toBe('header.If-Match');
  });

  it('checks If-Match on actions when it is sent', async () => {
    const offer = await createOffer(staff.editorA);
    const stale = await staff.editorA.agent
      .post(`/api/offers/${offer.id}/publish`)
      .set('X-CSRF-Token', staff.editorA.csrfToken)
      .set('If-Match', '"7"');
    expect(stale.status).toBe(412);
    expect(stale.body.currentVersion).toBe(1);
  });
});
