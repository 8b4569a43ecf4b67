import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../server/config.ts';
import { createCoverageWorkerPool } from '../../server/coverage/coverage-pool.ts';
import { createCoverageService } from '../../server/coverage/coverage.service.ts';
import { inlineCoverageComputer, type CoverageComputer } from '../../server/coverage/coverage.task.ts';
import type { Goal } from '../../server/steering/steering.schema.ts';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import { createTestApp } from '../helpers/app.ts';
import { createSyntheticCity, insertOffer } from '../helpers/coverage-factories.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment, insertUser, signIn, type SignedIn } from '../helpers/offer-factories.ts';
import { tileOf } from '../helpers/tiles.ts';

// Issue 11, item 1 for the routes that came after it: the computed OGC collections (coverage-*,
// gaps-*) cost what /api/coverage costs and are anonymous; the steering figures, needs (with the
// location suggestion) and expected effects run the same computation for signed-in staff. They
// now pass the same anonymous rate limit and/or the bounded work queue; the vector tiles never run
// the coverage computation and stay unlimited.

let testDatabase: TestDatabase;
let city: Awaited<ReturnType<typeof createSyntheticCity>>;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  city = await createSyntheticCity(testDatabase.database.knex);
  await insertOffer(testDatabase.database.knex, {
    departmentId: city.departmentId,
    offerType: 'senior_meeting_place',
    lon: 6.905,
    lat: 50.935,
    name: 'Alter Treff',
    targetGroups: ['seniors'],
  });
});

afterAll(async () => {
  await testDatabase.destroy();
});

/** Counts the coverage computations; holds them until released when `gated`. */
function countingComputer(options: { gated: boolean }) {
  let release!: () => void;
  const released = options.gated ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
  let entered!: () => void;
  const started = new Promise<void>((resolve) => (entered = resolve));
  const calls = { run: 0, suggest: 0 };
  const computer: CoverageComputer = {
    async run(model, task) {
      calls.run += 1;
      entered();
      await released;
      return inlineCoverageComputer.run(model, task);
    },
    async suggest(model, task) {
      calls.suggest += 1;
      entered();
      await released;
      return inlineCoverageComputer.suggest(model, task);
    },
    close: async () => {},
  };
  return { computer, calls, started, release: () => release() };
}

function appWith(overrides: Partial<Config>, computer: CoverageComputer): Express {
  return createTestApp(testDatabase.database, overrides, { coverageComputer: computer });
}

async function planner(app: Express): Promise<SignedIn> {
  return signIn(app, (await insertUser(testDatabase.database.knex, { role: 'planner' }))!);
}

async function coverageGoal(as: SignedIn): Promise<Goal> {
  const department = await insertDepartment(testDatabase.database.knex);
  const response = await as.agent
    .post('/api/steering/goals')
    .set('X-CSRF-Token', as.csrfToken)
    .send({
      fieldOfAction: 'participation',
      title: 'Seniorentreffs in Gehweite',
      rationale: 'Ältere Menschen sollen einen Treffpunkt zu Fuß erreichen.',
      targetGroup: 'seniors',
      scope: 'areas',
      areaIds: [city.s1.id, city.s2.id],
      keyFigure: { kind: 'coverage', measure: 'share_within_reach', offerType: 'senior_meeting_place' },
      baseline: { value: 0, date: '2026-01-01' },
      target: { value: 50, deadline: '2027-12-31' },
      ownerDepartmentCode: department.code,
      contributingDepartmentCodes: [],
    });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as Goal;
}

function expectProblem(response: request.Response, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code });
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
}

