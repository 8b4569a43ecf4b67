import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Offer } from '../../server/offers/offers.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createPublishedOffer, createStaff, type Staff } from '../helpers/offer-factories.ts';

/**
 * Staff e-mail addresses are personal data and sign-in names: anonymous readers get the
 * department as the contact, never who created, changed or checked an offer.
 */
describe('no personal data of staff in public answers', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let staff: Staff;
  let offer: Offer;
  let staffEmails: string[];

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    app = createTestApp(testDatabase.database);
    staff = await createStaff(testDatabase.database.knex, app);
    const published = await createPublishedOffer(staff.editorA, { name: 'Datenschutz-Treff' });
    const verified = await staff.admin.agent
      .post(`/api/offers/${published.id}/verify`)
      .set('X-CSRF-Token', staff.admin.csrfToken)
      .set('If-Match', `"${published.version}"`);
    expect(verified.status).toBe(200);
    offer = verified.body as Offer;
    staffEmails = [staff.admin.user.email, staff.editorA.user.email];
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  function expectNoStaffEmail(text: string): void {
    for (const email of staffEmails) expect(text).not.toContain(email);
  }

  it('gives anonymous readers of /api/offers the department, not createdBy/updatedBy/verifiedBy', async () => {
    const list = await request(app).get('/api/offers').query({ q: 'Datenschutz' });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      id: offer.id,
      department: { code: staff.departmentA.code, name: staff.departmentA.name },
      createdBy: null,
      updatedBy: null,
      verifiedBy: null,
      verifiedAt: expect.any(String),
    });
    expectNoStaffEmail(list.text);
    const single = await request(app).get(`/api/offers/${offer.id}`);
    expect(single.status).toBe(200);
    expect(single.body).toMatchObject({ createdBy: null, updatedBy: null, verifiedBy: null, department: { code: staff.departmentA.code } });
    expectNoStaffEmail(single.text);
  });

  it('gives no assurer_email in HSDS (read API and export)', async () => {
    const service = await request(app).get(`/api/hsds/services/${offer.id}`);
    expect(service.status).toBe(200);
    expect(service.body.assured_date).toBe(offer.verifiedAt!.slice(0, 10));
    expect(service.body).not.toHaveProperty('assurer_email');
    expectNoStaffEmail(service.text);
    const page = await request(app).get('/api/hsds/services');
    expectNoStaffEmail(page.text);
    for (const format of ['hsds', 'csv', 'geojson']) {
      const exported = await request(app).get('/api/offers/export').query({ format });
      expect(exported.status, format).toBe(200);
      expect(exported.text, format).toContain('Datenschutz-Treff');
      expectNoStaffEmail(exported.text);
    }
  });

  it('still shows signed-in staff who created and checked an offer', async () => {
    const single = await staff.planner.agent.get(`/api/offers/${offer.id}`);
    expect(single.body).toMatchObject({
      createdBy: { id: staff.editorA.user.id, email: staff.editorA.user.email },
      verifiedBy: { id: staff.admin.user.id, email: staff.admin.user.email },
    });
  });
});
