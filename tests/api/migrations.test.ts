import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedReferenceData } from '../../seeds/reference-data.ts';
import { migrateToLatest, migrationConfig, rollbackAll, TypeScriptMigrationSource } from '../../server/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertSearchDepartment, insertSearchOffer } from '../helpers/search-factories.ts';

async function ourTables(testDatabase: TestDatabase): Promise<string[]> {
  const result = await testDatabase.database.knex.raw<{ rows: { table_name: string }[] }>(
    `select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE'
        and table_name not like 'knex_migrations%' and table_name <> 'spatial_ref_sys'
      order by table_name`,
  );
  return result.rows.map((row) => row.table_name);
}

describe('migrations', () => {
  let testDatabase: TestDatabase;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('roll back completely and migrate again', async () => {
    const { knex } = testDatabase.database;
    const before = await ourTables(testDatabase);
    expect(before).toEqual(
      expect.arrayContaining([
        'areas', 'area_statistics', 'audit_events', 'departments', 'indicators', 'locations', 'location_areas',
        'offer_locations', 'offer_terms', 'offers', 'organizations', 'sessions', 'street_segments',
        'taxonomies', 'taxonomy_terms', 'users',
      ]),
    );
    const all = await new TypeScriptMigrationSource().getMigrations();
    const reverted = await rollbackAll(knex);
    expect(reverted.sort()).toEqual(all);
    expect(await ourTables(testDatabase)).toEqual([]);
    const applied = await migrateToLatest(knex);
    expect(applied).toEqual(all);
    expect(await ourTables(testDatabase)).toEqual(before);
  });

  it('apply the newest migration to a database that already holds offers', async () => {
    // Upgrades run on data: a backfill that queues trigger events must not make later DDL fail
    // (PostgreSQL: "cannot CREATE INDEX … because it has pending trigger events").
    const { knex } = testDatabase.database;
    await seedReferenceData(knex);
    await knex.migrate.down(migrationConfig);
    const departmentId = await insertSearchDepartment(knex);
    await insertSearchOffer(knex, { departmentId, name: 'Schuldnerberatung Süd', offerType: 'debt_counselling', locations: [[6.95, 50.94]] });
    const applied = await migrateToLatest(knex);
    expect(applied).toEqual((await new TypeScriptMigrationSource().getMigrations()).slice(-1));
    const row = await knex('offers').where({ name: 'Schuldnerberatung Süd' }).first('search_endings');
    expect(row.search_endings).toContain('tareb');
  });

  it('name every migration by date and verb_object', async () => {
    const names = await new TypeScriptMigrationSource().getMigrations();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^\d{14}_[a-z]+_[a-z0-9_]+\.ts$/);
  });
});
