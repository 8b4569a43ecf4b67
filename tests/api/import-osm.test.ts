import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeocodeFeatureCollection } from '../../server/geocoding/geocoding.schema.ts';
import type { AppConfig } from '../../server/meta/meta.schema.ts';
import { isWalkable } from '../../server/imports/osm-extract.ts';
import { createOsmImportService, osmSource, readOsmOfferMapping, type OsmCity } from '../../server/imports/osm-import.service.ts';
import { createStreetKernel } from '../../server/streets/streets.service.ts';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import type { CliContext } from '../../server/cli/cli-context.ts';
import { cliCommands } from '../../server/cli/commands.ts';
import { createProgram } from '../../server/cli/program.ts';
import { prepareServedCity } from '../../server/cities/cities.service.ts';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import type { OsmImportReport } from '../../server/imports/osm-import.schema.ts';
import { createTestApp, silentLogger, testConfig } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { geodataDir, geodataMissing } from './import-geodata.ts';

// The OpenStreetMap import (issue 13, item 6) on real extracts: north of Bayreuth (.osm.gz, with
// 800 addr:* points and footways) and Andorra (.osm.pbf, with its parishes as boundary relations).

const bayreuthFile = path.join(geodataDir, 'osm-extracts/north-bayreuth.osm.gz');
const andorraFile = path.join(geodataDir, 'osm-extracts/andorra.osm.pbf');
const missing = geodataMissing(['osm-extracts/north-bayreuth.osm.gz', 'osm-extracts/andorra.osm.pbf']);

// The extract's <bounds>.
const bayreuth: OsmCity = { id: 'bayreuth-nord', name: 'Bayreuth Nord', bbox: [11.4807, 49.9721, 11.6053, 50.047], holidayState: 'BY' };
const andorra: OsmCity = { id: 'andorra', name: 'Andorra', bbox: [1.4, 42.42, 1.79, 42.66] };

let testDatabase: TestDatabase;
let app: Express;
let tempDir: string;

function service() {
  const knex = testDatabase.database.knex;
  return createOsmImportService({ db: knex, taxonomies: createTaxonomiesService({ db: knex }), logger: silentLogger });
}

async function count(table: string): Promise<number> {
  const row = (await testDatabase.database.knex(table).count<{ count: string }[]>({ count: '*' }).first())!;
  return Number(row.count);
}

beforeAll(async () => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'osm-import-'));
  if (missing) return;
  testDatabase = await createTestDatabase();
  // The portal serves the Bayreuth city from a city folder outside the project (CITY_DIR).
  const cityDir = path.join(tempDir, bayreuth.id);
  fs.mkdirSync(cityDir);
  const [west, south, east, north] = bayreuth.bbox;
  fs.writeFileSync(
    path.join(cityDir, 'city.json'),
    JSON.stringify({ id: bayreuth.id, name: bayreuth.name, bbox: bayreuth.bbox, center: [(west + east) / 2, (south + north) / 2], holidayState: 'BY' }),
  );
  app = createTestApp(testDatabase.database, { city: bayreuth.id, cityDir });
}, 120_000);

afterAll(async () => {
  await testDatabase?.destroy();
  fs.rmSync(tempDir, { recursive: true, force: true });
});

