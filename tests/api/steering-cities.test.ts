import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Goal } from '../../server/steering/steering.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { squarePolygon } from '../helpers/factories.ts';
import { insertUser, signIn, type SignedIn } from '../helpers/offer-factories.ts';

// Issue 13: two cities in one database use the same codes for areas, departments and indicators.
// Each portal's steering must read its own: one goal per city, each measured on its own figures.
const cities = {
  koeln: { seniors: 120, lon: 6.95, lat: 50.93 },
  berlin: { seniors: 700, lon: 13.4, lat: 52.52 },
} as const;
type CityId = keyof typeof cities;

let testDatabase: TestDatabase;
const apps = {} as Record<CityId, Express>;
const planners = {} as Record<CityId, SignedIn>;
const areaIds = {} as Record<CityId, string>;
const departmentIds = {} as Record<CityId, string>;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  const knex = testDatabase.database.knex;
  await knex('cities').insert({ id: 'berlin', name: 'Berlin' }).onConflict('id').ignore();
  // Berlin's copy of the indicator: same code, its own row.
  await knex.raw(
    `insert into indicators (city_id, code, label_de, label_en, unit, aggregation, sort_order)
     select 'berlin', code, label_de, label_en, unit, aggregation, sort_order from indicators where city_id = 'koeln' and code = 'population_65_plus'
     on conflict do nothing`,
  );
  for (const cityId of Object.keys(cities) as CityId[]) {
    const { seniors, lon, lat } = cities[cityId];
    const [area] = (await knex('areas')
      .insert({ city_id: cityId, level: 'sozialraum', code: 'S1', name: `Mitte ${cityId}`, geom: knex.raw('ST_GeomFromGeoJSON(?)', [JSON.stringify(squarePolygon(lon, lat))]), area_m2: 1_000_000 })
      .returning('id')) as { id: string }[];
    areaIds[cityId] = area!.id;
    const indicator = (await knex('indicators').where({ city_id: cityId, code: 'population_65_plus' }).first('id')) as { id: string };
    await knex('area_statistics').insert({ area_id: area!.id, indicator_id: indicator.id, period: '2025-12-31', value: seniors });
    const [department] = (await knex('departments').insert({ city_id: cityId, code: 'SOZ', name: `Sozialamt ${cityId}` }).returning('id')) as { id: string }[];
    departmentIds[cityId] = department!.id;
    apps[cityId] = createTestApp(testDatabase.database, { city: cityId });
    planners[cityId] = await signIn(apps[cityId], await insertUser(knex, { role: 'planner' }));
  }
}, 400_000);

afterAll(async () => {
  await testDatabase?.destroy();
});

function statisticGoal(cityId: CityId, areaId = areaIds[cityId]) {
  return {
    fieldOfAction: 'health',
    title: `Senioren in ${cityId}`,
    targetGroup: 'seniors',
    scope: 'areas',
    areaIds: [areaId],
    keyFigure: { kind: 'statistic', indicator: 'population_65_plus' },
    baseline: { value: 100, date: '2026-01-01' },
    target: { value: 1000, deadline: '2028-12-31' },
    ownerDepartmentCode: 'SOZ',
    contributingDepartmentCodes: [],
  };
}

function post(cityId: CityId, path: string, body: object) {
  return planners[cityId].agent.post(path).set('X-CSRF-Token', planners[cityId].csrfToken).send(body);
}

describe('steering in two cities with the same codes', () => {
  const goals = {} as Record<CityId, Goal>;

  beforeAll(async () => {
    for (const cityId of Object.keys(cities) as CityId[]) {
      const response = await post(cityId, '/api/steering/goals', statisticGoal(cityId));
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      goals[cityId] = response.body as Goal;
    }
  }, 120_000);

  it('gives each goal the department and the area of its own city', async () => {
    for (const cityId of Object.keys(cities) as CityId[]) {
      expect(goals[cityId].ownerDepartment.id).toBe(departmentIds[cityId]);
      expect(goals[cityId].areas.map((area) => area.id)).toEqual([areaIds[cityId]]);
      const stored = (await testDatabase.database.knex('steering_goals').where('id', goals[cityId].id).first('city_id')) as { city_id: string };
      expect(stored.city_id).toBe(cityId);
    }
  });

  it('measures each goal on its own city\'s statistic', async () => {
    for (const cityId of Object.keys(cities) as CityId[]) {
      const response = await planners[cityId].agent.get(`/api/steering/goals/${goals[cityId].id}/figure`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body.value).toBe(cities[cityId].seniors);
    }
  });

  it('lists and shows only the city\'s own goals', async () => {
    for (const cityId of Object.keys(cities) as CityId[]) {
      const other: CityId = cityId === 'koeln' ? 'berlin' : 'koeln';
      const list = await planners[cityId].agent.get('/api/steering/goals');
      expect(list.status).toBe(200);
      expect((list.body.items as Goal[]).map((goal) => goal.id)).toEqual([goals[cityId].id]);
      expect((await planners[cityId].agent.get(`/api/steering/goals/${goals[other].id}`)).status).toBe(404);
    }
  });

  it('refuses an area of the other city', async () => {
    const response = await post('koeln', '/api/steering/goals', statisticGoal('koeln', areaIds.berlin));
    expect(response.status).toBe(400);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field: 'areaIds.0', code: 'unknown_area' }));
  });
});
