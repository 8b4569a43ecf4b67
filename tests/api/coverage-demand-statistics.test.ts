import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { listDemandStatistics } from '../../server/coverage/coverage.repo.ts';
import { insertStatistic } from '../helpers/coverage-factories.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertArea, squarePolygon, uniqueCode } from '../helpers/factories.ts';

// The residents a coverage question counts: each current Sozialraum's value of the year (the
// latest period in it), and the value of the version it replaced when the boundary is unchanged.

let testDatabase: TestDatabase;
let knex: Knex;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  knex = testDatabase.database.knex;
});

afterAll(async () => {
  await testDatabase.destroy();
});

/** A Sozialraum replaced on 2020-01-01 by a current version whose boundary changed by `boundaryChange`. */
async function replacedSozialraum(boundaryChange: number): Promise<{ oldId: string; currentId: string }> {
  const code = uniqueCode('SR');
  const old = await insertArea(knex, { code, geometry: squarePolygon(6.9, 50.9, 0.01) });
  await knex('areas').where('id', old.id).update({ valid_from: '2010-01-01', valid_to: '2020-01-01' });
  const current = await insertArea(knex, { code, geometry: squarePolygon(6.9, 50.9, 0.01) });
  await knex('areas').where('id', current.id).update({ valid_from: '2020-01-01', predecessor_id: old.id, boundary_change: boundaryChange });
  return { oldId: old.id, currentId: current.id };
}

describe('listDemandStatistics (coverage demand)', () => {
  it('counts the values of the year for current Sozialräume, through an unchanged predecessor, not a changed one', async () => {
    const unchanged = await replacedSozialraum(0.001);
    const changed = await replacedSozialraum(0.2);
    const plain = await insertArea(knex, { code: uniqueCode('SR'), geometry: squarePolygon(6.92, 50.9, 0.01) });
    await insertStatistic(knex, { areaId: unchanged.oldId, indicatorCode: 'population_65_75', year: 2012, value: 40 });
    await insertStatistic(knex, { areaId: changed.oldId, indicatorCode: 'population_65_75', year: 2012, value: 50 });
    await insertStatistic(knex, { areaId: plain.id, indicatorCode: 'population_65_75', year: 2011, value: 7 });
    await insertStatistic(knex, { areaId: plain.id, indicatorCode: 'population_65_75', year: 2012, value: 12 });
    await knex('area_statistics').insert({
      area_id: plain.id,
      indicator_id: knex('indicators').where('code', 'population_65_75').first('id'),
      period: '2012-06-30',
      value: 10,
      source: 'test-statistics',
    });
    await insertStatistic(knex, { areaId: plain.id, indicatorCode: 'population_75_plus', year: 2012, value: 5 });

    const ours = new Set([unchanged.currentId, changed.currentId, plain.id, unchanged.oldId, changed.oldId]);
    const rows = (await listDemandStatistics(knex, undefined, ['population_65_75', 'population_75_plus'], 2012)).filter((row) =>
      ours.has(row.areaId),
    );

    expect(rows.sort((left, right) => left.value - right.value)).toEqual([
      { areaId: plain.id, indicatorCode: 'population_75_plus', period: '2012-12-31', value: 5, source: 'test-statistics' },
      { areaId: plain.id, indicatorCode: 'population_65_75', period: '2012-12-31', value: 12, source: 'test-statistics' },
      { areaId: unchanged.currentId, indicatorCode: 'population_65_75', period: '2012-12-31', value: 40, source: 'test-statistics' },
    ]);
  });

  it('reads only the indicators asked for, and nothing for a year without values', async () => {
    const area = await insertArea(knex, { code: uniqueCode('SR'), geometry: squarePolygon(6.94, 50.9, 0.01) });
    await insertStatistic(knex, { areaId: area.id, indicatorCode: 'population_65_75', year: 2013, value: 3 });
    await insertStatistic(knex, { areaId: area.id, indicatorCode: 'population_75_plus', year: 2013, value: 4 });

    const only = await listDemandStatistics(knex, undefined, ['population_75_plus'], 2013);
    expect(only.filter((row) => row.areaId === area.id).map((row) => [row.indicatorCode, row.value])).toEqual([['population_75_plus', 4]]);
    const none = await listDemandStatistics(knex, undefined, ['population_65_75', 'population_75_plus'], 2014);
    expect(none.filter((row) => row.areaId === area.id)).toEqual([]);
  });
});
