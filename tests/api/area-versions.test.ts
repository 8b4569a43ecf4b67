import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AreaFeatureCollection } from '../../server/areas/areas.schema.ts';
import type { AreaProfile } from '../../server/coverage/coverage.schema.ts';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import { createImportsService, type ImportsService } from '../../server/imports/imports.service.ts';
import type { ImportReport } from '../../server/imports/imports.schema.ts';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import { createTestApp, silentLogger } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { geodataDir, geodataMissing } from './import-geodata.ts';

const files = [
  'koeln-koelnapi/koeln_stadtbezirke_2013.geojson',
  'koeln-koelnapi/koeln_stadtteile_2013.geojson',
  'koeln-koelnapi/koeln_stadtviertel_2013.geojson',
  'koeln-offenedaten-2024/Stadtviertel_19.zip',
];

// Two Viertel of the real files. The 2024 file is digitised anew: the Viertel cover 235 km²
// instead of 188 km², inner-city ones are 5–25 % smaller, and only one of the 371 keeps its
// boundary within 1 % — 80506 Waldbad-Viertel (0.4 %). 10208 grew from 0.05 to 0.27 km².
const unchanged = '80506';
const changed = '10208';

/** Residents per Viertel, made up for the test: there are no published Viertel statistics. */
const residents: Record<string, Record<number, number>> = {
  [unchanged]: { 2015: 1000, 2020: 1100, 2025: 1200 },
  [changed]: { 2015: 5000, 2020: 5100, 2025: 7300 },
};

