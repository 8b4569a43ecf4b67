import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import { createImportsService, type ImportsService } from '../../server/imports/imports.service.ts';
import type { ImportIssue, ImportReport } from '../../server/imports/imports.schema.ts';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import { silentLogger } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { geodataDir, geodataMissing } from './import-geodata.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/imports/shapefiles');
const mapping = path.join(fixtures, 'mapping-bezirke.json');
const execute = promisify(execFile);
const ogrinfoPath = process.env.OGRINFO_PATH ?? '/usr/bin/ogrinfo';
const ogr2ogrPath = path.join(path.dirname(ogrinfoPath), 'ogr2ogr');
const viertel2024 = 'koeln-offenedaten-2024/Stadtviertel_19.zip';

function gdalAvailable(): boolean {
  if (fs.existsSync(ogrinfoPath) && fs.existsSync(ogr2ogrPath)) return true;
  if (process.env.CI === 'true') throw new Error(`GDAL is required in CI but ${ogrinfoPath} does not exist.`);
  process.stdout.write(`[skipped] GDAL cross-check of the Shapefile import: ${ogrinfoPath} is missing\n`);
  return false;
}

// GDAL prints ERROR lines and still exits 0 (RECIPES.md): its stderr is part of every check.
async function gdal(program: string, args: string[]): Promise<string> {
  const { stdout, stderr } = await execute(program, args, { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  expect(stderr, `${program} ${args.join(' ')}`).not.toMatch(/ERROR/);
  return stdout;
}

describe('importing Shapefiles', () => {
  let testDatabase: TestDatabase;
  let imports: ImportsService;
  let scratch: string;

  const run = (file: string, options: { mappingFile?: string } = { mappingFile: mapping }): Promise<ImportReport> =>
    imports.run(imports.resolve(file, { ...options, cwd: fixtures }), { actor: 'test' });
  const rows = async <Row,>(sql: string, bindings: unknown[] = []): Promise<Row[]> =>
    ((await testDatabase.database.knex.raw(sql, bindings as never)) as { rows: Row[] }).rows;
  const districtsS = (): Promise<{ code: string; name: string; wkb: string }[]> =>
    rows(`select code, name, encode(ST_AsBinary(geom), 'hex') as wkb from areas where level = 'district' and code in ('S1', 'S2') order by code`);
  const areaCount = async (): Promise<number> => Number((await rows<{ n: number }>('select count(*)::int as n from areas'))[0]!.n);

  /** A zip of the folder fixture's parts, some left out or replaced. */
  function zipOf(name: string, parts: Record<string, Uint8Array | null>): string {
    const files: Record<string, Uint8Array> = {};
    for (const part of ['shp', 'shx', 'dbf', 'prj']) files[`bezirke.${part}`] = fs.readFileSync(path.join(fixtures, 'bezirke-latin1', `bezirke.${part}`));
    for (const [part, bytes] of Object.entries(parts)) {
      if (bytes === null) delete files[`bezirke.${part}`];
      else files[`bezirke.${part}`] = bytes;
    }
    const target = path.join(scratch, name);
    fs.writeFileSync(target, zipSync(files));
    return target;
  }

  async function expectRejected(file: string, expected: Partial<ImportIssue>): Promise<ImportReport> {
    const before = await areaCount();
    const report = await run(file);
    expect(report.status).toBe('failed');
    expect(report.errors).toContainEqual(expect.objectContaining(expected));
    expect(await areaCount()).toBe(before);
    return report;
  }

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const datasets = createDatasetsService({ geodataDir, city: 'koeln' });
    imports = createImportsService({ db: testDatabase.database.knex, taxonomies: createTaxonomiesService({ db: testDatabase.database.knex }), datasets, logger: silentLogger });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'angebotsatlas-shp-'));
  });
  afterAll(async () => {
    await testDatabase?.destroy();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  describe('small files authored for the tests (EPSG:25832, windows-1252)', () => {
    it('reads a zip with a .cpg of CP1252: umlauts intact, CRS from the .prj, positions as in the source', async () => {
      const report = await run('bezirke-cp1252.zip');
      expect(report.status).toBe('succeeded');
      expect(report.tables.areas).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
      const stored = await rows<{ code: string; name: string; xmin: number; ymin: number; xmax: number; ymax: number }>(
        `select code, name, ST_XMin(geom) as xmin, ST_YMin(geom) as ymin, ST_XMax(geom) as xmax, ST_YMax(geom) as ymax
         from areas where level = 'district' and code in ('S1', 'S2') order by code`,
      );
      expect(stored.map((row) => [row.code, row.name])).toEqual([
        ['S1', 'Bezirk Düsseldorfer Straße'],
        ['S2', 'Bezirk Süd-Ölberg'],
      ]);
      // The fixture was made by ogr2ogr from a square 6.9–7.0 °E, 50.95–51.05 °N (EPSG:4326).
      const north = stored[0]!;
      expect(north.xmin).toBeCloseTo(6.9, 6);
      expect(north.xmax).toBeCloseTo(7.0, 6);
      expect(north.ymin).toBeCloseTo(50.95, 6);
      expect(north.ymax).toBeCloseTo(51.05, 6);
    });

    it('reads the unzipped folder without a .cpg as windows-1252 (dBASE default) to the same areas', async () => {
      const before = await districtsS();
      const report = await run('bezirke-latin1');
      expect(report.status).toBe('succeeded');
      // Only the source (the file name) differs from the zip with its .cpg: same names, same geometry.
      expect(report.tables.areas).toEqual({ inserted: 0, updated: 2, unchanged: 0 });
      expect(await districtsS()).toEqual(before);
      expect(before.map((row) => row.name)).toEqual(['Bezirk Düsseldorfer Straße', 'Bezirk Süd-Ölberg']);
    });

    it('reads the .shp given by itself, with the parts next to it', async () => {
      const before = await districtsS();
      const report = await run('bezirke-latin1/bezirke.shp');
      expect(report.status).toBe('succeeded');
      // Only the source changes (file-bezirke instead of file-bezirke-latin1).
      expect(report.tables.areas).toEqual({ inserted: 0, updated: 2, unchanged: 0 });
      expect(await districtsS()).toEqual(before);
    });

    it('refuses a Shapefile without .prj, naming the missing part, and writes nothing', async () => {
      const report = await expectRejected('bezirke-no-prj.zip', { code: 'shapefile_part_missing', field: 'prj' });
      expect(report.errors[0]!.message).toMatch(/bezirke\.prj/);
      expect(report.errors[0]!.message).toMatch(/coordinate reference system/);
    });

    it('refuses a Shapefile without .dbf', async () => {
      const report = await expectRejected(zipOf('no-dbf.zip', { dbf: null }), { code: 'shapefile_part_missing', field: 'dbf' });
      expect(report.errors[0]!.message).toMatch(/bezirke\.dbf/);
    });

    it('refuses a truncated .dbf with the announced and the real size', async () => {
      const report = await expectRejected('bezirke-truncated-dbf.zip', { code: 'invalid_dbf', field: 'dbf' });
      expect(report.errors[0]!.message).toMatch(/truncated: its header announces 2 records/);
    });

    it('refuses a truncated .shp', async () => {
      const report = await expectRejected('bezirke-truncated-shp.zip', { code: 'invalid_shapefile', field: 'shp' });
      expect(report.errors[0]!.message).toMatch(/bezirke\.shp is truncated/);
    });

    it('refuses a .dbf whose .cpg claims UTF-8 but which is windows-1252', async () => {
      await expectRejected(zipOf('wrong-cpg.zip', { cpg: new TextEncoder().encode('UTF-8') }), { code: 'not_utf8', field: 'cpg' });
    });

    it('refuses a .cpg naming an encoding it cannot decode', async () => {
      await expectRejected(zipOf('odd-cpg.zip', { cpg: new TextEncoder().encode('EBCDIC-037') }), { code: 'unknown_encoding', field: 'cpg' });
    });

    it('refuses a .prj that is not a coordinate reference system', async () => {
      await expectRejected(zipOf('bad-prj.zip', { prj: new TextEncoder().encode('LOCAL_CS["somewhere"]') }), { code: 'unknown_crs', field: 'prj' });
    });

    it('refuses a .prj that disagrees with the mapping file\'s CRS', async () => {
      const disagreeing = path.join(scratch, 'mapping-25833.json');
      fs.writeFileSync(disagreeing, JSON.stringify({ ...JSON.parse(fs.readFileSync(mapping, 'utf8')), crs: 'EPSG:25833' }));
      const before = await areaCount();
      const report = await run('bezirke-cp1252.zip', { mappingFile: disagreeing });
      expect(report.status).toBe('failed');
      expect(report.errors).toContainEqual(expect.objectContaining({ code: 'crs_mismatch' }));
      expect(await areaCount()).toBe(before);
    });

    it('refuses a zip that holds two Shapefiles', async () => {
      const both = path.join(scratch, 'two-layers.zip');
      const parts = Object.fromEntries(
        ['shp', 'shx', 'dbf', 'prj'].flatMap((part) => {
          const bytes = fs.readFileSync(path.join(fixtures, 'bezirke-latin1', `bezirke.${part}`));
          return [[`a.${part}`, bytes], [`b.${part}`, bytes]];
        }),
      );
      fs.writeFileSync(both, zipSync(parts));
      await expectRejected(both, { code: 'shapefile_ambiguous' });
    });
  });

  describe.skipIf(geodataMissing([viertel2024, 'koeln-offenedaten-2024/Stadtbezirk_18.zip', 'koeln-koelnapi/koeln_stadtteile_2013.geojson']))(
    'Cologne\'s 2024 Shapefiles (EPSG:25832) from the open-data portal',
    () => {
      let viertel: ImportReport;

      beforeAll(async () => {
        const bezirke = await imports.run(imports.resolve('koeln-stadtbezirke-2024'), { actor: 'test' });
        const stadtteile = await imports.run(imports.resolve('koeln-stadtteile'), { actor: 'test' });
        viertel = await imports.run(imports.resolve('koeln-stadtviertel-2024'), { actor: 'test' });
        expect([bezirke.status, stadtteile.status, viertel.status], JSON.stringify([bezirke.errors, stadtteile.errors, viertel.errors].flat().slice(0, 5))).toEqual([
          'succeeded',
          'succeeded',
          'succeeded',
        ]);
      });

      it('imports all 374 Stadtviertel, each below its Stadtteil, with umlauts intact', async () => {
        expect(viertel.rowsRead).toBe(374);
        const [counts] = await rows<{ quarters: number; orphans: number; districts: number }>(
          `select count(*) filter (where level = 'quarter')::int as quarters,
                  count(*) filter (where level = 'quarter' and parent_id is null)::int as orphans,
                  count(*) filter (where level = 'district' and code ~ '^[1-9]$')::int as districts from areas`,
        );
        expect(counts).toEqual({ quarters: 374, orphans: 0, districts: 9 });
        const named = await rows<{ code: string; name: string; parent: string }>(
          `select q.code, q.name, p.code as parent from areas q join areas p on p.id = q.parent_id
           where q.level = 'quarter' and q.code in ('80708', '71403') order by q.code`,
        );
        expect(named).toEqual([
          { code: '71403', name: 'Zündorf-Nord', parent: '714' },
          { code: '80708', name: 'Siedlung Buchenkamp', parent: '807' },
        ]);
      });

      describe.runIf(gdalAvailable())('against GDAL reading the same zip', () => {
        const source = `/vsizip/${path.join(geodataDir, viertel2024)}`;
        const sample = ['10101', '80708', '90702', '71403'];

        it('has GDAL\'s feature count', async () => {
          const info = await gdal(ogrinfoPath, ['-ro', '-so', '-al', source]);
          expect(Number(/Feature Count: (\d+)/.exec(info)?.[1])).toBe(374);
        });

        it('has the areas GDAL measures in EPSG:25832 within 0.1 %', async () => {
          const list = sample.map((code) => `'${code}'`).join(',');
          const output = await gdal(ogrinfoPath, ['-ro', '-q', '-geom=NO', source, '-sql', `SELECT nummer, OGR_GEOM_AREA AS area FROM Stadtviertel WHERE nummer IN (${list})`]);
          const gdalAreas = new Map<string, number>();
          for (const match of output.matchAll(/nummer \(String\) = (\d+)\s+area \(Real\) = ([\d.]+)/g)) gdalAreas.set(match[1]!, Number(match[2]));
          expect([...gdalAreas.keys()].sort()).toEqual([...sample].sort());
          const ours = await rows<{ code: string; planar: number; geodesic: number }>(
            `select code, ST_Area(ST_Transform(geom, 25832)) as planar, area_m2 as geodesic from areas where level = 'quarter' and code = any(?)`,
            [sample],
          );
          expect(ours).toHaveLength(sample.length);
          for (const row of ours) {
            const expected = gdalAreas.get(row.code)!;
            expect(Math.abs(row.planar - expected) / expected, row.code).toBeLessThan(0.001);
            expect(Math.abs(row.geodesic - expected) / expected, row.code).toBeLessThan(0.001);
          }
        });

        it('lies where GDAL reprojects it to EPSG:4326 (symmetric difference below 0.1 %)', async () => {
          const geojson = await gdal(ogr2ogrPath, ['-f', 'GeoJSON', '-t_srs', 'EPSG:4326', '/vsistdout/', source, '-where', `nummer IN (${sample.map((code) => `'${code}'`).join(',')})`]);
          const features = (JSON.parse(geojson) as { features: { properties: { nummer: string }; geometry: unknown }[] }).features;
          expect(features).toHaveLength(sample.length);
          for (const feature of features) {
            const [comparison] = await rows<{ share: number }>(
              `select ST_Area(ST_SymDifference(a.geom, g.geom)::geography) / ST_Area(g.geom::geography) as share
               from areas a, (select ST_SetSRID(ST_GeomFromGeoJSON(?), 4326) as geom) g
               where a.level = 'quarter' and a.code = ?`,
              [JSON.stringify(feature.geometry), feature.properties.nummer],
            );
            expect(comparison!.share, feature.properties.nummer).toBeLessThan(0.001);
          }
        });
      });
    },
  );
});
