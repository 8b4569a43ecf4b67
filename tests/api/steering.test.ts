import type { Express } from 'express';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard, Goal, GoalTracking, Measure, Needs, ProcessValue, Snapshot, SnapshotRun } from '../../server/steering/steering.schema.ts';
import type { CoverageResult } from '../../server/coverage/coverage.schema.ts';
import { createCoverageService } from '../../server/coverage/coverage.service.ts';
import { createSnapshotScheduler } from '../../server/steering/steering.scheduler.ts';
import type { SteeringService } from '../../server/steering/steering.service.ts';
import { createTestApp, silentLogger } from '../helpers/app.ts';
import { createSyntheticCity } from '../helpers/coverage-factories.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createPublishedOffer, createStaff, type SignedIn, type Staff } from '../helpers/offer-factories.ts';

// The synthetic city of tests/helpers/coverage-factories.ts: one street of 700 m segments; seniors
// S1 150 (seg1 50, seg2 100 by house numbers), S2 90 (seg4 18, seg5 27, seg6 45), S3 30 at the area.
// No senior meeting place exists yet, so every senior is out of reach at first.
let testDatabase: TestDatabase;
let app: Express;
let staff: Staff;
let city: Awaited<ReturnType<typeof createSyntheticCity>>;
let now = new Date('2026-12-01T06:00:00Z');
let steering: SteeringService;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  city = await createSyntheticCity(testDatabase.database.knex);
  app = createTestApp(testDatabase.database, {}, {
    steeringClock: () => now,
    onSteering: (service) => {
      steering = service;
    },
  });
  staff = await createStaff(testDatabase.database.knex, app);
});

afterAll(async () => {
  await testDatabase.destroy();
});

function send(as: SignedIn, method: 'post' | 'patch', path: string, body: object = {}, ifMatch?: string) {
  const call = as.agent[method](path).set('X-CSRF-Token', as.csrfToken);
  if (ifMatch) call.set('If-Match', ifMatch);
  return call.send(body);
}

function coverageGoal(overrides: Record<string, unknown> = {}) {
  return {
    fieldOfAction: 'participation',
    title: 'Seniorentreffs in Gehweite',
    rationale: 'Ältere Menschen sollen einen Treffpunkt zu Fuß erreichen.',
    targetGroup: 'seniors',
    scope: 'areas',
    areaIds: [city.s1.id, city.s2.id],
    keyFigure: { kind: 'coverage', measure: 'share_within_reach', offerType: 'senior_meeting_place' },
    baseline: { value: 0, date: '2026-01-01' },
    target: { value: 50, deadline: '2027-12-31' },
    ownerDepartmentCode: staff.departmentA.code,
    contributingDepartmentCodes: [],
    councilReference: 'AN/0815/2026',
    ...overrides,
  };
}

async function createGoal(overrides: Record<string, unknown> = {}): Promise<Goal> {
  const response = await send(staff.planner, 'post', '/api/steering/goals', coverageGoal(overrides));
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as Goal;
}