// Cologne's 2013 Viertel (GeoJSON) and the 2024 Viertel (Shapefile) in one database (issue 13).
describe.skipIf(geodataMissing(files))('boundary versions: the 2024 Stadtviertel next to the 2013 ones', () => {
  let testDatabase: TestDatabase;
  let imports: ImportsService;
  let app: Express;
  let scratch: string;
  let report2024: ImportReport;

  const rows = async <Row,>(sql: string, bindings: unknown[] = []): Promise<Row[]> =>
    ((await testDatabase.database.knex.raw(sql, bindings as never)) as { rows: Row[] }).rows;
  const importStatistics = async (years: number[]): Promise<ImportReport> => {
    const csv = ['viertel,jahr,einwohner', ...Object.entries(residents).flatMap(([code, values]) => years.map((year) => `${code},${year},${values[year]}`))].join('\n');
    const file = path.join(scratch, `viertel-${years.join('-')}.csv`);
    fs.writeFileSync(file, `${csv}\n`);
    const mapping = path.join(scratch, 'mapping-viertel.json');
    fs.writeFileSync(
      mapping,
      JSON.stringify({
        kind: 'statistics',
        city: 'koeln',
        mapping: {
          format: 'wide',
          area: { field: 'viertel', rules: [{ match: '^[0-9]{5}$', level: 'quarter' }] },
          period: { field: 'jahr', format: 'year' },
          columns: { einwohner: 'population_total' },
        },
      }),
    );
    return imports.run(imports.resolve(file, { mappingFile: mapping }), { actor: 'test' });
  };
  const currentId = async (code: string): Promise<string> =>
    (await rows<{ id: string }>(`select id from areas where level = 'quarter' and code = ? and valid_to is null`, [code]))[0]!.id;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'angebotsatlas-versions-'));
    const datasets = createDatasetsService({ geodataDir, city: 'koeln' });
    imports = createImportsService({ db: testDatabase.database.knex, taxonomies: createTaxonomiesService({ db: testDatabase.database.knex }), datasets, logger: silentLogger });
    app = createTestApp(testDatabase.database);
    const base = await imports.runAll(['koeln-stadtbezirke', 'koeln-stadtteile', 'koeln-stadtviertel'].map((id) => imports.resolve(id)), { actor: 'test' });
    expect(base.ok).toBe(true);
    expect((await importStatistics([2015, 2020])).status).toBe('succeeded');
    report2024 = await imports.run(imports.resolve('koeln-stadtviertel-2024'), { actor: 'test' });
    expect(report2024.status, JSON.stringify(report2024.errors.slice(0, 3))).toBe('succeeded');
    expect((await importStatistics([2025])).status).toBe('succeeded');
  });
  afterAll(async () => {
    await testDatabase?.destroy();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('keeps the 371 Viertel of 2013, closed on 2024-12-02, next to the 374 of 2024', async () => {
    const [counts] = await rows<{ current: number; closed: number; closed_on: string[]; first_from: string[] }>(
      `select count(*) filter (where valid_to is null)::int as current,
              count(*) filter (where valid_to is not null)::int as closed,
              array_agg(distinct to_char(valid_to, 'YYYY-MM-DD')) filter (where valid_to is not null) as closed_on,
              array_agg(distinct coalesce(to_char(valid_from, 'YYYY-MM-DD'), 'since ever')) filter (where valid_to is not null) as first_from
       from areas where level = 'quarter'`,
    );
    expect(counts!.current).toBe(374);
    expect(counts!.closed_on).toEqual(['2024-12-02']);
    expect(counts!.first_from).toEqual(['since ever']);
    // Every 2013 Viertel is still there: closed, or (identical boundary and name) still current.
    const [kept] = await rows<{ n: number }>(`select count(distinct code)::int as n from areas where level = 'quarter' and (valid_from is null)`);
    expect(kept!.n).toBe(371);
    expect(report2024.tables.areas_closed?.updated).toBe(counts!.closed);
  });

  it('adds the three Viertel that are new in 2024 from 2024-12-02 on, without a predecessor', async () => {
    const added = await rows<{ code: string; name: string }>(
      `select code, name from areas where level = 'quarter' and valid_to is null and predecessor_id is null and valid_from = date '2024-12-02' order by code`,
    );
    expect(added).toEqual([
      { code: '20810', name: 'Sürther Feld' },
      { code: '70607', name: 'Germania Carré' },
      { code: '71102', name: 'Eltzhof' },
    ]);
  });

  it('measures the change of each boundary: the symmetric difference over the new area', async () => {
    const measured = await rows<{ code: string; boundary_change: number; independent: number }>(
      `select n.code, n.boundary_change,
              (ST_Area(ST_Difference(o.geom, n.geom)::geography) + ST_Area(ST_Difference(n.geom, o.geom)::geography)) / n.area_m2 as independent
       from areas n join areas o on o.id = n.predecessor_id where n.level = 'quarter' and n.code in (?, ?) order by n.boundary_change`,
      [unchanged, changed],
    );
    expect(measured.map((row) => row.code)).toEqual([unchanged, changed]);
    for (const row of measured) expect(row.boundary_change).toBeCloseTo(row.independent, 6);
    expect(measured[0]!.boundary_change).toBeLessThan(0.01);
    expect(measured[1]!.boundary_change).toBeGreaterThan(0.01);
  });

  it('attaches each statistic to the boundary valid at its period', async () => {
    const attached = await rows<{ code: string; year: number; valid_from: string | null }>(
      `select a.code, extract(year from s.period)::int as year, to_char(a.valid_from, 'YYYY-MM-DD') as valid_from
       from area_statistics s join areas a on a.id = s.area_id where a.level = 'quarter' order by a.code, year`,
    );
    expect(attached).toEqual([
      { code: changed, year: 2015, valid_from: null },
      { code: changed, year: 2020, valid_from: null },
      { code: changed, year: 2025, valid_from: '2024-12-02' },
      { code: unchanged, year: 2015, valid_from: null },
      { code: unchanged, year: 2020, valid_from: null },
      { code: unchanged, year: 2025, valid_from: '2024-12-02' },
    ]);
  });

  it('serves today\'s Viertel by default and the 2013 ones for a date before the change', async () => {
    const today = await request(app).get('/api/areas').query({ level: 'quarter' }).expect(200);
    const before = await request(app).get('/api/areas').query({ level: 'quarter', at: '2020-06-30' }).expect(200);
    const todayFeatures = (JSON.parse(today.text) as AreaFeatureCollection).features;
    const beforeFeatures = (JSON.parse(before.text) as AreaFeatureCollection).features;
    expect(todayFeatures).toHaveLength(374);
    expect(beforeFeatures).toHaveLength(371);
    expect(todayFeatures.find((feature) => feature.properties.code === changed)?.properties).toMatchObject({ validFrom: '2024-12-02', validTo: null });
    expect(beforeFeatures.find((feature) => feature.properties.code === changed)?.properties).toMatchObject({ validFrom: null, validTo: '2024-12-02' });
    const bad = await request(app).get('/api/areas').query({ level: 'quarter', at: '30.06.2020' }).expect(400);
    expect(bad.body.errors).toContainEqual(expect.objectContaining({ field: 'query.at' }));
  });

  it('continues the time series of an unchanged Viertel across the two versions', async () => {
    const response = await request(app).get(`/api/coverage/areas/${await currentId(unchanged)}/profile`).expect(200);
    const profile = response.body as AreaProfile;
    const population = profile.series.find((entry) => entry.indicator.code === 'population_total')!;
    expect(population.area).toEqual([
      { period: '2015-12-31', value: 1000 },
      { period: '2020-12-31', value: 1100 },
      { period: '2025-12-31', value: 1200 },
    ]);
    expect(population.otherBoundary).toBeUndefined(); // no values under another boundary: the field is left out
    expect(profile.boundaryChanges).toEqual([{ date: '2024-12-02', share: expect.any(Number), continuous: true }]);
  });

  it('flags a changed Viertel and keeps the values of the old boundary out of its series', async () => {
    const response = await request(app).get(`/api/coverage/areas/${await currentId(changed)}/profile`).expect(200);
    const profile = response.body as AreaProfile;
    const population = profile.series.find((entry) => entry.indicator.code === 'population_total')!;
    expect(population.area).toEqual([{ period: '2025-12-31', value: 7300 }]);
    expect(population.otherBoundary).toEqual([
      { period: '2015-12-31', value: 5000 },
      { period: '2020-12-31', value: 5100 },
    ]);
    expect(profile.boundaryChanges).toEqual([{ date: '2024-12-02', share: expect.any(Number), continuous: false }]);
    expect(profile.boundaryChanges[0]!.share).toBeGreaterThan(0.01);
  });

  it('imports the same 2024 file again without new versions', async () => {
    const again = await imports.run(imports.resolve('koeln-stadtviertel-2024'), { actor: 'test' });
    expect(again.status).toBe('succeeded');
    expect(again.tables.areas).toEqual({ inserted: 0, updated: 0, unchanged: 374 });
    expect(again.tables.areas_closed).toEqual({ inserted: 0, updated: 0, unchanged: 0 });
  });

  it('refuses the 2013 file after the 2024 one: versions go in the order of time, nothing is written', async () => {
    const [before] = await rows<{ n: number }>(`select count(*)::int as n from areas where level = 'quarter'`);
    const old = await imports.run(imports.resolve('koeln-stadtviertel'), { actor: 'test' });
    expect(old.status).toBe('failed');
    expect(old.errors).toContainEqual(expect.objectContaining({ code: 'older_version', field: 'validFrom' }));
    expect(old.errors[0]!.message).toMatch(/2024-12-02, later than this file's 2013-10-11/);
    const [after] = await rows<{ n: number }>(`select count(*)::int as n from areas where level = 'quarter'`);
    expect(after).toEqual(before);
  });
});
