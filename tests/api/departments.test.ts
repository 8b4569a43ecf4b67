import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditService } from '../../server/audit/audit.service.ts';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import { createDepartmentsService } from '../../server/departments/departments.service.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { uniqueCode } from '../helpers/factories.ts';
import { createOffer, createPublishedOffer, createStaff, insertDepartment, type Staff } from '../helpers/offer-factories.ts';

describe('departments', () => {
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

  it('lists departments for everyone, with their number of offers', async () => {
    const response = await request(app).get('/api/departments');
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: staff.departmentA.code, name: staff.departmentA.name, offerCount: 0 })]),
    );
  });

  // Issue 11, defect 10: the number of drafts is not public (it leaked work in progress).
  it('counts only public offers for anonymous callers and every offer for staff', async () => {
    const department = await insertDepartment(testDatabase.database.knex);
    await createOffer(staff.admin, { departmentCode: department.code, name: 'Entwurf eins' });
    await createOffer(staff.admin, { departmentCode: department.code, name: 'Entwurf zwei' });
    await createPublishedOffer(staff.admin, { departmentCode: department.code, name: 'Veröffentlicht' });
    const countOf = (response: request.Response) =>
      (response.body.items as { code: string; offerCount: number }[]).find((item) => item.code === department.code)?.offerCount;
    expect(countOf(await request(app).get('/api/departments'))).toBe(1);
    expect(countOf(await staff.planner.agent.get('/api/departments'))).toBe(3);
  });

  it('lets an administrator create one and records it in the audit log', async () => {
    const code = uniqueCode('A');
    const response = await staff.admin.agent
      .post('/api/departments')
      .set('X-CSRF-Token', staff.admin.csrfToken)
      .send({ code, name: 'Amt für Soziales, Arbeit und Senioren', email: 'amt50@example.org' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ code, name: 'Amt für Soziales, Arbeit und Senioren', email: 'amt50@example.org' });
    const event = await testDatabase.database.knex('audit_events').where({ entity_type: 'department', entity_id: response.body.id }).first();
    expect(event).toMatchObject({ action: 'department.create', actor_id: staff.admin.user.id });
  });

  it('creates the departments of the city profile at start-up once, keeping existing names', async () => {
    const { knex } = testDatabase.database;
    const service = createDepartmentsService({ db: knex, audit: createAuditService({ db: knex }) });
    const departments = createDatasetsService({ geodataDir: '/nonexistent', city: 'koeln' }).city().departments;
    expect(departments.map((department) => department.code)).toContain('50');
    expect(await service.ensure(departments)).toBe(departments.length);
    await knex('departments').where({ code: '50' }).update({ name: 'Umbenannt' });
    expect(await service.ensure(departments)).toBe(0);
    expect((await knex('departments').where({ code: '50' }).first('name')).name).toBe('Umbenannt');
  });

  it('refuses anonymous users, planners and editors', async () => {
    const body = { code: uniqueCode('B'), name: 'Neues Amt' };
    expect((await request(app).post('/api/departments').send(body)).status).toBe(401);
    for (const user of [staff.planner, staff.editorA]) {
      const response = await user.agent.post('/api/departments').set('X-CSRF-Token', user.csrfToken).send(body);
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('admin_only');
    }
    expect(await testDatabase.database.knex('departments').where({ code: body.code }).first()).toBeUndefined();
  });

  it('names the field and the reason of bad input, and refuses a duplicate code', async () => {
    const bad = await staff.admin.agent
      .post('/api/departments')
      .set('X-CSRF-Token', staff.admin.csrfToken)
      .send({ code: 'Amt 50!', name: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['code', 'name']);
    const duplicate = await staff.admin.agent
      .post('/api/departments')
      .set('X-CSRF-Token', staff.admin.csrfToken)
      .send({ code: staff.departmentA.code, name: 'Doppelt' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('duplicate_department');
  });
});