describe.skipIf(missing)('OpenStreetMap import: north of Bayreuth (.osm.gz)', () => {
  let reportTables: Record<string, { inserted: number }> = {};

  beforeAll(async () => {
    const report = await service().run(bayreuthFile, {
      city: bayreuth,
      request: { addresses: true, network: true, offers: readOsmOfferMapping(path.resolve('geodata/osm-offers.json')) },
    });
    expect(report.errors).toEqual([]);
    expect(report.status).toBe('succeeded');
    reportTables = report.tables;
  }, 240_000);

  it('writes the address points and the walking network where the street kernel reads them', async () => {
    expect(reportTables.address_points!.inserted).toBeGreaterThan(750);
    expect(await count('address_points')).toBe(reportTables.address_points!.inserted);
    const sources = (await testDatabase.database.knex('street_segments').distinct('source')) as { source: string }[];
    expect(sources.map((row) => row.source)).toEqual([osmSource('bayreuth-nord')]);
    expect(await count('street_segments')).toBe(reportTables.street_segments!.inserted);
  });

  it('finds a real addr:* address at house-number precision, at the address point itself', async () => {
    // node 307207495: addr:street=Neuenreuther Straße, addr:housenumber=17, addr:city=Neudrossenfeld.
    const response = await request(app).get('/api/geocode').query({ q: 'Neuenreuther Straße 17, Neudrossenfeld' });
    expect(response.status).toBe(200);
    const [best] = (response.body as GeocodeFeatureCollection).features;
    expect(best?.properties).toMatchObject({ kind: 'address', label: 'Neuenreuther Straße 17', precision: 'house_number', context: 'Neudrossenfeld' });
    expect(best?.geometry.coordinates).toEqual([11.498767, 50.017947]);
  });

  it('keeps the addresses to their city: the portal of another city does not answer them', async () => {
    const koeln = createTestApp(testDatabase.database);
    const response = await request(koeln).get('/api/geocode').query({ q: 'Neuenreuther Straße 17' });
    expect(response.status).toBe(200);
    expect((response.body as GeocodeFeatureCollection).features.filter((feature) => feature.properties.kind === 'address')).toEqual([]);
  });

  it('answers the same street name in two villages with one result each', async () => {
    const gunzipped = zlib.gunzipSync(fs.readFileSync(bayreuthFile)).toString('utf8');
    // An independent look at the file: which places have a "Hauptstraße 2"?
    const places = new Set<string>();
    for (const match of gunzipped.matchAll(/<(node|way) id="\d+"[^>]*>([\s\S]*?)<\/\1>/g)) {
      const body = match[2]!;
      if (body.includes('k="addr:street" v="Hauptstraße"') && body.includes('k="addr:housenumber" v="2"')) {
        places.add(/k="addr:city" v="([^"]+)"/.exec(body)?.[1] ?? '');
      }
    }
    const response = await request(app).get('/api/geocode').query({ q: 'Hauptstraße 2', limit: 10 });
    const found = (response.body as GeocodeFeatureCollection).features.filter((feature) => feature.properties.precision === 'house_number');
    expect(new Set(found.map((feature) => feature.properties.context))).toEqual(places);
  });

  it('walks on the OSM ways: network distances equal an independent Dijkstra on the same ways', async () => {
    const graph = independentGraph(zlib.gunzipSync(fs.readFileSync(bayreuthFile)).toString('utf8'));
    const kernel = createStreetKernel({ db: testDatabase.database.knex, cityId: bayreuth.id });
    // Pairs of footway/path junctions a few hundred metres to ~2 km apart, chosen from the file.
    const pairs = choosePairs(graph, 5);
    expect(pairs.length).toBe(5);
    for (const [from, to] of pairs) {
      const expected = dijkstra(graph, from, to);
      const [estimate] = await kernel.walkingDistances(graph.position.get(from)!, [graph.position.get(to)!]);
      expect(estimate!.method).toBe('network');
      // The kernel measures on the spheroid (ST_Length of geography), the test on a sphere: ≤ 0.5 %.
      expect(Math.abs(estimate!.meters - expected)).toBeLessThanOrEqual(expected * 0.005 + 1);
    }
  });

  it('imports the Kitas with their address and the ODbL attribution, by OSM id', async () => {
    const rows = (await testDatabase.database.knex('offers').where({ source: osmSource('bayreuth-nord', 'kita') }).orderBy('external_id').select('external_id', 'name', 'description')) as {
      external_id: string;
      name: string;
      description: string;
    }[];
    expect(rows.map((row) => row.external_id)).toEqual(['way/104656730', 'way/200157596', 'way/284222523']);
    expect(rows.map((row) => row.name)).toContain('Evangelische Kindertagesstätte Harsdorf');
    for (const row of rows) expect(row.description).toContain('© OpenStreetMap-Mitwirkende, ODbL');
  });

  it('names OpenStreetMap (ODbL) in the portal footer for the imported data', async () => {
    const response = await request(app).get('/api/config');
    expect(response.status).toBe(200);
    const attributions = (response.body as AppConfig).attributions;
    const osm = attributions.filter((entry) => entry.attribution === '© OpenStreetMap-Mitwirkende, ODbL');
    expect(osm).toHaveLength(1);
    expect(osm[0]!.datasets.map((dataset) => dataset.id)).toEqual(expect.arrayContaining([osmSource('bayreuth-nord'), osmSource('bayreuth-nord', 'kita')]));
  });
});

