import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../server/cli/cli-context.ts';
import { cliCommands } from '../../server/cli/commands.ts';
import { createProgram } from '../../server/cli/program.ts';
import { prepareServedCity } from '../../server/cities/cities.service.ts';
import type { AreaCoverage, CoverageResult } from '../../server/coverage/coverage.schema.ts';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import { createTestApp, silentLogger, testConfig } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

// Issue 13: a city that is not in the repository, made from files only — its folder outside the
// project, its own age bands (0 to under 7, 65 to under 80, 80+), a Kita list with places and a
// demand rule "Kitas serve residents 0 to under 7" — imported through the command line as a user
// would, then asked for coverage. A second city with the same area codes shares the database.

type Rectangle = [west: number, south: number, east: number, north: number];

interface CityFixture {
  id: string;
  name: string;
  areas: Array<{ nr: string; name: string; box: Rectangle; children: number; seniors65: number; seniors80: number }>;
  kitas: Array<{ id: string; name: string; lon: number; lat: number; places: number }>;
}

const testhafen: CityFixture = {
  id: 'testhafen',
  name: 'Testhafen',
  areas: [
    { nr: '01', name: 'Altstadt', box: [9.39, 54.78, 9.41, 54.8], children: 500, seniors65: 900, seniors80: 300 },
    { nr: '02', name: 'Hafen', box: [9.41, 54.78, 9.43, 54.8], children: 250, seniors65: 400, seniors80: 120 },
    { nr: '03', name: 'Nordufer', box: [9.43, 54.78, 9.45, 54.8], children: 125, seniors65: 200, seniors80: 90 },
  ],
  kitas: [
    { id: 'K1', name: 'Kita Möwennest', lon: 9.402, lat: 54.791, places: 60 },
    { id: 'K2', name: 'Kita Leuchtturm', lon: 9.398, lat: 54.788, places: 40 },
    { id: 'K3', name: 'Kita Nordlicht', lon: 9.4395, lat: 54.7995, places: 25 },
  ],
};

// The same area codes, other names, residents and Kitas.
const testdorf: CityFixture = {
  id: 'testdorf',
  name: 'Testdorf',
  areas: [
    { nr: '01', name: 'Dorfkern', box: [9.39, 54.78, 9.41, 54.8], children: 80, seniors65: 150, seniors80: 60 },
    { nr: '02', name: 'Feldmark', box: [9.41, 54.78, 9.43, 54.8], children: 40, seniors65: 70, seniors80: 20 },
    { nr: '03', name: 'Moor', box: [9.43, 54.78, 9.45, 54.8], children: 20, seniors65: 30, seniors80: 10 },
  ],
  kitas: [{ id: 'D1', name: 'Dorfkita Pusteblume', lon: 9.421, lat: 54.789, places: 30 }],
};

const ownIndicators = {
  indicators: [
    { code: 'einw_0_7', label: { de: 'Einwohner 0 bis unter 7 Jahre', en: 'Residents aged 0 to under 7' }, kind: 'count', source: 'Statistikstelle' },
    { code: 'einw_65_80', label: { de: 'Einwohner 65 bis unter 80 Jahre', en: 'Residents aged 65 to under 80' }, kind: 'count' },
    { code: 'einw_80_plus', label: { de: 'Einwohner 80 Jahre und älter', en: 'Residents aged 80 and over' }, kind: 'count' },
  ],
};

const ownDemand = {
  targetGroups: {
    kinder_0_7: { label: { de: 'Kinder unter 7 Jahren', en: 'Children under 7' }, indicatorSets: [['einw_0_7']] },
    seniors: { indicatorSets: [['einw_65_80', 'einw_80_plus']] },
  },
  offerTypes: { kita: 'kinder_0_7' },
};