describe('the computed OGC collections', () => {
  it('count against the anonymous analysis limit per address (429 with Retry-After); plain collections and staff do not', { timeout: 120_000 }, async () => {
    const { computer, calls } = countingComputer({ gated: false });
    const app = appWith({ analysisRateLimitPerMinute: 2 }, computer);
    for (let index = 0; index < 2; index++) {
      const response = await request(app).get('/api/ogc/collections/coverage-seniors/items');
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    }
    expect(calls.run).toBe(2);
    // one count per address for every coverage computation: the gaps collection shares it
    expectProblem(await request(app).get('/api/ogc/collections/gaps-seniors/items').set('Accept-Language', 'en'), 429, 'too_many_requests');
    expectProblem(await request(app).get('/api/ogc/collections/coverage-seniors/items/anything'), 429, 'too_many_requests');
    expectProblem(await request(app).get('/api/coverage').query({ offerType: 'senior_meeting_place' }), 429, 'too_many_requests');
    expect(calls.run).toBe(2);
    for (let index = 0; index < 4; index++) {
      expect((await request(app).get('/api/ogc/collections/offers/items')).status).toBe(200);
      expect((await request(app).get('/api/ogc/collections/areas-sozialraum/items')).status).toBe(200);
    }
    const staff = await planner(app);
    expect((await staff.agent.get('/api/ogc/collections/gaps-seniors/items')).status).toBe(200);
    expect(calls.run).toBe(3);
  });

  it('wait in the bounded work queue with /api/coverage: beyond it 503 with Retry-After', { timeout: 120_000 }, async () => {
    const gate = countingComputer({ gated: true });
    const app = appWith({ work: { concurrency: 1, maxQueued: 0, retryAfterSeconds: 4 } }, gate.computer);
    const staff = await planner(app);
    const goal = await coverageGoal(staff);
    const first = request(app).get('/api/coverage').query({ offerType: 'senior_meeting_place' }).then((response) => response);
    await gate.started;

    const busy = await request(app).get('/api/ogc/collections/coverage-seniors/items').set('Accept-Language', 'de');
    expectProblem(busy, 503, 'server_busy');
    expect(busy.headers['retry-after']).toBe('4');
    expect(busy.body.detail).toContain('4 Sekunden');
    expectProblem(await staff.agent.get(`/api/steering/goals/${goal.id}/needs`), 503, 'server_busy');
    expectProblem(await staff.agent.get(`/api/steering/goals/${goal.id}/figure`), 503, 'server_busy');
    // anonymous requests for staff figures are refused at once, without a turn in the queue
    expect((await request(app).get(`/api/steering/goals/${goal.id}/figure`)).status).toBe(401);
    // cheap reads never queue
    expect((await request(app).get('/api/ogc/collections/offers/items')).status).toBe(200);
    expect((await request(app).get('/api/health')).status).toBe(200);
    expect(gate.calls).toEqual({ run: 1, suggest: 0 });

    gate.release();
    expect((await first).status).toBe(200);
    const needs = await staff.agent.get(`/api/steering/goals/${goal.id}/needs`).query({ suggestions: 2 });
    expect(needs.status, JSON.stringify(needs.body)).toBe(200);
    // the location suggestion ran through the injected computer (a worker pool in the app)
    expect(gate.calls.suggest).toBe(1);
    expect((needs.body as { suggestions: unknown[] }).suggestions.length).toBeGreaterThan(0);
  });
});

describe('the vector tiles', () => {
  it('never run the coverage computation and are not counted by the analysis limit', { timeout: 120_000 }, async () => {
    const { computer, calls } = countingComputer({ gated: false });
    const app = appWith({ analysisRateLimitPerMinute: 1 }, computer);
    const statuses: number[] = [];
    for (const z of [10, 11, 12, 13, 14]) {
      const { x, y } = tileOf(6.93, 50.935, z);
      for (const path of [`/api/tiles/offers/${z}/${x}/${y}.pbf`, `/api/tiles/areas-sozialraum/${z}/${x}/${y}.pbf`, `/api/tiles/streets/${z}/${x}/${y}.pbf`]) {
        statuses.push((await request(app).get(path)).status);
        statuses.push((await request(app).get(path)).status);
      }
    }
    expect(statuses.every((status) => status === 200 || status === 204)).toBe(true);
    expect(calls).toEqual({ run: 0, suggest: 0 });
  });
});

describe('the coverage worker pool', () => {
  it('gives the same location suggestions as this thread', { timeout: 120_000 }, async () => {
    const knex = testDatabase.database.knex;
    const taxonomies = createTaxonomiesService({ db: knex });
    const pool = createCoverageWorkerPool({ threads: 1 });
    try {
      const question = { offerType: 'senior_meeting_place', mode: 'walk' as const, distance: 500, areaIds: [city.s1.id, city.s2.id], count: 2 };
      const inThread = await createCoverageService({ db: knex, taxonomies }).suggest(question);
      const inWorker = await createCoverageService({ db: knex, taxonomies, computer: pool }).suggest(question);
      expect(inThread.suggestions.length).toBeGreaterThan(0);
      expect(inWorker.suggestions).toEqual(inThread.suggestions);
      expect(inWorker.method.uncoveredResidents).toBe(inThread.method.uncoveredResidents);
    } finally {
      await pool.close();
    }
  });
});
