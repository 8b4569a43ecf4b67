import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKoeln } from '../../bench/coverage-koeln-data.ts';
import type { AreaCoverage, ScenarioResult } from '../../server/coverage/coverage.schema.ts';
import type { Goal, GoalTracking, Measure, Needs, SnapshotRun } from '../../server/steering/steering.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createStaff, type SignedIn, type Staff } from '../helpers/offer-factories.ts';
import { geodataMissing } from './import-geodata.ts';

// The full steering cycle on the real Cologne data (86 Stadtteile, population 2012, 15,846 street
// segments): a goal for seniors in three Stadtteile of the "Lebenswerte Veedel" programme in the
// north (Chorweiler, Seeberg, Blumenberg) → needs with suggested locations → a measure with a
// planned senior meeting place → its expected effect → the offer opens → the next snapshot.
const files = ['koeln-koelnapi/koeln_stadtteile_2013.geojson', 'koeln-koelnapi/koeln_strassenabschnitte_2013.geojson'];

describe.skipIf(geodataMissing(files))('the steering cycle on the Cologne data', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let staff: Staff;
  let now = new Date('2026-12-01T05:00:00Z');

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await loadKoeln(testDatabase.database);
    app = createTestApp(testDatabase.database, {}, { steeringClock: () => now });
    staff = await createStaff(testDatabase.database.knex, app);
  }, 300_000);

  afterAll(async () => {
    await testDatabase?.destroy();
  });

  function send(as: SignedIn, method: 'post' | 'patch', path: string, body: object = {}, ifMatch?: string) {
    const call = as.agent[method](path).set('X-CSRF-Token', as.csrfToken);
    if (ifMatch) call.set('If-Match', ifMatch);
    return call.send(body);
  }

  it('walks goal → needs → measure → expected effect → opening → next snapshot, and the figure moves as predicted', async () => {
    const areas = (await testDatabase.database.knex('areas')
      .where({ level: 'sozialraum' })
      .whereIn('name', ['Chorweiler', 'Seeberg', 'Blumenberg'])
      .select('id', 'name')) as { id: string; name: string }[];
    expect(areas).toHaveLength(3);

    // 1. The goal: 60 % of the residents 65+ of the three Stadtteile within 500 m walking of a senior meeting place.
    const created = await send(staff.planner, 'post', '/api/steering/goals', {
      fieldOfAction: 'participation',
      title: 'Seniorentreffs in Gehweite im Kölner Norden',
      targetGroup: 'seniors',
      scope: 'areas',
      areaIds: areas.map((area) => area.id),
      keyFigure: { kind: 'coverage', measure: 'share_within_reach', offerType: 'senior_meeting_place', mode: 'walk', distance: 500 },
      baseline: { value: 0, date: '2026-01-01' },
      target: { value: 60, deadline: '2029-12-31' },
      ownerDepartmentCode: staff.departmentA.code,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const adopted = await send(staff.admin, 'post', `/api/steering/goals/${(created.body as Goal).id}/status`, { status: 'adopted' }, '"1"');
    expect(adopted.status).toBe(200);
    const goal = adopted.body as Goal;

    // 2. Needs: the gap per Stadtteil and where one new meeting place reaches most uncovered seniors.
    const needsResponse = await staff.planner.agent.get(`/api/steering/goals/${goal.id}/needs`).query({ suggestions: 3 });
    expect(needsResponse.status).toBe(200);
    const needs = needsResponse.body as Needs;
    expect(needs.areas.map((area) => area.name).sort()).toEqual(['Blumenberg', 'Chorweiler', 'Seeberg']);
    for (const area of needs.areas) {
      expect(area.gap).toBeCloseTo(60 - area.current!, 9);
      expect(area.uncoveredResidents).toBeGreaterThan(0);
    }
    expect(needs.suggestions).toHaveLength(3);
    const gains = needs.suggestions.map((suggestion) => suggestion.newlyCovered);
    expect([...gains].sort((left, right) => right - left)).toEqual(gains);
    const best = needs.suggestions[0]!;
    expect(areas.map((area) => area.id)).toContain(best.areaId);
    expect(best.streetName).toBeTruthy();

    // The suggestion's gain is what the what-if engine computes for an offer at that place.
    const scenario = (await staff.planner.agent
      .post('/api/coverage/scenario')
      .set('X-CSRF-Token', staff.planner.csrfToken)
      .send({ offerType: 'senior_meeting_place', mode: 'walk', distance: 500, offers: [{ lon: best.lon, lat: best.lat }] })).body as ScenarioResult;
    const covered = (rows: AreaCoverage[]) =>
      rows.filter((row) => areas.some((area) => area.id === row.areaId)).reduce((sum, row) => sum + row.coveredPopulation, 0);
    expect(covered(scenario.scenario) - covered(scenario.baseline)).toBeCloseTo(best.newlyCovered, 6);

    // 3. The snapshot of December, before anything changed.
    const december = (await send(staff.planner, 'post', '/api/steering/snapshots', {})).body as SnapshotRun;
    expect(december).toMatchObject({ month: '2026-12', taken: 1 });

    // 4. A measure with a planned meeting place at the best location, and its expected effect.
    const measureResponse = await send(staff.editorA, 'post', '/api/steering/measures', {
      kind: 'new_offer',
      title: `Seniorentreff ${best.streetName}`,
      goalIds: [goal.id],
      departmentCode: staff.departmentA.code,
      plannedOffer: { name: `Seniorentreff ${best.streetName}`, offerType: 'senior_meeting_place', lon: best.lon, lat: best.lat },
      milestones: [{ title: 'Eröffnung', dueDate: '2026-12-20' }],
    });
    expect(measureResponse.status, JSON.stringify(measureResponse.body)).toBe(201);
    const measure = measureResponse.body as Measure;
    const effect = (await staff.planner.agent.get(`/api/steering/measures/${measure.id}/effect`)).body as { items: { change: number }[] };
    const predicted = effect.items[0]!.change;
    expect(predicted).toBeGreaterThan(0);

    // 5. The offer opens: a real draft, then published by its department.
    const opened = await send(staff.editorA, 'post', `/api/steering/measures/${measure.id}/open`, {}, `"${measure.version}"`);
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const offerId = (opened.body as Measure).offerId!;
    expect((await send(staff.editorA, 'post', `/api/offers/${offerId}/publish`, {})).status).toBe(200);

    // 6. The next month's snapshot: the figure moved by the amount the what-if predicted.
    now = new Date('2027-01-01T05:00:00Z');
    expect(((await send(staff.planner, 'post', '/api/steering/snapshots', {})).body as SnapshotRun).taken).toBe(1);
    const tracking = (await staff.planner.agent.get(`/api/steering/goals/${goal.id}/tracking`)).body as GoalTracking;
    expect(tracking.snapshots.map((snapshot) => snapshot.month)).toEqual(['2026-12', '2027-01']);
    const [before, after] = tracking.snapshots;
    expect(after!.value! - before!.value!).toBeCloseTo(predicted, 9);
    expect(tracking.measures[0]!.offerId).toBe(offerId);
  }, 300_000);
});