function rectangle([west, south, east, north]: Rectangle): number[][][] {
  return [[[west, south], [east, south], [east, north], [west, north], [west, south]]];
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** The files a planner has: areas, a statistics table in their own age bands, a Kita list. */
function writeSourceFiles(folder: string, city: CityFixture): { areas: string; statistics: string; kitas: string } {
  const files = { areas: path.join(folder, 'stadtteile.geojson'), statistics: path.join(folder, 'einwohner.csv'), kitas: path.join(folder, 'kitas.geojson') };
  writeJson(files.areas, {
    type: 'FeatureCollection',
    features: city.areas.map((area) => ({ type: 'Feature', properties: { nr: area.nr, name: area.name }, geometry: { type: 'Polygon', coordinates: rectangle(area.box) } })),
  });
  fs.writeFileSync(
    files.statistics,
    ['nr;jahr;einw_0_7;einw_65_80;einw_80_plus', ...city.areas.map((area) => `${area.nr};2023;${area.children};${area.seniors65};${area.seniors80}`)].join('\n') + '\n',
  );
  writeJson(files.kitas, {
    type: 'FeatureCollection',
    features: city.kitas.map((kita) => ({ type: 'Feature', properties: { id: kita.id, name: kita.name, plaetze: kita.places }, geometry: { type: 'Point', coordinates: [kita.lon, kita.lat] } })),
  });
  return files;
}

function manifestBase(city: CityFixture, id: string, file: string, order: number) {
  return {
    id: `${city.id}-${id}`,
    city: city.id,
    title: `${city.name}: ${id}`,
    file,
    sourceUrl: 'https://example.org/opendata',
    publisher: `Stadt ${city.name}`,
    licence: 'dl-de/by-2-0',
    attribution: `Stadt ${city.name}, dl-de/by-2-0`,
    loadByDefault: true,
    order,
  };
}

/** What the planner writes into the city folder besides city init's output. */
function writeCityDeclarations(cityFolder: string, city: CityFixture, sources: { statistics: string; kitas: string }): void {
  writeJson(path.join(cityFolder, 'indicators.json'), ownIndicators);
  writeJson(path.join(cityFolder, 'coverage-demand.json'), ownDemand);
  writeJson(path.join(cityFolder, 'datasets', `${city.id}-einwohner.json`), {
    ...manifestBase(city, 'einwohner', path.relative(cityFolder, sources.statistics), 20),
    kind: 'statistics',
    mapping: {
      format: 'wide',
      delimiter: ';',
      area: { field: 'nr', rules: [{ match: '^[0-9]{2}$', level: 'sozialraum' }] },
      period: { field: 'jahr', format: 'year' },
      columns: { einw_0_7: 'einw_0_7', einw_65_80: 'einw_65_80', einw_80_plus: 'einw_80_plus' },
    },
  });
  writeJson(path.join(cityFolder, 'datasets', `${city.id}-kitas.json`), {
    ...manifestBase(city, 'kitas', sources.kitas, 30),
    kind: 'offers',
    mapping: {
      externalId: 'id',
      name: 'name',
      capacity: { field: 'plaetze', unit: 'places' },
      offerType: 'kita',
      department: { code: 'jugendamt', name: `Jugendamt ${city.name}` },
    },
  });
}

/** Great-circle metres on PostGIS's sphere: the independent distance of the check. */
function haversineMeters(a: [number, number], b: [number, number]): number {
  const radius = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * radius * Math.asin(Math.sqrt(h));
}

/**
 * The figures per area computed from the input alone: without streets, an area's residents sit at
 * one point inside it (the middle of a rectangle); a Kita reaches them within 1,000 m walking,
 * i.e. airline distance × 1.3.
 */
function expectedCoverage(city: CityFixture, code: string) {
  const area = city.areas.find((candidate) => candidate.nr === code)!;
  const [west, south, east, north] = area.box;
  const inside = city.kitas.filter((kita) => kita.lon > west && kita.lon < east && kita.lat > south && kita.lat < north);
  const centre: [number, number] = [(west + east) / 2, (south + north) / 2];
  const nearest = Math.min(...city.kitas.map((kita) => haversineMeters(centre, [kita.lon, kita.lat]) * 1.3));
  const places = inside.reduce((sum, kita) => sum + kita.places, 0);
  return {
    targetPopulation: area.children,
    offers: inside.length,
    capacityPer1000: (places / area.children) * 1000,
    offersPer1000: (inside.length / area.children) * 1000,
    shareWithinReach: nearest <= 1000 ? 1 : 0,
  };
}

function areaOf(result: CoverageResult, code: string): AreaCoverage {
  const found = result.areas.find((entry) => entry.code === code && entry.level === 'sozialraum');
  if (!found) throw new Error(`no Sozialraum ${code} in ${JSON.stringify(result.areas.map((entry) => entry.code))}`);
  return found;
}

describe('a city from files outside the repository', () => {
  let testDatabase: TestDatabase;
  let temp: string;
  let geodataDir: string;
  let output: string[];
  let errors: string[];

  /** The command line in this process, for the city `cityId`, as a fresh `npm run cli` would build it. */
  async function cli(cityId: string, ...args: string[]): Promise<number> {
    output = [];
    errors = [];
    const config = testConfig({ city: cityId, geodataDir });
    const datasets = createDatasetsService({ geodataDir, city: 'koeln' });
    const cityDatasets = fs.existsSync(path.join(geodataDir, 'cities', cityId, 'city.json')) ? createDatasetsService({ geodataDir, city: cityId }) : datasets;
    const context: CliContext = {
      config,
      logger: silentLogger,
      datasets: cityDatasets,
      database: async () => {
        await prepareServedCity(testDatabase.database.knex, cityDatasets.city(), cityDatasets.indicators());
        return testDatabase.database;
      },
      out: (text) => output.push(text),
      err: (text) => errors.push(text),
      close: async () => undefined,
    };
    process.exitCode = undefined;
    await createProgram(cliCommands, () => context).parseAsync(['node', 'cli', ...args]);
    return Number(process.exitCode ?? 0);
  }

  /** city init, the planner's declarations and load-city: the steps of the README. */
  async function setUpCity(city: CityFixture): Promise<void> {
    const sources = writeSourceFiles(path.join(temp, 'quellen', city.id), city);
    const init = await cli(city.id, 'city', 'init', city.id, '--name', city.name, '--holiday-state', 'SH', '--areas', sources.areas, '--code-field', 'nr', '--name-field', 'name');
    expect(init, errors.join('\n')).toBe(0);
    writeCityDeclarations(path.join(geodataDir, 'cities', city.id), city, sources);
    const loaded = await cli(city.id, 'load-city');
    expect(loaded, `${output.join('\n')}\n${errors.join('\n')}`).toBe(0);
  }

  beforeAll(async () => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'angebotsatlas-city-'));
    geodataDir = path.join(temp, 'daten');
    testDatabase = await createTestDatabase();
    await setUpCity(testhafen);
  });
  afterEach(() => {
    process.exitCode = undefined;
  });
  afterAll(async () => {
    await testDatabase?.destroy();
    fs.rmSync(temp, { recursive: true, force: true });
  });

  it('city init writes a profile whose bbox and centre come from the area file, outside the repository', () => {
    const profile = JSON.parse(fs.readFileSync(path.join(geodataDir, 'cities', 'testhafen', 'city.json'), 'utf8')) as Record<string, unknown>;
    expect(profile).toMatchObject({ id: 'testhafen', name: 'Testhafen', holidayState: 'SH', bbox: [9.39, 54.78, 9.45, 54.8], center: [9.42, 54.79] });
    const manifest = JSON.parse(fs.readFileSync(path.join(geodataDir, 'cities', 'testhafen', 'datasets', 'testhafen-areas.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ kind: 'areas', city: 'testhafen', crs: 'EPSG:4326', mapping: { level: 'sozialraum', code: 'nr', name: 'name' } });
  });

  it('gives coverage per area with the city\'s own demand indicator, equal to an independent computation', async () => {
    const app = createTestApp(testDatabase.database, { city: 'testhafen', geodataDir });
    const response = await request(app).get('/api/coverage').query({ offerType: 'kita' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const body = response.body as CoverageResult;
    // The method names the indicator by its German label and the city's own target group.
    expect(body.method.demand.indicators).toEqual([{ code: 'einw_0_7', label: 'Einwohner 0 bis unter 7 Jahre' }]);
    expect(body.method.targetGroup).toEqual({ code: 'kinder_0_7', label: 'Kinder unter 7 Jahren' });
    expect(body.method.reach).toMatchObject({ mode: 'walk', meters: 1000, measuredOn: 'airline_with_detour' });
    for (const code of ['01', '02', '03']) {
      const expected = expectedCoverage(testhafen, code);
      const actual = areaOf(body, code);
      expect(actual.targetPopulation, code).toBe(expected.targetPopulation);
      expect(actual.offers, code).toBe(expected.offers);
      expect(actual.capacityPer1000, code).toBeCloseTo(expected.capacityPer1000, 9);
      expect(actual.offersPer1000, code).toBeCloseTo(expected.offersPer1000, 9);
      expect(actual.shareWithinReach, code).toBe(expected.shareWithinReach);
    }
    // The shares differ between the areas, so the check above is not trivially met.
    expect(new Set(['01', '02', '03'].map((code) => expectedCoverage(testhafen, code).shareWithinReach))).toEqual(new Set([0, 1]));
    const city = body.areas.find((entry) => entry.level === 'city');
    expect(city).toMatchObject({ code: 'testhafen', targetPopulation: 875 });
  });

  it('counts seniors in the city\'s own 65–80 and 80+ bands, as its demand rules say', async () => {
    const app = createTestApp(testDatabase.database, { city: 'testhafen', geodataDir });
    const response = await request(app).get('/api/coverage').query({ targetGroup: 'seniors' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect((response.body as CoverageResult).method.demand.indicators.map((indicator) => indicator.label)).toEqual([
      'Einwohner 65 bis unter 80 Jahre',
      'Einwohner 80 Jahre und älter',
    ]);
    expect(areaOf(response.body as CoverageResult, '01').targetPopulation).toBe(1200);
  });

  it('refuses a statistics file with an indicator the city never declared, naming code and dataset, and writes nothing', async () => {
    const cityFolder = path.join(geodataDir, 'cities', 'testhafen');
    const manifestFile = path.join(cityFolder, 'datasets', 'testhafen-einwohner.json');
    const original = fs.readFileSync(manifestFile, 'utf8');
    const manifest = JSON.parse(original) as { mapping: { columns: Record<string, string> } };
    manifest.mapping.columns = { ...manifest.mapping.columns, einw_0_7: 'einw_0_6' };
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const knex = testDatabase.database.knex;
    const countStatistics = async () => Number(((await knex('area_statistics').count({ count: '*' })) as { count: string }[])[0]!.count);
    const before = await countStatistics();
    try {
      expect(await cli('testhafen', 'import', 'testhafen-einwohner')).toBe(1);
    } finally {
      fs.writeFileSync(manifestFile, original);
    }
    expect(output.join('\n')).toMatch(/einw_0_6.*testhafen-einwohner/);
    expect(await countStatistics()).toBe(before);
  });

  it('refuses to start with a demand rule that names an undeclared indicator, naming the file and the code', () => {
    const demandFile = path.join(geodataDir, 'cities', 'testhafen', 'coverage-demand.json');
    const original = fs.readFileSync(demandFile, 'utf8');
    writeJson(demandFile, { ...ownDemand, targetGroups: { kinder_0_7: { indicatorSets: [['einw_0_6']] } } });
    try {
      expect(() => createTestApp(testDatabase.database, { city: 'testhafen', geodataDir })).toThrow(/coverage-demand\.json.*"einw_0_6" is not declared/);
    } finally {
      fs.writeFileSync(demandFile, original);
    }
  });

  describe('and a second city with the same area codes in the same database', () => {
    beforeAll(async () => {
      await setUpCity(testdorf);
    });

    it('answers each city with its own areas', async () => {
      for (const city of [testhafen, testdorf]) {
        const app = createTestApp(testDatabase.database, { city: city.id, geodataDir });
        const response = await request(app).get('/api/areas').query({ level: 'sozialraum' });
        expect(response.status).toBe(200);
        const features = (response.body as { features: Array<{ properties: { code: string; name: string } }> }).features;
        expect(features.map((feature) => [feature.properties.code, feature.properties.name])).toEqual(city.areas.map((area) => [area.nr, area.name]));
      }
    });

    it('computes each city\'s coverage from its own statistics and Kitas only', async () => {
      for (const city of [testhafen, testdorf]) {
        const app = createTestApp(testDatabase.database, { city: city.id, geodataDir });
        const body = (await request(app).get('/api/coverage').query({ offerType: 'kita' })).body as CoverageResult;
        expect(body.method.supply.offers, city.id).toBe(city.kitas.length);
        for (const area of city.areas) {
          const expected = expectedCoverage(city, area.nr);
          expect(areaOf(body, area.nr), `${city.id} ${area.nr}`).toMatchObject({
            name: area.name,
            targetPopulation: expected.targetPopulation,
            offers: expected.offers,
            shareWithinReach: expected.shareWithinReach,
          });
          expect(areaOf(body, area.nr).capacityPer1000).toBeCloseTo(expected.capacityPer1000, 9);
        }
      }
    });

    it('lets citizens find only the offers and departments of their city', async () => {
      for (const city of [testhafen, testdorf]) {
        const app = createTestApp(testDatabase.database, { city: city.id, geodataDir });
        const search = await request(app).get('/api/search').query({ offerType: 'kita' });
        expect(search.status, JSON.stringify(search.body)).toBe(200);
        const names = (search.body as { results: Array<{ name: string }> }).results.map((result) => result.name).sort();
        expect(names).toEqual(city.kitas.map((kita) => kita.name).sort());
        const departments = await request(app).get('/api/departments');
        expect((departments.body as Array<{ name: string }>).map((department) => department.name)).toEqual([`Jugendamt ${city.name}`]);
      }
    });
  });
});
