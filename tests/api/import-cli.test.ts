import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/config.ts';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import { loadDefaultCityIfEmpty } from '../../server/imports/default-city.ts';
import { createTestApp, silentLogger, testConfig } from '../helpers/app.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertArea, squarePolygon } from '../helpers/factories.ts';
import { geodataDir } from './import-geodata.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/imports');
const run = promisify(execFile);

describe('the admin command line and a missing data directory', () => {
  let testDatabase: TestDatabase;
  let output: string[];
  let errors: string[];

  /** Runs the CLI program in this process against the test database, capturing stdout and stderr (tests/helpers/cli.ts). */
  async function cli(...args: string[]): Promise<number> {
    const run = await runCli(testDatabase.database, args, { config: testConfig({ geodataDir }), city: 'koeln' });
    output = run.output;
    errors = run.errors;
    return run.code;
  }

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await insertArea(testDatabase.database.knex, { level: 'district', code: 'T1', name: 'Testbezirk', geometry: squarePolygon(6.9, 50.95, 0.1) });
  });
  afterEach(() => {
    process.exitCode = undefined;
  });
  afterAll(async () => {
    await testDatabase?.destroy();
  });

  it('"datasets --json" prints what GET /api/datasets returns', async () => {
    expect(await cli('datasets', '--json')).toBe(0);
    const printed = JSON.parse(output.join('\n')) as unknown;
    const response = await request(createTestApp(testDatabase.database, { geodataDir })).get('/api/datasets');
    expect(response.status).toBe(200);
    expect(printed).toEqual(response.body);
  });

  it('"datasets" lists every manifest with licence and whether its file is present', async () => {
    expect(await cli('datasets', '--city', 'berlin')).toBe(0);
    const text = output.join('\n');
    expect(text).toMatch(/berlin-pflegeeinrichtungen\s+berlin\s+offers\s+(present|MISSING)\s+yes\s+EPSG:25833/);
    expect(text).not.toContain('koeln-stadtteile');
  });

  it('"import" exits non-zero on a broken file and prints each bad row', async () => {
    const code = await cli('import', path.join(fixtures, 'areas/missing-code.geojson'), '--mapping', path.join(fixtures, 'areas/mapping-districts.json'));
    expect(code).toBe(1);
    const text = output.join('\n');
    expect(text).toContain('FAILED — nothing was written');
    expect(text).toContain('✗ feature 1, field NR: is missing: every area needs a code.');
  });

  it('"import --dry-run" reports and writes nothing; "import" then writes, with progress on stderr', async () => {
    const file = path.join(fixtures, 'areas/districts-valid.geojson');
    const mapping = path.join(fixtures, 'areas/mapping-districts.json');
    expect(await cli('import', file, '--mapping', mapping, '--dry-run')).toBe(0);
    expect(output.join('\n')).toContain('dry run — nothing was written');
    expect(await testDatabase.database.knex('areas').where({ code: 'T2' }).first()).toBeUndefined();
    expect(await cli('import', file, '--mapping', mapping)).toBe(0);
    // T1 existed (from the factory) and is updated in place; T2 is new.
    expect(output.join('\n')).toContain('areas: 1 new, 1 changed, 0 unchanged');
    expect(errors.some((line) => line.startsWith('[file-districts-valid] writing'))).toBe(true);
  });

  it('the real entry point answers an unknown dataset with a message and exit code 2, before opening a database', async () => {
    const failure = await run('npx', ['tsx', 'server/cli/main.ts', 'import', 'no-such-dataset'], { cwd: projectRoot, env: { ...process.env, DATA_DIR: '/nonexistent/never-created' } }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining('"no-such-dataset" is neither a dataset id nor a file') });
  });

  it('starts with an empty inventory and names the download pages when the data directory is missing', async () => {
    const empty = await createTestDatabase();
    try {
      const missingDir = path.join(projectRoot, 'no-such-geodata-dir');
      const datasets = createDatasetsService({ geodataDir: missingDir, city: 'koeln' });
      const status = await loadDefaultCityIfEmpty({ knex: empty.database.knex, datasets, logger: silentLogger });
      expect(status.loaded).toBe(false);
      expect(status.reason).toBe('data_dir_missing');
      expect(status.downloadPages).toEqual(
        expect.arrayContaining([expect.objectContaining({ url: expect.stringMatching(/^https?:\/\/(www\.)?offenedaten-koeln\.de\//) })]),
      );
      expect(status.message).toContain('http://offenedaten-koeln.de/sites/default/files/2013-06-25_shape_stadtteil_0.zip');
      expect(status.message).toContain('GEODATA_DIR');
      expect(await empty.database.knex('areas').count<{ count: number }[]>({ count: '*' })).toEqual([{ count: 0 }]);
      const app = createTestApp(empty.database, { geodataDir: missingDir }, { datasets, dataStatus: () => status });
      const config = await request(app).get('/api/config');
      expect(config.body.dataStatus).toEqual(status);
      const list = await request(app).get('/api/datasets?city=koeln');
      // Only the project's own area-set list (geodata/area-sets) is there; no downloaded file is.
      const present = list.body.datasets.filter((dataset: { present: boolean }) => dataset.present) as Array<{ id: string; kind: string }>;
      expect(present.map((dataset) => [dataset.id, dataset.kind])).toEqual([['koeln-lebenswerte-veedel', 'area_sets']]);
    } finally {
      await empty.destroy();
    }
  });
});
