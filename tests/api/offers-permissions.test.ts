import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Offer } from '../../server/offers/offers.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createOffer, createStaff, makeOffer, type SignedIn, type Staff } from '../helpers/offer-factories.ts';

type Role = 'anonymous' | 'planner' | 'editor own department' | 'editor other department' | 'admin';
const roles: Role[] = ['anonymous', 'planner', 'editor own department', 'editor other department', 'admin'];

interface Route {
  name: string;
  /** Prepares the record (as admin, in department A) and returns the request to send. */
  prepare(staff: Staff): Promise<{ method: 'post' | 'patch'; path: string; body?: object | string; ifMatch?: string; contentType?: string }>;
  /** The status a permitted role gets. */
  success: number;
  /** What each role gets; the default matrix is: anonymous 401, planner 403, editor of another department 403. */
  expected?: Partial<Record<Role, number>>;
}

async function act(staff: Staff, method: 'post', path: string): Promise<Offer> {
  const response = await staff.admin.agent[method](path).set('X-CSRF-Token', staff.admin.csrfToken);
  if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
  return response.body as Offer;
}

const routes: Route[] = [
  {
    name: 'POST /api/offers',
    success: 201,
    prepare: async (staff) => ({ method: 'post', path: '/api/offers', body: makeOffer({ departmentCode: staff.departmentA.code }) }),
  },
  {
    name: 'PATCH /api/offers/:id',
    success: 200,
    prepare: async (staff) => {
      const offer = await createOffer(staff.admin, { departmentCode: staff.departmentA.code });
      return { method: 'patch', path: `/api/offers/${offer.id}`, body: { name: 'Geändert' }, ifMatch: '"1"' };
    },
  },
  {
    name: 'POST /api/offers/:id/archive',
    success: 200,
    prepare: async (staff) => {
      const offer = await createOffer(staff.admin, { departmentCode: staff.departmentA.code });
      return { method: 'post', path: `/api/offers/${offer.id}/archive` };
    },
  },
  {
    name: 'POST /api/offers/:id/restore',
    success: 200,
    prepare: async (staff) => {
      const offer = await createOffer(staff.admin, { departmentCode: staff.departmentA.code });
      await act(staff, 'post', `/api/offers/${offer.id}/archive`);
      return { method: 'post', path: `/api/offers/${offer.id}/restore` };
    },
  },
  {
    name: 'POST /api/offers/:id/publish',
    success: 200,
    prepare: async (staff) => {
      const offer = await createOffer(staff.admin, { departmentCode: staff.departmentA.code });
      return { method: 'post', path: `/api/offers/${offer.id}/publish` };
    },
  },
  {
    name: 'POST /api/offers/:id/unpublish',
    success: 200,
    prepare: async (staff) => {
      const offer = await createOffer(staff.admin, { departmentCode: staff.departmentA.code });
      await act(staff, 'post', `/api/offers/${offer.id}/publish`);
      return { method: 'post', path: `/api/offers/${offer.id}/unpublish` };
    },
  },
  {
    name: 'POST /api/offers/:id/verify',
    success: 200,
    prepare: async (staff) => {
      const offer = await createOffer(staff.admin, { departmentCode: staff.departmentA.code });
      return { method: 'post', path: `/api/offers/${offer.id}/verify` };
    },
  },
  {
    name: 'POST /api/offers/:id/restore-version',
    success: 200,
    prepare: async (staff) => {
      const offer = await createOffer(staff.admin, { departmentCode: staff.departmentA.code });
      await act(staff, 'post', `/api/offers/${offer.id}/verify`);
      return { method: 'post', path: `/api/offers/${offer.id}/restore-version`, body: { version: 1 }, ifMatch: '"2"' };
    },
  },
  {
    name: 'POST /api/offers/import (csv)',
    success: 200,
    prepare: async (staff) => ({
      method: 'post',
      path: `/api/offers/import?format=csv&dryRun=true`,
      contentType: 'text/csv',
      body: `department_code,name,offer_type,longitude,latitude\n${staff.departmentA.code},Import-Treff,senior_meeting_place,6.95,50.93\n`,
    }),
  },
  {
    name: 'POST /api/auth/users',
    success: 201,
    expected: { 'editor own department': 403 },
    prepare: async (staff) => ({
      method: 'post',
      path: '/api/auth/users',
      body: { email: `u${Math.random().toString(36).slice(2)}@example.org`, role: 'planner', password: 'a long enough password', departmentCode: staff.departmentA.code },
    }),
  },
];

function expectedStatus(route: Route, role: Role): number {
  const defaults: Record<Role, number> = {
    anonymous: 401,
    planner: 403,
    'editor own department': route.success,
    'editor other department': 403,
    admin: route.success,
  };
  return route.expected?.[role] ?? defaults[role];
}

describe('who may change what: every state-changing route × every role', () => {
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

  function signedInAs(role: Role): SignedIn | undefined {
    switch (role) {
      case 'anonymous':
        return undefined;
      case 'planner':
        return staff.planner;
      case 'editor own department':
        return staff.editorA;
      case 'editor other department':
        return staff.editorB;
      case 'admin':
        return staff.admin;
    }
  }

  for (const route of routes) {
    for (const role of roles) {
      const status = expectedStatus(route, role);
      it(`${route.name} as ${role} → ${status}`, async () => {
        const prepared = await route.prepare(staff);
        const as = signedInAs(role);
        const client = as ? as.agent : request(app);
        let pending = client[prepared.method](prepared.path);
        if (as) pending = pending.set('X-CSRF-Token', as.csrfToken);
        if (prepared.ifMatch) pending = pending.set('If-Match', prepared.ifMatch);
        if (prepared.contentType) pending = pending.set('Content-Type', prepared.contentType);
        const response = await pending.send(prepared.body ?? {});
        expect(response.status, JSON.stringify(response.body)).toBe(status);
        if (status >= 400) expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      });
    }
  }

  it('a refused change leaves the record and its history untouched', async () => {
    const offer = await createOffer(staff.admin, { departmentCode: staff.departmentA.code });
    const response = await staff.editorB.agent
      .patch(`/api/offers/${offer.id}`)
      .set('X-CSRF-Token', staff.editorB.csrfToken)
      .set('If-Match', '"1"')
      .send({ name: 'Übernommen' });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('other_department');
    const after = await staff.admin.agent.get(`/api/offers/${offer.id}`);
    expect(after.body).toMatchObject({ name: offer.name, version: 1 });
    const history = await staff.admin.agent.get(`/api/offers/${offer.id}/history`);
    expect(history.body.items).toHaveLength(1);
  });

  it('an editor may not move an offer to another department', async () => {
    const offer = await createOffer(staff.editorA);
    const response = await staff.editorA.agent
      .patch(`/api/offers/${offer.id}`)
      .set('X-CSRF-Token', staff.editorA.csrfToken)
      .set('If-Match', '"1"')
      .send({ departmentCode: staff.departmentB.code });
    expect(response.status).toBe(403);
  });

  it('reading: planners see drafts and history, anonymous visitors neither', async () => {
    const offer = await createOffer(staff.editorA);
    expect((await staff.planner.agent.get(`/api/offers/${offer.id}`)).status).toBe(200);
    expect((await staff.planner.agent.get(`/api/offers/${offer.id}/history`)).status).toBe(200);
    expect((await staff.editorB.agent.get(`/api/offers/${offer.id}`)).status).toBe(200);
    expect((await request(app).get(`/api/offers/${offer.id}`)).status).toBe(404);
    expect((await request(app).get(`/api/offers/${offer.id}/history`)).status).toBe(401);
  });
});
