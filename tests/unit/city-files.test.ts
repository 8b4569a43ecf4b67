import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initCity } from '../../server/cities/cities.service.ts';
import { loadCityDemandMapping, loadDemandMapping } from '../../server/coverage/demand.ts';
import { loadCityFolder, loadIndicatorFile } from '../../server/datasets/city-files.ts';
import { CityFileError } from '../../server/datasets/datasets.schema.ts';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';

// Issue 13: a city folder outside the repository, checked file by file; every problem names the
// file, the field and the reason.

let temp: string;

function write(relative: string, value: unknown): string {
  const file = path.join(temp, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

const profile = { id: 'flensburg', name: 'Flensburg', bbox: [9.36, 54.74, 9.5, 54.83], center: [9.43, 54.79], holidayState: 'SH' };

const statisticsManifest = {
  id: 'flensburg-einwohner',
  kind: 'statistics',
  city: 'flensburg',
  title: 'Einwohner',
  file: 'quellen/einwohner.csv',
  sourceUrl: 'https://example.org/',
  publisher: 'Stadt Flensburg',
  licence: 'dl-de/by-2-0',
  attribution: 'Stadt Flensburg',
  mapping: { format: 'wide', area: { field: 'nr', rules: [{ match: '^[0-9]{2}$', level: 'sozialraum' }] }, period: { value: '2023-12-31' }, columns: { einw_0_7: 'einw_0_7' } },
};

beforeEach(() => {
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'city-files-'));
});
afterEach(() => {
  fs.rmSync(temp, { recursive: true, force: true });
});

