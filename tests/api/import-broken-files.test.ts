import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import { streetKey } from '../../server/shared/street-key.ts';
import { createImportsService, ImportSetupError, type ImportsService } from '../../server/imports/imports.service.ts';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import type { ImportIssue, ImportReport } from '../../server/imports/imports.schema.ts';
import { silentLogger } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertArea, squarePolygon } from '../helpers/factories.ts';
import { geodataDir } from './import-geodata.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/imports');
const countedTables = [
  'areas',
  'area_statistics',
  'street_segments',
  'departments',
  'organizations',
  'offers',
  'offer_terms',
  'locations',
  'offer_locations',
  'location_areas',
] as const;

// Small files authored for these tests (tests/fixtures/imports): each importer gets the same
// kinds of broken input, and a broken file must leave every table as it was.
describe('importing broken files', () => {
  let testDatabase: TestDatabase;
  let imports: ImportsService;

  const run = (file: string, mapping: string): Promise<ImportReport> =>
    imports.run(imports.resolve(path.join(fixtures, file), { mappingFile: path.join(fixtures, mapping) }), { actor: 'test' });

  async function tableCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of countedTables) {
      const row = (await testDatabase.database.knex(table).count<{ count: number }[]>({ count: '*' }).first()) ?? { count: 0 };
      counts[table] = Number(row.count);
    }
    return counts;
  }

  /** Runs an import that must fail, and checks that it wrote nothing and recorded a failed run. */
  async function expectRejected(file: string, mapping: string, ...expected: Partial<ImportIssue>[]): Promise<ImportReport> {
    const before = await tableCounts();
    const report = await run(file, mapping);
    expect(report.status).toBe('failed');
    expect(report.rowsAccepted).toBe(0);
    for (const issue of expected) expect(report.errors).toContainEqual(expect.objectContaining(issue));
    expect(report.errors.every((issue) => issue.message.length > 10)).toBe(true);
    expect(await tableCounts()).toEqual(before);
    const [lastRun] = (await testDatabase.database.knex('import_runs').orderBy('finished_at', 'desc').limit(1)) as {
      status: string;
      report: ImportReport;
    }[];
    expect(lastRun?.status).toBe('failed');
    return report;
  }

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const datasets = createDatasetsService({ geodataDir, city: 'koeln' });
    imports = createImportsService({ db: testDatabase.database.knex, taxonomies: createTaxonomiesService({ db: testDatabase.database.knex }), datasets, logger: silentLogger });
    // A test "city" covering the fixtures' districts; offers can be limited to it.
    await insertArea(testDatabase.database.knex, { level: 'city', code: 'T-CITY', name: 'Teststadt', geometry: squarePolygon(6.9, 50.85, 0.2) });
    const districts = await run('areas/districts-valid.geojson', 'areas/mapping-districts.json');
    const stadtteile = await run('areas/stadtteile-with-bowtie.geojson', 'areas/mapping-stadtteile.json');
    expect([districts.status, stadtteile.status]).toEqual(['succeeded', 'succeeded']);
  });
  afterAll(async () => {
    await testDatabase?.destroy();
  });

  describe('areas', () => {
    it('repairs an invalid polygon with ST_MakeValid and reports it by feature', async () => {
      const report = (await testDatabase.database.knex('import_runs')
        .where({ dataset: 'file-stadtteile-with-bowtie', status: 'succeeded' })
        .first()) as { report: ImportReport };
      expect(report.report.warnings).toContainEqual(expect.objectContaining({ feature: 1, field: 'geometry', code: 'geometry_repaired' }));
      const rows = (await testDatabase.database.knex.raw(
        "select a.code, ST_IsValid(a.geom) as valid, p.code as parent from areas a join areas p on p.id = a.parent_id where a.code in ('T10', 'T11') order by a.code",
      )) as { rows: unknown[] };
      expect(rows.rows).toEqual([
        { code: 'T10', valid: true, parent: 'T1' },
        { code: 'T11', valid: true, parent: 'T1' },
      ]);
    });

    it('rejects a feature without its code', async () => {
      await expectRejected('areas/missing-code.geojson', 'areas/mapping-stadtteile.json', { feature: 1, field: 'NR', code: 'missing_field' });
    });

    it('rejects a ring that is not closed', async () => {
      await expectRejected('areas/unclosed-ring.geojson', 'areas/mapping-stadtteile.json', { feature: 0, field: 'geometry', code: 'invalid_geometry' });
    });

    it('rejects projected coordinates in a file without a CRS (read as EPSG:4326)', async () => {
      await expectRejected('areas/projected-without-crs.geojson', 'areas/mapping-stadtteile.json', { feature: 0, code: 'coordinates_out_of_range' });
    });

    it('rejects geometry that a wrong CRS puts far outside the city', async () => {
      await expectRejected('areas/wrong-crs.geojson', 'areas/mapping-stadtteile.json', { feature: 0, field: 'geometry', code: 'outside_city' });
    });

    it('rejects a code used twice', async () => {
      await expectRejected('areas/duplicate-codes.geojson', 'areas/mapping-stadtteile.json', { feature: 1, field: 'NR', code: 'duplicate_id' });
    });

    it('rejects an area whose parent does not exist', async () => {
      await expectRejected('areas/unknown-parent.geojson', 'areas/mapping-stadtteile.json', { feature: 0, field: 'NR', code: 'parent_not_found' });
    });

    it('rejects a file that is not UTF-8, naming the line', async () => {
      await expectRejected('areas/latin1.geojson', 'areas/mapping-stadtteile.json', { line: 1, code: 'not_utf8' });
    });

    it('rejects an empty file', async () => {
      await expectRejected('areas/empty.geojson', 'areas/mapping-stadtteile.json', { code: 'file_empty' });
    });
  });

  describe('statistics', () => {
    it('imports long rows, ignores rows mapped to null and derives 65+', async () => {
      const report = await run('statistics/valid.csv', 'statistics/mapping-long.json');
      expect(report).toMatchObject({ status: 'succeeded', rowsRead: 4, rowsAccepted: 3, rowsSkipped: 1 });
      const values = (await testDatabase.database.knex.raw(
        `select i.code, s.value from area_statistics s join indicators i on i.id = s.indicator_id join areas a on a.id = s.area_id
         where a.code = 'T10' and s.period = '2012-12-31' order by i.code`,
      )) as { rows: unknown[] };
      expect(values.rows).toEqual([
        { code: 'population_65_75', value: 150 },
        { code: 'population_65_plus', value: 250 },
        { code: 'population_75_plus', value: 100 },
        { code: 'population_total', value: 1200 },
      ]);
    });

    it('imports wide rows and skips empty cells when the mapping says so', async () => {
      const report = await run('statistics/wide-valid.csv', 'statistics/mapping-wide.json');
      expect(report).toMatchObject({ status: 'succeeded', rowsAccepted: 2, tables: { area_statistics: { inserted: 3 } } });
    });

    it('rejects a file without a mapped column', async () => {
      await expectRejected('statistics/missing-column.csv', 'statistics/mapping-long.json', { line: 1, field: 'zahl', code: 'missing_field' });
    });

    it('rejects a row whose indicator the mapping does not know', async () => {
      await expectRejected('statistics/unknown-indicator.csv', 'statistics/mapping-long.json', { line: 3, field: 'zeile', code: 'unknown_indicator' });
    });

    it('rejects a mapping to an indicator code that does not exist', async () => {
      await expectRejected('statistics/wide-valid.csv', 'statistics/mapping-wide-unknown-indicator.json', {
        field: 'mapping.columns.sgb2',
        code: 'unknown_indicator',
      });
    });

    it('rejects two values for the same area, indicator and period', async () => {
      await expectRejected('statistics/duplicate-rows.csv', 'statistics/mapping-long.json', { line: 3, field: 'zahl', code: 'duplicate_id' });
    });

    it('rejects values that are not numbers and empty values', async () => {
      await expectRejected(
        'statistics/bad-number.csv',
        'statistics/mapping-long.json',
        { line: 2, field: 'zahl', code: 'invalid_number' },
        { line: 3, field: 'zahl', code: 'missing_value' },
      );
    });

    it('rejects a row whose area does not exist', async () => {
      await expectRejected('statistics/unknown-area.csv', 'statistics/mapping-long.json', { line: 3, field: 'raum_id', code: 'area_not_found' });
    });

    it('rejects a year that is no year', async () => {
      await expectRejected('statistics/bad-year.csv', 'statistics/mapping-long.json', { line: 2, field: 'jahr', code: 'invalid_period' });
    });

    it('rejects a file that is not UTF-8', async () => {
      await expectRejected('statistics/latin1.csv', 'statistics/mapping-long.json', { line: 2, code: 'not_utf8' });
    });

    it('rejects an empty file and a file with only a header', async () => {
      await expectRejected('statistics/empty.csv', 'statistics/mapping-long.json', { code: 'file_empty' });
      await expectRejected('statistics/header-only.csv', 'statistics/mapping-long.json', { code: 'file_empty' });
    });
  });

  describe('street segments', () => {
    it('imports segments with street key, house numbers and area', async () => {
      const report = await run('street-segments/valid.geojson', 'street-segments/mapping.json');
      expect(report).toMatchObject({ status: 'succeeded', tables: { street_segments: { inserted: 2 } } });
      const rows = (await testDatabase.database.knex.raw(
        `select s.external_id, s.street_key, s.house_from_left, s.house_to_left, s.house_from_right, a.code as area
         from street_segments s left join areas a on a.id = s.area_id order by s.external_id`,
      )) as { rows: unknown[] };
      expect(rows.rows).toEqual([
        { external_id: '00001010', street_key: streetKey('Teststr.'), house_from_left: 1, house_to_left: 9, house_from_right: 2, area: 'T10' },
        { external_id: '00001020', street_key: streetKey('Teststr.'), house_from_left: 11, house_to_left: 19, house_from_right: null, area: 'T10' },
      ]);
    });

    it('rejects a segment without an id', async () => {
      await expectRejected('street-segments/missing-id.geojson', 'street-segments/mapping.json', { feature: 1, field: 'NUMMER', code: 'missing_field' });
    });

    it('rejects a line with one position and a line of zero length', async () => {
      await expectRejected('street-segments/one-point-line.geojson', 'street-segments/mapping.json', { feature: 1, field: 'geometry', code: 'invalid_geometry' });
      await expectRejected('street-segments/zero-length-line.geojson', 'street-segments/mapping.json', { feature: 1, field: 'geometry', code: 'invalid_geometry' });
    });

    it('rejects an id used twice', async () => {
      await expectRejected('street-segments/duplicate-ids.geojson', 'street-segments/mapping.json', { feature: 1, field: 'NUMMER', code: 'duplicate_id' });
    });

    it('rejects coordinates out of range', async () => {
      await expectRejected('street-segments/out-of-range.geojson', 'street-segments/mapping.json', { feature: 0, code: 'coordinates_out_of_range' });
    });

    it('rejects a house number that is none', async () => {
      await expectRejected('street-segments/bad-house-number.geojson', 'street-segments/mapping.json', {
        feature: 0,
        field: 'HSNR_V_L/HSNR_B_L',
        code: 'invalid_house_number',
      });
    });

    it('rejects a file that is not UTF-8 and an empty file', async () => {
      await expectRejected('street-segments/latin1.geojson', 'street-segments/mapping.json', { code: 'not_utf8' });
      await expectRejected('street-segments/empty.geojson', 'street-segments/mapping.json', { code: 'file_empty' });
    });
  });

  describe('offers', () => {
    it('imports points with provider, address, capacity and areas; a second import changes nothing', async () => {
      const first = await run('offers/valid.geojson', 'offers/mapping.json');
      expect(first).toMatchObject({
        status: 'succeeded',
        rowsAccepted: 3,
        tables: { organizations: { inserted: 1 }, offers: { inserted: 3 }, locations: { inserted: 3 }, offer_locations: { inserted: 3 } },
      });
      expect(first.warnings).toContainEqual(expect.objectContaining({ feature: 0, field: 'web', code: 'value_mended' }));
      const again = await run('offers/valid.geojson', 'offers/mapping.json');
      expect(again.tables).toMatchObject({ offers: { inserted: 0, updated: 0, unchanged: 3 }, organizations: { inserted: 0, updated: 0 } });
      const [offer] = (
        (await testDatabase.database.knex.raw(
          `select o.name, o.status, o.publication, o.capacity, o.capacity_unit, o.website, g.name as provider, d.code as department,
                  l.street, l.house_number, l.postal_code, l.city,
                  (select string_agg(a.code, ',' order by a.level) from location_areas la join areas a on a.id = la.area_id where la.location_id = l.id) as areas
           from offers o join organizations g on g.id = o.organization_id join departments d on d.id = o.department_id
           join offer_locations ol on ol.offer_id = o.id join locations l on l.id = ol.location_id
           where o.external_id = 'A1'`,
        )) as { rows: Record<string, unknown>[] }
      ).rows;
      expect(offer).toEqual({
        name: 'Seniorentreff Test',
        status: 'active',
        publication: 'published',
        capacity: 20,
        capacity_unit: 'places',
        website: 'http://www.testverein.de',
        provider: 'Testverein e.V.',
        department: 'test-import',
        street: 'Teststr.',
        house_number: '1',
        postal_code: '50765',
        city: 'Köln',
        areas: 'T-CITY,T1,T10',
      });
    });

    it('leaves out the points outside the area named in onlyInside', async () => {
      const report = await run('offers/valid.geojson', 'offers/mapping-inside.json');
      expect(report).toMatchObject({ status: 'succeeded', rowsRead: 3, rowsAccepted: 2, rowsSkipped: 1 });
    });

    it('imports points from CSV columns', async () => {
      const report = await run('offers/valid.csv', 'offers/mapping-csv.json');
      expect(report).toMatchObject({ status: 'succeeded', rowsAccepted: 1, tables: { offers: { inserted: 1 } } });
    });

    it('rejects the whole file when one offer has no name', async () => {
      await expectRejected('offers/missing-name.geojson', 'offers/mapping.json', { feature: 1, field: 'name', code: 'missing_field' });
    });

    it('rejects an id used twice', async () => {
      await expectRejected('offers/duplicate-ids.geojson', 'offers/mapping.json', { feature: 1, field: 'nr', code: 'duplicate_id' });
    });

    it('rejects projected coordinates in a file without a CRS', async () => {
      await expectRejected('offers/projected-without-crs.geojson', 'offers/mapping-geojson-crs.json', { feature: 0, code: 'coordinates_out_of_range' });
    });

    it('rejects points that a wrong CRS puts far outside the city', async () => {
      await expectRejected('offers/wrong-crs.geojson', 'offers/mapping-geojson-crs.json', { feature: 0, field: 'geometry', code: 'outside_city' });
    });

    it('rejects a file whose CRS contradicts the mapping', async () => {
      await expectRejected('offers/crs-mismatch.geojson', 'offers/mapping.json', { field: 'crs', code: 'crs_mismatch' });
    });

    it('rejects a capacity that is not a number', async () => {
      await expectRejected('offers/bad-capacity.geojson', 'offers/mapping.json', { feature: 1, field: 'plaetze', code: 'invalid_number' });
    });

    it('rejects a feature without geometry', async () => {
      await expectRejected('offers/missing-geometry.geojson', 'offers/mapping.json', { feature: 1, field: 'geometry', code: 'missing_geometry' });
    });

    it('reports every bad CSV row by line: missing and swapped coordinates', async () => {
      const report = await expectRejected(
        'offers/bad-coordinates.csv',
        'offers/mapping-csv.json',
        { line: 3, field: 'geometry', code: 'invalid_geometry' },
        { line: 4, field: 'geometry', code: 'outside_city' },
      );
      expect(report.errorCount).toBe(2);
    });

    it('rejects an unknown offer type and target group in the mapping', async () => {
      await expectRejected(
        'offers/valid.geojson',
        'offers/mapping-unknown-type.json',
        { field: 'mapping.offerType', code: 'unknown_term' },
        { field: 'mapping.targetGroups', code: 'unknown_term', message: expect.stringContaining('aliens') },
      );
    });

    it('rejects a file that is not UTF-8 and an empty file', async () => {
      await expectRejected('offers/latin1.csv', 'offers/mapping-csv.json', { line: 2, code: 'not_utf8' });
      await expectRejected('offers/empty.geojson', 'offers/mapping.json', { code: 'file_empty' });
    });
  });

  describe('dry runs and setup errors', () => {
    it('reports what a dry run would write and writes nothing', async () => {
      const before = await tableCounts();
      const report = await imports.run(
        imports.resolve(path.join(fixtures, 'street-segments/valid.geojson'), { mappingFile: path.join(fixtures, 'street-segments/mapping.json') }),
        { dryRun: true },
      );
      expect(report).toMatchObject({ status: 'dry_run', tables: { street_segments: { inserted: 0, unchanged: 2 } } });
      expect(await tableCounts()).toEqual(before);
    });

    it('refuses a file without a mapping and an unknown dataset id', () => {
      expect(() => imports.resolve(path.join(fixtures, 'offers/valid.geojson'))).toThrow(ImportSetupError);
      expect(() => imports.resolve('no-such-dataset')).toThrow(/neither a dataset id nor a file/);
    });

    it('refuses a mapping file that does not fit the dataset', () => {
      expect(() => imports.resolve('koeln-stadtteile', { mappingFile: path.join(fixtures, 'offers/mapping.json') })).toThrow(
        /is for offers, but koeln-stadtteile holds areas/,
      );
    });
  });
});
