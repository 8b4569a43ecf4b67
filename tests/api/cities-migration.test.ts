import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, migrationConfig } from '../../server/db/migrate.ts';
import { insertStatistic, insertStreetSegment } from '../helpers/coverage-factories.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertArea, squarePolygon } from '../helpers/factories.ts';
import { insertSearchDepartment, insertSearchOffer } from '../helpers/search-factories.ts';

// Issue 13: several cities in one database. The migration gives every row that belongs to a city
// the configured default city (koeln in tests), loses nothing, and makes codes unique per city.

const citiesMigration = '20261204050100_create_cities.ts';
const cityTables = ['areas', 'indicators', 'street_segments', 'offers', 'departments', 'steering_goals', 'import_runs'] as const;

async function completedMigrations(knex: Knex): Promise<string[]> {
  const [completed] = (await knex.migrate.list(migrationConfig)) as [Array<{ name: string } | string>, unknown];
  return completed.map((entry) => (typeof entry === 'string' ? entry : entry.name));
}

async function countRows(knex: Knex): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [...cityTables, 'area_statistics', 'locations']) {
    const [row] = (await knex(table).count({ count: '*' })) as { count: string | number }[];
    counts[table] = Number(row?.count ?? 0);
  }
  return counts;
}

describe('the cities migration', () => {
  let testDatabase: TestDatabase;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('assigns every existing row to the default city without loss', async () => {
    const { knex } = testDatabase.database;
    // Back to the schema before the migration (and before any later one), then fill it with data.
    while ((await completedMigrations(knex)).includes(citiesMigration)) await knex.migrate.down(migrationConfig);
    expect(await knex.schema.hasTable('cities')).toBe(false);
    const departmentId = await insertSearchDepartment(knex);
    await insertSearchOffer(knex, { departmentId, name: 'Seniorentreff Altstadt', offerType: 'senior_meeting_place', locations: [[6.95, 50.94]] });
    const area = await insertArea(knex, { level: 'sozialraum', code: '101', name: 'Altstadt', geometry: squarePolygon(6.95, 50.94, 0.02) });
    await insertStatistic(knex, { areaId: area.id, indicatorCode: 'population_65_plus', year: 2012, value: 1234 });
    await insertStreetSegment(knex, { coordinates: [[6.949, 50.94], [6.951, 50.94]], areaId: area.id });
    const before = await countRows(knex);
    expect(before.offers).toBeGreaterThan(0);
    expect(before.indicators).toBeGreaterThan(20);

    await migrateToLatest(knex);

    expect(await countRows(knex)).toEqual(before);
    expect(await knex('cities').select('id', 'is_default')).toEqual([{ id: 'koeln', is_default: true }]);
    for (const table of cityTables) {
      const cities = (await knex(table).distinct('city_id')) as { city_id: string }[];
      expect(cities.map((row) => row.city_id).filter((city) => city !== 'koeln'), table).toEqual([]);
    }
    const statistic = (await knex('area_statistics as s')
      .join('areas as a', 'a.id', 's.area_id')
      .join('indicators as i', 'i.id', 's.indicator_id')
      .where({ 'a.code': '101', 'i.code': 'population_65_plus' })
      .first('s.value', 'a.city_id', knex.raw('i.city_id as indicator_city'))) as { value: number; city_id: string; indicator_city: string };
    expect(statistic).toEqual({ value: 1234, city_id: 'koeln', indicator_city: 'koeln' });
  });

  it('makes area, indicator and department codes unique per city, not per database', async () => {
    const { knex } = testDatabase.database;
    await knex('cities').insert({ id: 'zweitstadt', name: 'Zweitstadt' });
    const geometry = knex.raw('ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))', [JSON.stringify(squarePolygon(9.4, 54.78, 0.02))]);
    await knex('areas').insert({ city_id: 'zweitstadt', level: 'sozialraum', code: '101', name: 'Altstadt (Zweitstadt)', geom: geometry, area_m2: 1 });
    await knex('indicators').insert({ city_id: 'zweitstadt', code: 'population_65_plus', label_de: 'Ältere', label_en: 'Older', unit: 'persons', aggregation: 'sum' });
    await knex('departments').insert({ city_id: 'zweitstadt', code: '50', name: 'Sozialamt Zweitstadt' });
    await knex('departments').insert({ code: '50', name: 'Sozialamt der Standardstadt' });
    expect(await knex('areas').where({ level: 'sozialraum', code: '101' }).pluck('city_id')).toEqual(expect.arrayContaining(['koeln', 'zweitstadt']));
    await expect(
      knex('areas').insert({ city_id: 'zweitstadt', level: 'sozialraum', code: '101', name: 'Doppelt', geom: geometry, area_m2: 1 }),
    ).rejects.toMatchObject({ code: '23505' });
    await expect(
      knex('indicators').insert({ city_id: 'zweitstadt', code: 'population_65_plus', label_de: 'Doppelt', label_en: 'Twice', unit: 'persons', aggregation: 'sum' }),
    ).rejects.toMatchObject({ code: '23505' });
    // A row written without a city belongs to the default city.
    expect(await knex('departments').where({ code: '50', name: 'Sozialamt der Standardstadt' }).pluck('city_id')).toEqual(['koeln']);
  });

  it('refuses to roll back while the database holds several cities', async () => {
    const { knex } = testDatabase.database;
    while ((await completedMigrations(knex)).at(-1) !== citiesMigration) await knex.migrate.down(migrationConfig);
    await expect(knex.migrate.down(migrationConfig)).rejects.toThrow(/several cities/);
    await migrateToLatest(knex);
  });
});