describe('city folders', () => {
  it('read a folder: profile, manifests with paths relative to the folder, own indicators and demand rules', () => {
    const folder = path.join(temp, 'cities', 'flensburg');
    write('cities/flensburg/city.json', profile);
    write('cities/flensburg/datasets/flensburg-einwohner.json', statisticsManifest);
    write('cities/flensburg/indicators.json', { indicators: [{ code: 'einw_0_7', label: { de: 'Einwohner 0 bis unter 7 Jahre', en: 'Residents 0 to under 7' }, kind: 'count' }] });
    const source = loadCityFolder(folder);
    expect(source.profile.name).toBe('Flensburg');
    expect(source.indicatorsFile).toBe(path.join(folder, 'indicators.json'));
    expect(source.demandFile).toBeUndefined();
    const datasets = createDatasetsService({ geodataDir: temp, city: 'flensburg' });
    expect(datasets.city().id).toBe('flensburg');
    expect(datasets.get('flensburg-einwohner')?.path).toBe(path.join(folder, 'quellen', 'einwohner.csv'));
    // The bundled list stays, the city's own codes come on top.
    const codes = datasets.indicators().map((indicator) => indicator.code);
    expect(codes).toContain('population_total');
    expect(datasets.indicators().find((indicator) => indicator.code === 'einw_0_7')).toMatchObject({ unit: 'persons', aggregation: 'sum', labelDe: 'Einwohner 0 bis unter 7 Jahre' });
    // The bundled cities are read the same way next to it.
    expect(datasets.findCity('koeln')?.name).toBe('Köln');
  });

  it('name the file, the field and the reason of a broken profile', () => {
    write('cities/flensburg/city.json', { ...profile, holidayState: 'Schleswig-Holstein' });
    expect(() => loadCityFolder(path.join(temp, 'cities', 'flensburg'))).toThrow(CityFileError);
    expect(() => loadCityFolder(path.join(temp, 'cities', 'flensburg'))).toThrow(/city\.json: holidayState: must be a two-letter German state code/);
  });

  it('say how to create a folder without city.json', () => {
    fs.mkdirSync(path.join(temp, 'leer'));
    expect(() => loadCityFolder(path.join(temp, 'leer'))).toThrow(/holds no city\.json: create one with "npm run cli -- city init/);
  });

  it('name the field of an indicator with an unknown kind and a code declared twice', () => {
    const badKind = write('a/indicators.json', { indicators: [{ code: 'einw_0_7', label: { de: 'A', en: 'A' }, kind: 'ratio' }] });
    expect(() => loadIndicatorFile(badKind)).toThrow(/indicators\.json: indicators\.0\.kind: must be one of count, share, index/);
    const twice = write('b/indicators.json', {
      indicators: [
        { code: 'einw_0_7', label: { de: 'A', en: 'A' }, kind: 'count' },
        { code: 'einw_0_7', label: { de: 'B', en: 'B' }, kind: 'share' },
      ],
    });
    expect(() => loadIndicatorFile(twice)).toThrow(/indicators\.1\.code: "einw_0_7" is declared twice/);
  });

  it('refuse a manifest of another city in the folder and a city id that is bundled already', () => {
    write('cities/flensburg/city.json', profile);
    write('cities/flensburg/datasets/flensburg-einwohner.json', { ...statisticsManifest, city: 'kiel' });
    expect(() => loadCityFolder(path.join(temp, 'cities', 'flensburg'))).toThrow(/flensburg-einwohner\.json: city: names "kiel", but the folder holds the city "flensburg"/);
    write('cities/koeln/city.json', { ...profile, id: 'koeln', name: 'Köln (Kopie)' });
    fs.rmSync(path.join(temp, 'cities', 'flensburg'), { recursive: true });
    expect(() => createDatasetsService({ geodataDir: temp, city: 'koeln' })).toThrow(/id: the city "koeln" is already defined in geodata\/cities\/koeln\.json/);
  });

  it('say which cities exist when CITY names none of them', () => {
    expect(() => createDatasetsService({ geodataDir: temp, city: 'kiel' })).toThrow(/CITY "kiel" is neither a bundled city .* \(known: berlin, koeln\)\. Create one with "npm run cli -- city init kiel/);
  });
});

describe('a city\'s demand rules', () => {
  const indicators = [{ code: 'einw_0_7' }, { code: 'population_total' }];

  it('take precedence where the city has its own and fall back to the bundled ones elsewhere', () => {
    const file = write('demand.json', { targetGroups: { kinder_0_7: { label: { de: 'Kinder unter 7 Jahren', en: 'Children under 7' }, indicatorSets: [['einw_0_7']] } }, offerTypes: { kita: 'kinder_0_7' } });
    const mapping = loadCityDemandMapping({ cityFile: file, indicators });
    const bundled = loadDemandMapping();
    expect(mapping.offerTypes.kita).toBe('kinder_0_7');
    expect(mapping.targetGroups.kinder_0_7?.indicatorSets).toEqual([['einw_0_7']]);
    expect(bundled.offerTypes.kita).toBe('children_under_6');
    expect(mapping.offerTypes.care_home).toBe(bundled.offerTypes.care_home);
    expect(mapping.targetGroups.seniors).toEqual(bundled.targetGroups.seniors);
    expect(loadCityDemandMapping({ cityFile: undefined, indicators })).toEqual(bundled);
  });

  it('refuse an indicator that was never declared and an unknown target group, naming file, rule and code', () => {
    const file = write('demand.json', { targetGroups: { kinder_0_7: { indicatorSets: [['einw_0_6']] } }, offerTypes: { kita: 'kleinkinder' } });
    const attempt = () => loadCityDemandMapping({ cityFile: file, indicators });
    expect(attempt).toThrow(/demand\.json: targetGroups\.kinder_0_7\.indicatorSets\.0\.0: the indicator "einw_0_6" is not declared/);
    expect(attempt).toThrow(/offerTypes\.kita: names the unknown target group "kleinkinder"/);
  });
});

describe('city init', () => {
  const square = (x: number, y: number, size: number) => [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]];

  it('computes bbox and centre from an area file in EPSG:25832 and writes the areas manifest', () => {
    // Around Cologne cathedral (6.9583° E, 50.9413° N ≈ 356 570 E, 5 645 560 N in UTM 32N).
    const areas = write('quellen/viertel.geojson', {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25832' } },
      features: [{ type: 'Feature', properties: { code: '101', name: 'Dom' }, geometry: { type: 'Polygon', coordinates: square(356_070, 5_645_060, 1000) } }],
    });
    const result = initCity({ id: 'domstadt', name: 'Domstadt', holidayState: 'NW', folder: path.join(temp, 'cities', 'domstadt'), areas: { file: areas, level: 'sozialraum', codeField: 'code', nameField: 'name' } });
    expect(result.profile.center[0]).toBeCloseTo(6.9583, 2);
    expect(result.profile.center[1]).toBeCloseTo(50.9413, 2);
    expect(result.profile.bbox[2] - result.profile.bbox[0]).toBeCloseTo(1000 / (111_320 * Math.cos((50.94 * Math.PI) / 180)), 3);
    const manifest = JSON.parse(fs.readFileSync(result.manifestFile!, 'utf8')) as { file: string; crs: string; mapping: { derive: unknown[] } };
    expect(manifest).toMatchObject({ file: areas, crs: 'EPSG:25832', mapping: { derive: [{ level: 'city', code: 'domstadt', name: 'Domstadt' }] } });
    // The folder is a valid city folder right away.
    expect(loadCityFolder(result.folder).manifests.map((entry) => entry.id)).toEqual(['domstadt-areas']);
  });

  it('refuses to overwrite a profile, an area without its code and a file in an unknown CRS', () => {
    const folder = path.join(temp, 'cities', 'domstadt');
    initCity({ id: 'domstadt', name: 'Domstadt', holidayState: 'NW', folder, bbox: [6.9, 50.9, 7, 51] });
    expect(() => initCity({ id: 'domstadt', name: 'Domstadt', holidayState: 'NW', folder, bbox: [6.9, 50.9, 7, 51] })).toThrow(/city\.json exists already; give --force/);
    const noCode = write('a.geojson', { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Dom' }, geometry: { type: 'Polygon', coordinates: square(6.9, 50.9, 0.01) } }] });
    expect(() => initCity({ id: 'zwei', name: 'Zwei', holidayState: 'NW', folder: path.join(temp, 'zwei'), areas: { file: noCode, level: 'sozialraum', codeField: 'code', nameField: 'name' } })).toThrow(
      /features\.0\.properties\.code: is missing/,
    );
    const gaussKrueger = write('b.geojson', { type: 'FeatureCollection', crs: { properties: { name: 'EPSG:31466' } }, features: [{ type: 'Feature', properties: { code: '1', name: 'A' }, geometry: { type: 'Polygon', coordinates: square(2_560_000, 5_650_000, 100) } }] });
    expect(() => initCity({ id: 'drei', name: 'Drei', holidayState: 'NW', folder: path.join(temp, 'drei'), areas: { file: gaussKrueger, level: 'sozialraum', codeField: 'code', nameField: 'name' } })).toThrow(
      /EPSG:31466\. Give --bbox and --center instead/,
    );
    expect(fs.existsSync(path.join(temp, 'zwei', 'city.json'))).toBe(false);
  });
});
