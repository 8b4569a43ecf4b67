import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertArea, squarePolygon, uniqueCode } from '../helpers/factories.ts';

async function expectRejected(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

async function insertDepartment(knex: Knex): Promise<string> {
  const [row] = (await knex('departments').insert({ code: uniqueCode('D'), name: 'Amt für Tests' }).returning('id')) as { id: string }[];
  return row!.id;
}

async function offerTypeId(knex: Knex, code = 'senior_meeting_place'): Promise<string> {
  const row = (await knex('taxonomy_terms').where({ taxonomy: 'offer_type', code }).first('id')) as { id: string };
  return row.id;
}

describe('the database itself guards integrity', () => {
  let testDatabase: TestDatabase;
  let knex: Knex;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    knex = testDatabase.database.knex;
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('refuses an invalid (self-intersecting) area polygon', async () => {
    const bowtie: GeoJSON.Polygon = {
      type: 'Polygon',
      coordinates: [[[6.9, 50.9], [6.91, 50.91], [6.91, 50.9], [6.9, 50.91], [6.9, 50.9]]],
    };
    await expectRejected(insertArea(knex, { geometry: bowtie }), '23514');
  });

  it('refuses an unknown area level and a duplicate code on one level', async () => {
    await expectRejected(insertArea(knex, { level: 'planet' as never }), '23514');
    const code = uniqueCode();
    await insertArea(knex, { code });
    await expectRejected(insertArea(knex, { code }), '23505');
  });

  it('keeps one statistic per area, indicator and period', async () => {
    const area = await insertArea(knex);
    const indicator = (await knex('indicators').where({ code: 'population_total' }).first('id')) as { id: string };
    const row = { area_id: area.id, indicator_id: indicator.id, period: '2012-12-31', value: 100 };
    await knex('area_statistics').insert(row);
    await expectRejected(knex('area_statistics').insert({ ...row, value: 101 }), '23505');
  });

  it('refuses an editor without a department and a password that is not argon2id', async () => {
    await expectRejected(
      knex('users').insert({ email: `${uniqueCode('e')}@example.org`, password_hash: '$argon2id$v=19$x', role: 'editor' }),
      '23514',
    );
    await expectRejected(
      knex('users').insert({ email: `${uniqueCode('a')}@example.org`, password_hash: 'plain', role: 'admin' }),
      '23514',
    );
  });

  it('refuses offers with min age above max age, an inconsistent reach or a wrong-taxonomy type', async () => {
    const departmentId = await insertDepartment(knex);
    const base = { department_id: departmentId, name: 'Seniorentreff', offer_type_id: await offerTypeId(knex) };
    await expectRejected(knex('offers').insert({ ...base, min_age: 70, max_age: 60 }), '23514');
    await expectRejected(knex('offers').insert({ ...base, reach_kind: 'walk' }), '23514');
    await expectRejected(knex('offers').insert({ ...base, reach_kind: 'area', reach_meters: 500 }), '23514');
    await expectRejected(knex('offers').insert({ ...base, languages: ['Deutsch'] }), '23514');
    const targetGroup = (await knex('taxonomy_terms').where({ taxonomy: 'target_group', code: 'seniors' }).first('id')) as { id: string };
    await expectRejected(knex('offers').insert({ ...base, offer_type_id: targetGroup.id }), '23503');
    const [ok] = (await knex('offers')
      .insert({ ...base, min_age: 60, reach_kind: 'walk', reach_meters: 500, languages: ['de', 'tr'] })
      .returning('version')) as { version: number }[];
    expect(ok?.version).toBe(1);
  });

  it('refuses locations outside the coordinate range', async () => {
    await expectRejected(
      knex('locations').insert({ geom: knex.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', [200, 50]) }),
      '23514',
    );
  });

  it('keeps audit events append-only', async () => {
    const [event] = (await knex('audit_events')
      .insert({ action: 'offer.create', entity_type: 'offer', entity_id: 'x', after: { name: 'a' } })
      .returning('id')) as { id: number }[];
    await expectRejected(knex('audit_events').where({ id: event!.id }).update({ action: 'offer.delete' }), '55000');
    await expectRejected(knex('audit_events').where({ id: event!.id }).delete(), '55000');
  });

  it('indexes areas with GiST so point lookups use the index', async () => {
    await insertArea(knex, { geometry: squarePolygon(7.0, 50.95) });
    const indexes = await knex.raw<{ rows: { indexdef: string }[] }>(
      "select indexdef from pg_indexes where tablename in ('areas', 'locations', 'street_segments') and indexdef ilike '%gist%'",
    );
    expect(indexes.rows.map((row) => row.indexdef).join('\n')).toMatch(/areas_geom_idx[\s\S]*locations_geom_idx|locations_geom_idx[\s\S]*areas_geom_idx/);
    expect(indexes.rows.length).toBeGreaterThanOrEqual(4);
  });
});