async function adopt(goal: Goal): Promise<Goal> {
  const response = await send(staff.admin, 'post', `/api/steering/goals/${goal.id}/status`, { status: 'adopted' }, `"${goal.version}"`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as Goal;
}

describe('goals', () => {
  it('are created by planners, adopted by administrators, and every step is in the history', async () => {
    const goal = await createGoal();
    expect(goal).toMatchObject({ status: 'draft', unit: 'percent', version: 1, ownerDepartment: { code: staff.departmentA.code } });
    expect(goal.areas.map((area) => area.code).sort()).toEqual(['S1', 'S2']);
    const adopted = await adopt(goal);
    expect(adopted).toMatchObject({ status: 'adopted', version: 2 });
    expect(adopted.adoptedAt).not.toBeNull();
    const history = await staff.planner.agent.get(`/api/steering/goals/${goal.id}/history`);
    expect(history.body.items.map((entry: { action: string }) => entry.action)).toEqual(['steering_goal.created', 'steering_goal.adopted']);
    expect(history.body.items[1].changes).toContainEqual({ field: 'status', before: 'draft', after: 'adopted' });
  });

  it('keep roles apart: editors do not set goals, planners do not adopt them, anonymous users see none', async () => {
    const byEditor = await send(staff.editorA, 'post', '/api/steering/goals', coverageGoal());
    expect(byEditor.status).toBe(403);
    expect(byEditor.body.code).toBe('planners_only');
    const goal = await createGoal();
    const byPlanner = await send(staff.planner, 'post', `/api/steering/goals/${goal.id}/status`, { status: 'adopted' }, '"1"');
    expect(byPlanner.status).toBe(403);
    expect(byPlanner.body.code).toBe('admin_only');
    expect((await request(app).get('/api/steering/goals')).status).toBe(401);
  });

  it('refuse a target for an indicator the areas lack, naming the field and the areas', async () => {
    const response = await send(staff.planner, 'post', '/api/steering/goals', {
      ...coverageGoal({ keyFigure: { kind: 'statistic', indicator: 'sgb2_rate' } }),
      baseline: { value: 12, date: '2026-01-01' },
      target: { value: 10, deadline: '2028-12-31' },
    });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.errors).toEqual([
      expect.objectContaining({ field: 'keyFigure.indicator', code: 'indicator_missing_for_areas' }),
    ]);
    expect(response.body.errors[0].message).toContain('sgb2_rate');
    expect(response.body.errors[0].message).toMatch(/West|Mitte/);
  });

  it('refuse a deadline before the baseline, in German and in English', async () => {
    const body = coverageGoal({ baseline: { value: 0, date: '2026-06-01' }, target: { value: 50, deadline: '2026-05-31' } });
    const german = await send(staff.planner, 'post', '/api/steering/goals', body);
    expect(german.status).toBe(400);
    expect(german.body.errors).toEqual([
      { field: 'target.deadline', code: 'deadline_before_baseline', message: 'Die Frist (2026-05-31) muss nach dem Datum des Ausgangswerts (2026-06-01) liegen.' },
    ]);
    const english = await send(staff.planner, 'post', '/api/steering/goals', body).set('Accept-Language', 'en');
    expect(english.body.errors[0].message).toBe('The deadline (2026-05-31) must come after the date of the baseline (2026-06-01).');
  });

  it('refuse unknown codes, a share above 100 % and a goal without areas', async () => {
    const response = await send(
      staff.planner,
      'post',
      '/api/steering/goals',
      coverageGoal({ fieldOfAction: 'happiness', areaIds: [], target: { value: 120, deadline: '2027-12-31' } }),
    );
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string; code: string }) => `${error.field}:${error.code}`).sort()).toEqual([
      'areaIds:areas_required',
      'fieldOfAction:unknown_term',
      'target.value:share_over_100',
    ]);
  });

  it('keep the key figure of an adopted goal and refuse a stale version', async () => {
    const goal = await adopt(await createGoal());
    const changeFigure = await send(staff.planner, 'patch', `/api/steering/goals/${goal.id}`, { baseline: { value: 5, date: '2026-01-01' } }, '"2"');
    expect(changeFigure.status).toBe(409);
    expect(changeFigure.body.code).toBe('adopted_fixed');
    const stale = await send(staff.planner, 'patch', `/api/steering/goals/${goal.id}`, { title: 'Neu' }, '"1"');
    expect(stale.status).toBe(412);
    const renamed = await send(staff.planner, 'patch', `/api/steering/goals/${goal.id}`, { title: 'Treffpunkte in Gehweite' }, '"2"');
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ title: 'Treffpunkte in Gehweite', version: 3 });
  });
});

describe('needs', () => {
  it('give the gap per area and the locations where one new offer reaches most uncovered seniors', async () => {
    const goal = await createGoal();
    const response = await staff.planner.agent.get(`/api/steering/goals/${goal.id}/needs`).query({ suggestions: 3 });
    expect(response.status).toBe(200);
    const needs = response.body as Needs;
    expect(needs.current).toBe(0);
    expect(needs.gap).toBe(50);
    const west = needs.areas.find((area) => area.code === 'S1')!;
    expect(west).toMatchObject({ current: 0, target: 50, gap: 50, uncoveredResidents: 150, residentsToReach: 75 });
    // Each 700 m segment's midpoint is 700 m from its neighbours': a location reaches its own segment only.
    expect(needs.suggestions.map((suggestion) => [suggestion.areaName, Math.round(suggestion.newlyCovered)])).toEqual([
      ['West', 100],
      ['West', 50],
      ['Mitte', 45],
    ]);
    expect(needs.suggestions[0]).toMatchObject({ rank: 1, streetName: 'Lange Straße' });
    expect(needs.suggestions[0]!.lon).toBeCloseTo(6.915, 6);
  });
});