describe.skipIf(missing)('OpenStreetMap import: Andorra (.osm.pbf)', () => {
  it('imports the parishes (admin_level 7) as areas from the boundary relations, through the command line', async () => {
    // A city folder for Andorra (GEODATA_DIR/cities/andorra/city.json), as `city init` writes it.
    const geodata = path.join(tempDir, 'geodata');
    const [west, south, east, north] = andorra.bbox;
    fs.mkdirSync(path.join(geodata, 'cities', andorra.id), { recursive: true });
    fs.writeFileSync(
      path.join(geodata, 'cities', andorra.id, 'city.json'),
      JSON.stringify({ id: andorra.id, name: andorra.name, bbox: andorra.bbox, center: [(west + east) / 2, (south + north) / 2], holidayState: 'NW' }),
    );
    const datasets = createDatasetsService({ geodataDir: geodata, city: andorra.id });
    const output: string[] = [];
    const progress: string[] = [];
    const context: CliContext = {
      config: testConfig({ city: andorra.id, geodataDir: geodata }),
      logger: silentLogger,
      datasets,
      database: async () => {
        await prepareServedCity(testDatabase.database.knex, datasets.city(), datasets.indicators());
        return testDatabase.database;
      },
      out: (text) => output.push(text),
      err: (text) => progress.push(text),
      close: async () => undefined,
    };
    process.exitCode = undefined;
    await createProgram(cliCommands, () => context).parseAsync(['node', 'cli', 'import-osm', andorraFile, '--city', andorra.id, '--areas', '--admin-level', '7', '--area-level', 'district', '--json']);
    expect(process.exitCode ?? 0).toBe(0);
    expect(progress.some((line) => /^reading (relations|ways|nodes): [\d,]+ elements$/.test(line))).toBe(true);
    const report = JSON.parse(output.join('\n')) as OsmImportReport;
    expect(report.errors).toEqual([]);
    expect(report.status).toBe('succeeded');
    const areas = (await testDatabase.database.knex('areas').where({ city_id: andorra.id, level: 'district', source: osmSource('andorra') }).orderBy('name').select('code', 'name', 'area_m2')) as {
      code: string;
      name: string;
      area_m2: number;
    }[];
    expect(areas.map((area) => area.name)).toEqual(['Andorra la Vella', 'Encamp', 'Escaldes-Engordany', 'La Massana', 'Ordino', 'Sant Julià de Lòria']);
    // Canillo's relation lacks member ways in this extract (GDAL also reads 6): reported, not guessed.
    expect(report.warnings.map((warning) => warning.message).join('\n')).toMatch(/Canillo.*missing from the extract/);
    // GDAL's reading of the same relations as the reference (its own multipolygon assembly), in km²:
    // ogr2ogr -f CSV out.csv andorra.osm.pbf -dialect sqlite \
    //   -sql "select name, ST_Area(ST_Transform(geometry, 3035)) as a from multipolygons where admin_level='7'"
    const gdal: Record<string, number> = {
      'Andorra la Vella': 26.62085,
      Encamp: 81.445917,
      'Escaldes-Engordany': 45.619511,
      'La Massana': 64.531332,
      Ordino: 84.926322,
      'Sant Julià de Lòria': 53.044747,
    };
    for (const area of areas) expect(Math.abs(Number(area.area_m2) / 1e6 - gdal[area.name]!)).toBeLessThan(gdal[area.name]! * 0.002);
  }, 180_000);
});

describe.skipIf(missing)('OpenStreetMap import: bad input writes nothing', () => {
  it('refuses a truncated PBF with a clear error', async () => {
    const truncated = path.join(tempDir, 'andorra-truncated.osm.pbf');
    const bytes = fs.readFileSync(andorraFile);
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const before = await count('street_segments');
    const report = await service().run(truncated, { city: andorra, request: { addresses: true, network: true } });
    expect(report.status).toBe('failed');
    expect(report.errors[0]).toMatchObject({ code: 'unreadable_file' });
    expect(report.errors[0]!.message).toMatch(/is truncated/);
    expect(await count('street_segments')).toBe(before);
  }, 120_000);

  it('refuses a file outside the city\'s bounding box', async () => {
    const beforeSegments = await count('street_segments');
    const beforeAddresses = await count('address_points');
    const report = await service().run(andorraFile, { city: bayreuth, request: { addresses: true, network: true } });
    expect(report.status).toBe('failed');
    expect(report.errors[0]).toMatchObject({ code: 'outside_city', field: 'city' });
    expect(report.errors[0]!.message).toMatch(/does not overlap Bayreuth Nord/);
    expect(await count('street_segments')).toBe(beforeSegments);
    expect(await count('address_points')).toBe(beforeAddresses);
  }, 120_000);
});

