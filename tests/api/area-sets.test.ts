import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../server/cli/cli-context.ts';
import { cliCommands } from '../../server/cli/commands.ts';
import { createProgram } from '../../server/cli/program.ts';
import type { AreaProfile, CoverageResult } from '../../server/coverage/coverage.schema.ts';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import { createImportsService, type ImportsService } from '../../server/imports/imports.service.ts';
import type { ImportReport } from '../../server/imports/imports.schema.ts';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import { createTestApp, silentLogger, testConfig } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { geodataDir, geodataMissing } from './import-geodata.ts';

const files = ['koeln-koelnapi/koeln_stadtbezirke_2013.geojson', 'koeln-koelnapi/koeln_stadtteile_2013.geojson', 'koeln-koelnapi/koeln_bevoelkerung_stadtteile_2005-2012.csv'];

const setFile = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../geodata/area-sets/koeln-lebenswerte-veedel.json'), 'utf8')) as {
  sets: { code: string; name: string; memberLevel: string; members: string[] }[];
};
// Porz-Ost, Finkenberg, Gremberghoven, Eil: four Stadtteile.
const porz = setFile.sets.find((set) => set.code === 'LV11')!;

// Issue 13: Cologne's eleven Sozialräume of "Lebenswerte Veedel" as unions of Stadtteile.
describe.skipIf(geodataMissing(files))('area sets: the Lebenswerte Veedel of Cologne', () => {
  let testDatabase: TestDatabase;
  let imports: ImportsService;
  let app: Express;
  let scratch: string;
  let report: ImportReport;

  const rows = async <Row,>(sql: string, bindings: unknown[] = []): Promise<Row[]> =>
    ((await testDatabase.database.knex.raw(sql, bindings as never)) as { rows: Row[] }).rows;
  const setId = async (code: string): Promise<string> =>
    (await rows<{ id: string }>(`select id from areas where level = 'area_set' and code = ? and valid_to is null`, [code]))[0]!.id;

  /** Runs the admin command line against the test database; returns the exit code and what it printed. */
  async function cli(...args: string[]): Promise<{ code: number; output: string }> {
    const output: string[] = [];
    const context: CliContext = {
      config: testConfig({ geodataDir }),
      logger: silentLogger,
      datasets: createDatasetsService({ geodataDir, city: 'koeln' }),
      database: async () => testDatabase.database,
      out: (text) => output.push(text),
      err: (text) => output.push(text),
      close: async () => undefined,
    };
    process.exitCode = undefined;
    await createProgram(cliCommands, () => context).parseAsync(['node', 'cli', ...args]);
    const code = Number(process.exitCode ?? 0);
    process.exitCode = undefined;
    return { code, output: output.join('\n') };
  }

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'angebotsatlas-sets-'));
    const datasets = createDatasetsService({ geodataDir, city: 'koeln' });
    imports = createImportsService({ db: testDatabase.database.knex, taxonomies: createTaxonomiesService({ db: testDatabase.database.knex }), datasets, logger: silentLogger });
    app = createTestApp(testDatabase.database, { geodataDir });
    const base = await imports.runAll(['koeln-stadtbezirke', 'koeln-stadtteile', 'koeln-bevoelkerung'].map((id) => imports.resolve(id)), { actor: 'test' });
    expect(base.ok, JSON.stringify(base.reports.map((one) => one.errors.slice(0, 3)))).toBe(true);
    // A share on two of the members, to see that it is not summed.
    await testDatabase.database.knex.raw(
      `insert into area_statistics (area_id, indicator_id, period, value, source)
       select a.id, i.id, date '2012-12-31', v.value, 'test'
         from (values ('706', 12.5), ('716', 30.0), ('704', 8.0), ('705', 6.5)) as v(code, value)
         join areas a on a.level = 'sozialraum' and a.code = v.code and a.valid_to is null
         join indicators i on i.code = 'sgb2_rate' and i.city_id = a.city_id`,
    );
    report = await imports.run(imports.resolve('koeln-lebenswerte-veedel'), { actor: 'test' });
  }, 240_000);
  afterAll(async () => {
    await testDatabase?.destroy();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('imports the eleven sets as areas of level area_set, each the union of its Stadtteile with its member list kept', async () => {
    expect(report.status, JSON.stringify(report.errors)).toBe('succeeded');
    // Members do not overlap: the union's area is the sum of theirs, and it holds each of them.
    // (No ST_SymDifference here: the embedded database answers a GEOS error with no rows.)
    const sets = await rows<{ code: string; name: string; members: string[]; area_m2: number; members_m2: number; covered: boolean }>(
      `select s.code, s.name, array_agg(m.code order by m.code) as members, s.area_m2,
              sum(m.area_m2) as members_m2, bool_and(ST_Covers(s.geom, ST_PointOnSurface(m.geom))) as covered
         from areas s
         join area_set_members sm on sm.set_id = s.id
         join areas m on m.level = sm.member_level and m.code = sm.member_code and m.city_id = s.city_id and m.valid_to is null
        where s.level = 'area_set' and s.valid_to is null group by s.id order by s.code`,
    );
    expect(sets.map((set) => set.code)).toEqual(setFile.sets.map((set) => set.code));
    for (const set of sets) {
      const listed = setFile.sets.find((candidate) => candidate.code === set.code)!;
      expect(set.members).toEqual([...listed.members].sort());
      expect(set.name).toBe(listed.name);
      expect(set.covered).toBe(true);
      expect(Number(set.area_m2) / Number(set.members_m2)).toBeCloseTo(1, 3);
    }
  });

  it('sums every count of the members per period, equal to the sum computed here from the Stadtteile', async () => {
    const expected = await rows<{ code: string; period: string; value: number }>(
      `select i.code, to_char(s.period, 'YYYY-MM-DD') as period, sum(s.value)::float8 as value, count(*)::int as n
         from area_statistics s join indicators i on i.id = s.indicator_id join areas a on a.id = s.area_id
        where a.level = 'sozialraum' and a.code in (?, ?, ?, ?) and i.code in ('population_total', 'population_65_plus', 'population_under_6')
        group by i.code, s.period having count(*) = 4 order by i.code, s.period`,
      porz.members,
    );
    expect(expected.length).toBeGreaterThanOrEqual(8);
    const id = await setId('LV11');
    const stored = await rows<{ code: string; period: string; value: number }>(
      `select i.code, to_char(s.period, 'YYYY-MM-DD') as period, s.value::float8 as value
         from area_statistics s join indicators i on i.id = s.indicator_id
        where s.area_id = ? and i.code in ('population_total', 'population_65_plus', 'population_under_6') order by i.code, s.period`,
      [id],
    );
    expect(stored).toEqual(expected.map(({ code, period, value }) => ({ code, period, value: Number(value) })));
    // The profile shows the summed series like that of any area.
    const profile = (await request(app).get(`/api/coverage/areas/${id}/profile`)).body as AreaProfile;
    const total = profile.series.find((series) => series.indicator.code === 'population_total')!;
    expect(total.area).toEqual(expected.filter((row) => row.code === 'population_total').map((row) => ({ period: row.period, value: Number(row.value) })));
  });

  it('never sums a share: the set has no SGB II rate, and the report says why', async () => {
    const id = await setId('LV11');
    const shares = await rows<{ n: number }>(
      `select count(*)::int as n from area_statistics s join indicators i on i.id = s.indicator_id where s.area_id = ? and i.code = 'sgb2_rate'`,
      [id],
    );
    expect(shares[0]!.n).toBe(0);
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'not_summed', field: 'sgb2_rate', message: expect.stringContaining('LV11') }));
  });

  it('answers the coverage on the set level: target residents and offers are those of the member Stadtteile', async () => {
    const sets = (await request(app).get('/api/coverage').query({ offerType: 'kita', level: 'area_set', mode: 'airline' })).body as CoverageResult;
    const sozialraeume = (await request(app).get('/api/coverage').query({ offerType: 'kita', level: 'sozialraum', mode: 'airline' })).body as CoverageResult;
    expect(sets.areas.map((area) => area.code).sort()).toEqual(setFile.sets.map((set) => set.code));
    expect(sets.areas.every((area) => area.level === 'area_set')).toBe(true);
    const set = sets.areas.find((area) => area.code === 'LV11')!;
    const members = sozialraeume.areas.filter((area) => porz.members.includes(area.code));
    expect(members).toHaveLength(4);
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    expect(set.targetPopulation).toBeGreaterThan(0);
    expect(set.targetPopulation).toBeCloseTo(sum(members.map((area) => area.targetPopulation)), 6);
    expect(set.coveredPopulation).toBeCloseTo(sum(members.map((area) => area.coveredPopulation)), 6);
    expect(set.offers).toBe(sum(members.map((area) => area.offers)));
  });

  it('lists the sets with their geometry at GET /api/areas?level=area_set', async () => {
    const response = await request(app).get('/api/areas').query({ level: 'area_set' });
    expect(response.status).toBe(200);
    const features = (response.body as { features: { properties: { code: string; level: string }; geometry: { type: string } }[] }).features;
    expect(features.map((feature) => feature.properties.code).sort()).toEqual(setFile.sets.map((set) => set.code));
    expect(features.every((feature) => feature.properties.level === 'area_set' && feature.geometry.type === 'MultiPolygon')).toBe(true);
  });

  it('refuses a set with unknown member codes, names them, and writes nothing (command line exits 1)', async () => {
    const before = await rows<{ n: number }>(`select count(*)::int as n from areas where level = 'area_set'`);
    const file = path.join(scratch, 'sets-bad.csv');
    fs.writeFileSync(file, 'set_code,set_name,member_level,member_code\nX1,Neu,sozialraum,706\nX1,Neu,sozialraum,999\nX2,Auch neu,sozialraum,12a\n');
    const mapping = path.join(scratch, 'mapping-sets.json');
    fs.writeFileSync(mapping, JSON.stringify({ kind: 'area_sets', city: 'koeln' }));
    const { code, output } = await cli('import', file, '--mapping', mapping);
    expect(code).toBe(1);
    expect(output).toContain('FAILED — nothing was written');
    expect(output).toMatch(/X1 \(Neu\) names sozialraum codes that Köln does not have: 999/);
    expect(output).toMatch(/X2 \(Auch neu\) names sozialraum codes that Köln does not have: 12a/);
    const after = await rows<{ n: number }>(`select count(*)::int as n from areas where level = 'area_set'`);
    expect(after[0]!.n).toBe(before[0]!.n);
    expect((await rows<{ n: number }>(`select count(*)::int as n from areas where code in ('X1', 'X2')`))[0]!.n).toBe(0);
  });

  it('imports the same file again without changes', async () => {
    const again = await imports.run(imports.resolve('koeln-lebenswerte-veedel'), { actor: 'test' });
    expect(again.status, JSON.stringify(again.errors)).toBe('succeeded');
    expect(again.tables.areas).toMatchObject({ inserted: 0, updated: 0, unchanged: 11, deleted: 0 });
  });

  it('reads the CSV form (one row per member) into the same set', async () => {
    const id = await setId('LV11');
    const sums = `select i.code, s.period, s.value from area_statistics s join indicators i on i.id = s.indicator_id where s.area_id = ? order by 1, 2`;
    const before = await rows<{ code: string; value: number }>(sums, [id]);
    const file = path.join(scratch, 'sets-good.csv');
    fs.writeFileSync(file, ['set_code,set_name,member_level,member_code', ...porz.members.map((member) => `LV11,"${porz.name}",sozialraum,${member}`)].join('\n'));
    const mapping = path.join(scratch, 'mapping-sets.json');
    fs.writeFileSync(mapping, JSON.stringify({ kind: 'area_sets', city: 'koeln' }));
    const csv = await imports.run(imports.resolve(file, { mappingFile: mapping }), { actor: 'test' });
    expect(csv.status, JSON.stringify(csv.errors)).toBe('succeeded');
    // Only the source (the file's name) changes: the same version, members and sums.
    expect(csv.tables.areas).toMatchObject({ inserted: 0, updated: 1, deleted: 0 });
    expect(await setId('LV11')).toBe(id);
    const members = await rows<{ member_code: string }>(`select member_code from area_set_members where set_id = ? order by 1`, [id]);
    expect(members.map((member) => member.member_code)).toEqual([...porz.members].sort());
    expect(await rows(sums, [id])).toEqual(before);
  });
});