describe('measures, expected effect and opening', () => {
  it('predict the effect with the what-if engine, open a real draft offer, and the next snapshot moves by the prediction', async () => {
    now = new Date('2026-12-01T06:00:00Z');
    const goal = await adopt(await createGoal({ title: 'Treffpunkte West und Mitte' }));
    const first = await send(staff.planner, 'post', '/api/steering/snapshots', {});
    expect(first.status).toBe(200);
    expect((first.body as SnapshotRun).month).toBe('2026-12');

    const created = await send(staff.editorA, 'post', '/api/steering/measures', {
      kind: 'new_offer',
      title: 'Neuer Seniorentreff Lange Straße',
      goalIds: [goal.id],
      departmentCode: staff.departmentA.code,
      budget: 120000,
      plannedOffer: { name: 'Seniorentreff Lange Straße', offerType: 'senior_meeting_place', lon: 6.915, lat: city.lat },
      milestones: [{ title: 'Räume angemietet', dueDate: '2026-11-15' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const measure = created.body as Measure;
    expect(measure.overdueMilestones).toBe(1);

    const effect = await staff.planner.agent.get(`/api/steering/measures/${measure.id}/effect`);
    expect(effect.status).toBe(200);
    const [predicted] = effect.body.items as { goalId: string; before: number; after: number; change: number }[];
    expect(predicted!.before).toBe(0);
    expect(predicted!.after).toBeCloseTo((100 * 100) / 240, 9);

    const opened = await send(staff.editorA, 'post', `/api/steering/measures/${measure.id}/open`, {}, `"${measure.version}"`);
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const offerId = (opened.body as Measure).offerId!;
    expect(offerId).toMatch(/^[0-9a-f-]{36}$/);
    const offer = await staff.editorA.agent.get(`/api/offers/${offerId}`);
    expect(offer.body).toMatchObject({ publication: 'draft', name: 'Seniorentreff Lange Straße', department: { code: staff.departmentA.code } });
    const again = await send(staff.editorA, 'post', `/api/steering/measures/${measure.id}/open`, {}, `"${(opened.body as Measure).version}"`);
    expect(again.status).toBe(409);
    const published = await send(staff.editorA, 'post', `/api/offers/${offerId}/publish`, {});
    expect(published.status).toBe(200);

    now = new Date('2027-01-01T00:30:00Z');
    const second = await send(staff.planner, 'post', '/api/steering/snapshots', {});
    expect(second.body.month).toBe('2027-01');
    const tracking = (await staff.planner.agent.get(`/api/steering/goals/${goal.id}/tracking`)).body as GoalTracking;
    expect(tracking.snapshots.map((snapshot) => snapshot.month)).toEqual(['2026-12', '2027-01']);
    const [december, january] = tracking.snapshots as [Snapshot, Snapshot];
    expect(december.value).toBe(0);
    expect(january.value! - december.value!).toBeCloseTo(predicted!.change, 9);
    expect(tracking.measures.map((entry) => entry.id)).toEqual([measure.id]);
  });

  it('refuses a measure for a goal of another department by an editor', async () => {
    const goal = await createGoal({ ownerDepartmentCode: staff.departmentA.code });
    const response = await send(staff.editorB, 'post', '/api/steering/measures', {
      kind: 'project',
      title: 'Besuchsdienst',
      goalIds: [goal.id],
      departmentCode: staff.departmentB.code,
    });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('goal_of_other_department');
    expect(response.body.detail).toContain(goal.title);
    const ownDepartmentOnly = await send(staff.editorB, 'post', '/api/steering/measures', {
      kind: 'project',
      title: 'Besuchsdienst',
      goalIds: [goal.id],
      departmentCode: staff.departmentA.code,
    });
    expect(ownDepartmentOnly.status).toBe(403);
    expect(ownDepartmentOnly.body.code).toBe('other_department');
  });
});

describe('monthly snapshots', () => {
  it('are taken on schedule for adopted goals only, once per month, and the database refuses to change them', async () => {
    now = new Date('2027-02-01T00:05:00Z');
    const draft = await createGoal({ title: 'Entwurf ohne Stichtag' });
    const run = (await send(staff.planner, 'post', '/api/steering/snapshots', {})).body as SnapshotRun;
    expect(run.taken).toBeGreaterThan(0);
    const repeat = (await send(staff.planner, 'post', '/api/steering/snapshots', {})).body as SnapshotRun;
    expect(repeat.taken).toBe(0);
    expect((await testDatabase.database.knex('steering_snapshots').where({ goal_id: draft.id })).length).toBe(0);
    await expect(testDatabase.database.knex('steering_snapshots').update({ value: 99 })).rejects.toThrow(/never changed/);
    await expect(testDatabase.database.knex('steering_snapshots').delete()).rejects.toThrow(/never changed/);
  });

  it('are taken by the server\'s schedule on the first of the month; editing an offer later changes the next snapshot, not the old ones', async () => {
    const scheduler = createSnapshotScheduler({ steering, logger: silentLogger });
    const goal = await adopt(await createGoal({ title: 'Ost erreichen', areaIds: [city.s3.id], target: { value: 100, deadline: '2028-12-31' } }));
    now = new Date('2027-05-01T00:00:00Z');
    const may = await scheduler.tick();
    expect(may).toMatchObject({ month: '2027-05' });
    expect(may.taken).toBeGreaterThan(0);
    // An offer in Ost after the snapshot: May stays at 0 %, June shows 100 %.
    const offer = await createPublishedOffer(staff.editorA, {
      departmentCode: staff.departmentA.code,
      locations: [{ name: 'Treff Ost', geometry: { type: 'Point', coordinates: [6.975, 50.935] } }],
    });
    expect((await scheduler.tick()).taken).toBe(0);
    now = new Date('2027-06-01T00:00:00Z');
    await scheduler.tick();
    const tracking = (await staff.planner.agent.get(`/api/steering/goals/${goal.id}/tracking`)).body as GoalTracking;
    expect(tracking.snapshots.map((snapshot) => [snapshot.month, snapshot.value, snapshot.trigger])).toEqual([
      ['2027-05', 0, 'schedule'],
      ['2027-06', 100, 'schedule'],
    ]);
    await send(staff.editorA, 'post', `/api/offers/${offer.id}/archive`, {});
  });

  it('refuse a month other than the current one', async () => {
    now = new Date('2027-02-10T10:00:00Z');
    const response = await send(staff.planner, 'post', '/api/steering/snapshots', { month: '2026-11' });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ field: 'month', code: 'snapshot_month' });
  });
});

describe('process figures', () => {
  it('are entered by the goal\'s department with who and from which source; a missing month is missing, not zero', async () => {
    now = new Date('2027-03-15T10:00:00Z');
    const goal = await adopt(
      await createGoal({
        title: 'Beratungsgespräche im Veedel',
        areaIds: [city.s1.id],
        keyFigure: { kind: 'process', label: 'Beratungsgespräche pro Monat', unit: 'count' },
        baseline: { value: 20, date: '2027-01-01' },
        target: { value: 40, deadline: '2027-12-31' },
      }),
    );
    const future = await send(staff.editorA, 'post', `/api/steering/goals/${goal.id}/process-values`, { month: '2027-04', value: 25, source: 'Fallstatistik' });
    expect(future.status).toBe(400);
    expect(future.body.errors[0]).toMatchObject({ field: 'month', code: 'future_month' });
    const otherDepartment = await send(staff.editorB, 'post', `/api/steering/goals/${goal.id}/process-values`, { month: '2027-02', value: 25, source: 'x' });
    expect(otherDepartment.status).toBe(403);

    // No value for February: the March snapshot says missing.
    now = new Date('2027-03-01T00:10:00Z');
    await send(staff.planner, 'post', '/api/steering/snapshots', {});
    const entered = await send(staff.editorA, 'post', `/api/steering/goals/${goal.id}/process-values`, { month: '2027-03', value: 26, source: 'Fallstatistik Amt 50' });
    expect(entered.status, JSON.stringify(entered.body)).toBe(201);
    expect(entered.body as ProcessValue).toMatchObject({ month: '2027-03', value: 26, source: 'Fallstatistik Amt 50', enteredBy: staff.editorA.user.email });
    now = new Date('2027-04-01T00:10:00Z');
    await send(staff.planner, 'post', '/api/steering/snapshots', {});
    const tracking = (await staff.planner.agent.get(`/api/steering/goals/${goal.id}/tracking`)).body as GoalTracking;
    expect(tracking.snapshots.map((snapshot) => [snapshot.month, snapshot.value, snapshot.areas[0]!.missing])).toEqual([
      ['2027-03', null, true],
      ['2027-04', 26, false],
    ]);
    expect(tracking.snapshots[0]!.status).toBe('no_data');
  });
});

describe('the coverage batch behind a snapshot', () => {
  it('answers several questions exactly as one by one', async () => {
    const coverage = createCoverageService({ db: testDatabase.database.knex, taxonomies: createTaxonomiesService({ db: testDatabase.database.knex }) });
    const questions = [
      { offerType: 'senior_meeting_place' },
      { offerType: 'senior_meeting_place', distance: 1000 },
      { offerType: 'senior_meeting_place', mode: 'airline' as const, distance: 800 },
      { targetGroup: 'seniors', distance: 700 },
    ];
    const batch = await coverage.coverageMany(questions);
    const single = await Promise.all(questions.map((question) => coverage.coverage(question, 'body')));
    const withoutTimes = (result: CoverageResult) => ({ ...result, method: { ...result.method, computedAt: '', computeMilliseconds: 0 } });
    expect(batch.map(withoutTimes)).toEqual(single.map(withoutTimes));
  });

  it('gives the snapshot the same reach figures from the shared nearest distances as the full computation', async () => {
    // Its own offer, so that distances decide who is covered whatever ran before: 1.19 km airline
    // from Ost's residents (kept at the area, no streets), 1.55 km with the walking detour factor.
    const offer = await createPublishedOffer(staff.editorA, {
      name: 'Treff für den Distanzvergleich',
      departmentCode: staff.departmentA.code,
      locations: [{ name: 'Treff Mitte', geometry: { type: 'Point', coordinates: [6.958, city.lat] } }],
    });
    const coverage = createCoverageService({ db: testDatabase.database.knex, taxonomies: createTaxonomiesService({ db: testDatabase.database.knex }) });
    // Three distances of one offer type share one nearest-distance computation; airline and a target group do not.
    const questions = [
      { offerType: 'senior_meeting_place', distance: 300 },
      { offerType: 'senior_meeting_place', distance: 700 },
      { offerType: 'senior_meeting_place', distance: 1500 },
      { offerType: 'senior_meeting_place', mode: 'airline' as const, distance: 1400 },
      { targetGroup: 'seniors', distance: 700 },
    ];
    const full = await coverage.coverageMany(questions);
    const figures = await coverage.coverageFigures(questions);
    const pick = (row: { areaId: string; targetPopulation: number; coveredPopulation: number; uncoveredPopulation: number; offers: number; capacity: number | null }) => ({
      areaId: row.areaId,
      targetPopulation: Number(row.targetPopulation.toFixed(6)),
      coveredPopulation: Number(row.coveredPopulation.toFixed(6)),
      uncoveredPopulation: Number(row.uncoveredPopulation.toFixed(6)),
      offers: row.offers,
      capacity: row.capacity,
    });
    expect(figures.map((result) => result.areas.map(pick))).toEqual(full.map((result) => result.areas.map(pick)));
    expect(figures.map((result) => result.method.reach)).toEqual(full.map((result) => result.method.reach));
    // Not a vacuous comparison: the distances matter in this city.
    const coveredCity = figures.slice(0, 3).map((result) => result.areas.find((row) => row.level === 'city')!.coveredPopulation);
    expect(coveredCity[0]).toBeLessThan(coveredCity[2]!);
    const ost = (result: { areas: { areaId: string; coveredPopulation: number }[] }) => result.areas.find((row) => row.areaId === city.s3.id)!.coveredPopulation;
    expect([ost(figures[2]!), ost(figures[3]!)]).toEqual([0, 30]);
    await send(staff.editorA, 'post', `/api/offers/${offer.id}/archive`, {});
  });
});

describe('dashboard and public view', () => {
  it('groups goals by Handlungsfeld with their status and monthly series; the public sees adopted goals only', async () => {
    const draft = await createGoal({ title: 'Noch nicht beschlossen', fieldOfAction: 'health' });
    const dashboard = (await staff.planner.agent.get('/api/steering/dashboard')).body as Dashboard;
    expect(dashboard.fields.map((field) => field.fieldOfAction)).toEqual(['income', 'employment', 'housing', 'health', 'environment', 'participation']);
    const participation = dashboard.fields.find((field) => field.fieldOfAction === 'participation')!;
    const tracked = participation.goals.find((entry) => entry.goal.title === 'Treffpunkte West und Mitte')!;
    const tracking = (await staff.planner.agent.get(`/api/steering/goals/${tracked.goal.id}/tracking`)).body as GoalTracking;
    expect(tracked.series.map((point) => [point.month, point.value])).toEqual(tracking.snapshots.map((snapshot) => [snapshot.month, snapshot.value]));
    expect(tracked.series.slice(0, 2).map((point) => point.month)).toEqual(['2026-12', '2027-01']);
    expect(tracked.status).toBe(tracking.status);
    expect(['on_track', 'at_risk', 'off_track']).toContain(tracked.status);
    expect(dashboard.fields.find((field) => field.fieldOfAction === 'health')!.goals.map((entry) => entry.goal.id)).toContain(draft.id);

    const publicView = await request(app).get('/api/steering/public/dashboard');
    expect(publicView.status).toBe(200);
    const publicGoals = (publicView.body as Dashboard).fields.flatMap((field) => field.goals.map((entry) => entry.goal));
    expect(publicGoals.length).toBeGreaterThan(0);
    expect(publicGoals.every((goal) => goal.status === 'adopted' || goal.status === 'achieved')).toBe(true);
    expect((await request(app).get(`/api/steering/public/goals/${draft.id}`)).status).toBe(404);
    const inOst = (await staff.planner.agent.get('/api/steering/goals').query({ area: city.s3.id })).body.items as Goal[];
    expect(inOst.map((goal) => goal.title)).toContain('Ost erreichen');
    expect(inOst.every((goal) => goal.scope === 'city' || goal.areas.some((area) => area.id === city.s3.id))).toBe(true);
    expect(inOst.map((goal) => goal.title)).not.toContain('Treffpunkte West und Mitte');
    const byDepartment = (await staff.planner.agent.get('/api/steering/dashboard').query({ department: staff.departmentB.code })).body as Dashboard;
    expect(byDepartment.fields.flatMap((field) => field.goals)).toEqual([]);
  });
});

describe('the offers behind a coverage figure', () => {
  it('lists the counted offers located in the goal\'s areas, for staff and, once adopted, for everyone', async () => {
    const goal = await createGoal({ title: 'Treffs im Osten gezählt', areaIds: [city.s3.id], target: { value: 100, deadline: '2028-12-31' } });
    const inOst = await createPublishedOffer(staff.editorA, {
      name: 'Treff Ost für die Angebotsliste',
      departmentCode: staff.departmentA.code,
      locations: [{ name: 'Treff Ost', geometry: { type: 'Point', coordinates: [6.975, 50.935] } }],
    });
    const elsewhere = await createPublishedOffer(staff.editorA, {
      name: 'Treff West für die Angebotsliste',
      departmentCode: staff.departmentA.code,
      locations: [{ name: 'Treff West', geometry: { type: 'Point', coordinates: [6.905, city.lat] } }],
    });
    const staffView = await staff.planner.agent.get(`/api/steering/goals/${goal.id}/offers`);
    expect(staffView.status).toBe(200);
    const ids = (staffView.body.items as { offerId: string }[]).map((item) => item.offerId);
    expect(ids).toContain(inOst.id);
    expect(ids).not.toContain(elsewhere.id);
    expect(staffView.body.items.find((item: { offerId: string }) => item.offerId === inOst.id)).toMatchObject({
      name: 'Treff Ost für die Angebotsliste',
      areas: [{ id: city.s3.id }],
    });
    // A draft goal is not public; adopted it is.
    expect((await request(app).get(`/api/steering/public/goals/${goal.id}/offers`)).status).toBe(404);
    expect((await request(app).get(`/api/steering/goals/${goal.id}/offers`)).status).toBe(401);
    await adopt(goal);
    const publicView = await request(app).get(`/api/steering/public/goals/${goal.id}/offers`);
    expect(publicView.status).toBe(200);
    expect(publicView.body.items.map((item: { offerId: string }) => item.offerId)).toEqual(ids);
    // A process figure has no offers behind it.
    const process = await createGoal({ title: 'Beratungen gezählt', keyFigure: { kind: 'process', label: 'Beratungen', unit: 'count' }, baseline: { value: 10, date: '2026-01-01' }, target: { value: 20, deadline: '2027-12-31' } });
    expect((await staff.planner.agent.get(`/api/steering/goals/${process.id}/offers`)).body).toEqual({ goalId: process.id, applicable: false, items: [] });
    await send(staff.editorA, 'post', `/api/offers/${inOst.id}/archive`, {});
    await send(staff.editorA, 'post', `/api/offers/${elsewhere.id}/archive`, {});
  });
});

describe('history of goals, measures and process figures', () => {
  it('keeps every change of a measure and every entered or corrected process figure in the audit log, with field diffs', async () => {
    now = new Date('2027-03-10T10:00:00Z');
    const goal = await createGoal({
      title: 'Beratungen mit Verlauf',
      areaIds: [city.s1.id],
      keyFigure: { kind: 'process', label: 'Beratungen', unit: 'count' },
      baseline: { value: 10, date: '2026-01-01' },
      target: { value: 20, deadline: '2027-12-31' },
    });
    expect((await send(staff.editorA, 'post', `/api/steering/goals/${goal.id}/process-values`, { month: '2027-02', value: 10, source: 'Fallstatistik' })).status).toBe(201);
    expect((await send(staff.editorA, 'post', `/api/steering/goals/${goal.id}/process-values`, { month: '2027-02', value: 12, source: 'Fallstatistik, berichtigt' })).status).toBe(201);
    const goalHistory = (await staff.planner.agent.get(`/api/steering/goals/${goal.id}/history`)).body.items as { action: string; actor: { label: string }; changes: { field: string; before: unknown; after: unknown }[] }[];
    expect(goalHistory.map((entry) => entry.action)).toEqual(['steering_goal.created', 'steering_process_value.entered', 'steering_process_value.corrected']);
    expect(goalHistory[2]!.actor.label).toBe(staff.editorA.user.email);
    expect(goalHistory[2]!.changes).toContainEqual({ field: 'value', before: 10, after: 12 });

    const created = await send(staff.editorA, 'post', '/api/steering/measures', {
      kind: 'project',
      title: 'Sprechstunde im Veedel',
      goalIds: [goal.id],
      departmentCode: staff.departmentA.code,
      milestones: [{ title: 'Raum gefunden', dueDate: '2027-04-01' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const measure = created.body as Measure;
    const changed = await send(staff.editorA, 'patch', `/api/steering/measures/${measure.id}`, { progress: 40, status: 'in_progress' }, `"${measure.version}"`);
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const history = (await staff.planner.agent.get(`/api/steering/measures/${measure.id}/history`)).body.items as { action: string; version: number | null; changes: { field: string; before: unknown; after: unknown }[] }[];
    expect(history.map((entry) => [entry.action, entry.version])).toEqual([
      ['steering_measure.created', 1],
      ['steering_measure.updated', 2],
    ]);
    expect(history[1]!.changes).toEqual(
      expect.arrayContaining([
        { field: 'progress', before: 0, after: 40 },
        { field: 'status', before: 'planned', after: 'in_progress' },
      ]),
    );
  });

  it('offers the goal form the indicators a statistics goal can name, to staff only', async () => {
    const response = await staff.editorA.agent.get('/api/steering/indicators');
    expect(response.status).toBe(200);
    expect(response.body.items).toContainEqual({ code: 'population_75_plus', label: { de: expect.any(String), en: expect.any(String) }, unit: 'persons' });
    expect((await request(app).get('/api/steering/indicators')).status).toBe(401);
  });
});