describe.skipIf(missing)('OpenStreetMap import: bad input is refused before anything is read or written', () => {
  function cliContext(output: string[]): CliContext {
    const cityDir = path.join(tempDir, bayreuth.id);
    const datasets = createDatasetsService({ geodataDir, city: bayreuth.id, cityDir });
    return {
      config: testConfig({ city: bayreuth.id, cityDir }),
      logger: silentLogger,
      datasets,
      database: async () => testDatabase.database,
      out: (text) => output.push(text),
      err: () => undefined,
      close: async () => undefined,
    };
  }

  it('refuses a tag mapping with an unknown field, naming the field', async () => {
    const mappingFile = path.join(tempDir, 'mapping-typo.json');
    // "capacityUnits" is a typo of "capacityUnit": silently ignoring it would import Kitas without capacity.
    fs.writeFileSync(mappingFile, JSON.stringify({ rules: [{ id: 'kita', match: { amenity: 'kindergarten' }, offerType: 'kita', capacityUnits: 'Plätze' }] }));
    const before = await count('offers');
    const output: string[] = [];
    process.exitCode = undefined;
    const command = createProgram(cliCommands, () => cliContext(output)).parseAsync(['node', 'cli', 'import-osm', bayreuthFile, '--city', bayreuth.id, '--offers', mappingFile]);
    await expect(command).rejects.toThrow(/mapping-typo\.json is not valid: .*rules\.0.*capacityUnits/);
    expect(output).toEqual([]);
    expect(await count('offers')).toBe(before);
  }, 120_000);

  it('refuses a file that lists a node after the ways, instead of missing its coordinates', async () => {
    const unsorted = path.join(tempDir, 'unsorted.osm');
    fs.writeFileSync(
      unsorted,
      `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="50.01" lon="11.55"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way>
  <node id="2" lat="50.011" lon="11.55"/>
</osm>
`,
    );
    const before = await count('street_segments');
    const report = await service().run(unsorted, { city: bayreuth, request: { addresses: false, network: true } });
    expect(report.status).toBe('failed');
    expect(report.errors[0]).toMatchObject({ code: 'unreadable_file' });
    expect(report.errors[0]!.message).toMatch(/lists node 2 after ways or relations.*osmium sort/);
    expect(await count('street_segments')).toBe(before);
  }, 120_000);
});

describe.skipIf(missing)('OpenStreetMap import: re-import', () => {
  const city: OsmCity = { id: 'osm-fixture', name: 'Fixture', bbox: [11.0, 50.0, 11.1, 50.1] };
  const mapping = { department: { code: 'osm', name: 'OpenStreetMap-Import' }, rules: [{ id: 'kita', match: { amenity: 'kindergarten' }, offerType: 'kita', targetGroups: ['children_under_6'], capacityUnit: 'Plätze' }] };

  function writeFixture(name: string, kitas: Array<{ id: number; name: string; capacity?: number; wheelchair?: string; hours?: string }>): string {
    const nodes = kitas
      .map(
        (kita, index) => `  <node id="${kita.id}" lat="${50.05 + index * 0.001}" lon="11.05">
    <tag k="amenity" v="kindergarten"/>
    <tag k="name" v="${kita.name}"/>
${kita.capacity !== undefined ? `    <tag k="capacity" v="${kita.capacity}"/>\n` : ''}${kita.wheelchair ? `    <tag k="wheelchair" v="${kita.wheelchair}"/>\n` : ''}${kita.hours ? `    <tag k="opening_hours" v="${kita.hours}"/>\n` : ''}  </node>`,
      )
      .join('\n');
    const file = path.join(tempDir, name);
    fs.writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n${nodes}\n</osm>\n`);
    return file;
  }

  it('updates by OSM id and reports (and archives) what disappeared', async () => {
    const first = writeFixture('first.osm', [
      { id: 9001, name: 'Kita Sonnenschein', capacity: 40, wheelchair: 'yes', hours: 'Mo-Fr 07:00-16:30' },
      { id: 9002, name: 'Kita Regenbogen', capacity: 25 },
    ]);
    const firstReport = await service().run(first, { city, request: { addresses: false, network: false, offers: mapping } });
    expect(firstReport.status).toBe('succeeded');
    expect(firstReport.disappeared).toEqual([]);
    const knex = testDatabase.database.knex;
    const sonnenschein = (await knex('offers').where({ source: osmSource(city.id, 'kita'), external_id: 'node/9001' }).first()) as {
      id: string;
      capacity: number;
      opening_hours: string;
    };
    expect(sonnenschein).toMatchObject({ capacity: 40, opening_hours: 'Mo-Fr 07:00-16:30' });
    const accessibility = (await knex('offer_terms').join('taxonomy_terms', 'taxonomy_terms.id', 'offer_terms.term_id').where({ offer_id: sonnenschein.id, 'offer_terms.taxonomy': 'accessibility' }).select('taxonomy_terms.code')) as { code: string }[];
    expect(accessibility.map((row) => row.code)).toEqual(['step_free_entrance']);

    const second = writeFixture('second.osm', [{ id: 9001, name: 'Kita Sonnenschein', capacity: 45, wheelchair: 'yes', hours: 'Mo-Fr 07:00-16:30' }]);
    const secondReport = await service().run(second, { city, request: { addresses: false, network: false, offers: mapping } });
    expect(secondReport.status).toBe('succeeded');
    expect(secondReport.disappeared).toEqual([{ rule: 'kita', externalId: 'node/9002', name: 'Kita Regenbogen' }]);
    const rows = (await knex('offers').where({ source: osmSource(city.id, 'kita') }).orderBy('external_id').select('id', 'external_id', 'capacity', 'archived_at')) as {
      id: string;
      external_id: string;
      capacity: number;
      archived_at: Date | null;
    }[];
    expect(rows.map((row) => [row.external_id, row.capacity, row.archived_at !== null])).toEqual([
      ['node/9001', 45, false],
      ['node/9002', 25, true],
    ]);
    expect(rows[0]!.id).toBe(sonnenschein.id);
  }, 120_000);
});

describe.skipIf(missing)('OpenStreetMap import: a dataset manifest of kind osm', () => {
  it('imports the parts the manifest names with import-osm --dataset', async () => {
    const id = 'osm-manifest-stadt';
    const folder = path.join(tempDir, 'manifest-geodata', 'cities', id);
    fs.mkdirSync(path.join(folder, 'datasets'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'city.json'), JSON.stringify({ id, name: 'Manifeststadt', bbox: [11.0, 50.0, 11.1, 50.1], center: [11.05, 50.05], holidayState: 'BY' }));
    fs.writeFileSync(
      path.join(folder, 'extract.osm'),
      `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="50.05" lon="11.05"/>
  <node id="2" lat="50.051" lon="11.05"/>
  <node id="3" lat="50.052" lon="11.051"/>
  <node id="4" lat="50.0505" lon="11.0502"><tag k="addr:street" v="Am Anger"/><tag k="addr:housenumber" v="3a"/></node>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="footway"/><tag k="name" v="Am Anger"/></way>
  <way id="11"><nd ref="1"/><nd ref="3"/><tag k="highway" v="footway"/><tag k="access" v="private"/></way>
</osm>
`,
    );
    fs.writeFileSync(
      path.join(folder, 'datasets', `${id}-osm.json`),
      JSON.stringify({
        id: `${id}-osm`,
        city: id,
        kind: 'osm',
        title: 'OpenStreetMap extract',
        file: 'extract.osm',
        sourceUrl: 'https://www.openstreetmap.org/',
        publisher: 'OpenStreetMap-Mitwirkende',
        licence: 'ODbL 1.0',
        attribution: '© OpenStreetMap-Mitwirkende, ODbL',
        osm: { addresses: true, network: true },
      }),
    );
    const geodata = path.join(tempDir, 'manifest-geodata');
    const datasets = createDatasetsService({ geodataDir: geodata, city: id });
    const output: string[] = [];
    const context: CliContext = {
      config: testConfig({ city: id, geodataDir: geodata }),
      logger: silentLogger,
      datasets,
      database: async () => {
        await prepareServedCity(testDatabase.database.knex, datasets.city(), datasets.indicators());
        return testDatabase.database;
      },
      out: (text) => output.push(text),
      err: () => undefined,
      close: async () => undefined,
    };
    process.exitCode = undefined;
    await createProgram(cliCommands, () => context).parseAsync(['node', 'cli', 'import-osm', '--dataset', `${id}-osm`, '--json']);
    expect(process.exitCode ?? 0).toBe(0);
    const report = JSON.parse(output.join('\n')) as OsmImportReport;
    expect(report.status).toBe('succeeded');
    const knex = testDatabase.database.knex;
    const segments = (await knex('street_segments').where({ city_id: id }).orderBy('external_id').select('external_id', 'street_name')) as { external_id: string; street_name: string | null }[];
    // Way 11 (access=private) is not walkable, so way 10 shares no node and stays one segment.
    expect(segments).toEqual([{ external_id: 'way/10/0', street_name: 'Am Anger' }]);
    const addresses = (await knex('address_points').where({ city_id: id }).select('street_name', 'house_number')) as { street_name: string; house_number: string }[];
    expect(addresses).toEqual([{ street_name: 'Am Anger', house_number: '3a' }]);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// An independent walking graph: the XML read with regular expressions, every walkable way's
// consecutive nodes joined by their great-circle distance, and a plain Dijkstra over it.
// ---------------------------------------------------------------------------------------------

interface Graph {
  position: Map<string, [number, number]>;
  edges: Map<string, Array<[string, number]>>;
  /** Node ids where footways or paths meet another walkable way. */
  footJunctions: string[];
}

function haversine(a: [number, number], b: [number, number]): number {
  const radians = Math.PI / 180;
  const dLat = (b[1] - a[1]) * radians;
  const dLon = (b[0] - a[0]) * radians;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * radians) * Math.cos(b[1] * radians) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

function independentGraph(xml: string): Graph {
  const position = new Map<string, [number, number]>();
  for (const match of xml.matchAll(/<node id="(\d+)" lat="([-\d.]+)" lon="([-\d.]+)"/g)) position.set(match[1]!, [Number(match[3]), Number(match[2])]);
  const edges = new Map<string, Array<[string, number]>>();
  const uses = new Map<string, number>();
  const footNodes = new Set<string>();
  for (const match of xml.matchAll(/<way id="\d+"[^>]*>([\s\S]*?)<\/way>/g)) {
    const body = match[1]!;
    const tags = Object.fromEntries([...body.matchAll(/<tag k="([^"]+)" v="([^"]*)"\/>/g)].map((tag) => [tag[1]!, tag[2]!]));
    if (!isWalkable(tags)) continue;
    const refs = [...body.matchAll(/<nd ref="(\d+)"\/>/g)].map((nd) => nd[1]!);
    refs.forEach((ref) => uses.set(ref, (uses.get(ref) ?? 0) + 1));
    if (tags.highway === 'footway' || tags.highway === 'path') refs.forEach((ref) => footNodes.add(ref));
    for (let index = 1; index < refs.length; index += 1) {
      const a = refs[index - 1]!;
      const b = refs[index]!;
      if (!position.has(a) || !position.has(b)) continue;
      const meters = haversine(position.get(a)!, position.get(b)!);
      edges.set(a, [...(edges.get(a) ?? []), [b, meters]]);
      edges.set(b, [...(edges.get(b) ?? []), [a, meters]]);
    }
  }
  const [west, south, east, north] = bayreuth.bbox;
  const footJunctions = [...footNodes]
    .filter((node) => (uses.get(node) ?? 0) > 1 && position.has(node))
    .filter((node) => {
      const [lon, lat] = position.get(node)!;
      return lon > west + 0.01 && lon < east - 0.01 && lat > south + 0.01 && lat < north - 0.01;
    })
    .sort();
  return { position, edges, footJunctions };
}

function dijkstra(graph: Graph, from: string, to: string): number {
  const distance = new Map<string, number>([[from, 0]]);
  const done = new Set<string>();
  // A linear scan for the nearest open node: slow but obviously right.
  const open = new Set<string>([from]);
  while (open.size > 0) {
    let best: string | null = null;
    for (const node of open) if (best === null || distance.get(node)! < distance.get(best)!) best = node;
    open.delete(best!);
    if (best === to) return distance.get(best)!;
    done.add(best!);
    for (const [next, meters] of graph.edges.get(best!) ?? []) {
      if (done.has(next)) continue;
      const candidate = distance.get(best!)! + meters;
      if (candidate < (distance.get(next) ?? Number.POSITIVE_INFINITY)) {
        distance.set(next, candidate);
        open.add(next);
      }
    }
  }
  return Number.POSITIVE_INFINITY;
}

function choosePairs(graph: Graph, wanted: number): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const junctions = graph.footJunctions;
  // Deterministic: walk through the sorted junctions with a fixed stride.
  for (let index = 0; index < junctions.length && pairs.length < wanted; index += 7) {
    const from = junctions[index]!;
    const to = junctions.find((candidate) => {
      const airline = haversine(graph.position.get(from)!, graph.position.get(candidate)!);
      return airline > 300 && airline < 1500;
    });
    if (!to) continue;
    const meters = dijkstra(graph, from, to);
    if (Number.isFinite(meters) && meters < 3000) pairs.push([from, to]);
  }
  return pairs;
}
