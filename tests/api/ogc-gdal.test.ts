import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/app.ts';
import { createSyntheticCity, insertOffer } from '../helpers/coverage-factories.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertArea, squarePolygon } from '../helpers/factories.ts';

const run = promisify(execFile);
const ogrinfoPath = process.env.OGRINFO_PATH ?? '/usr/bin/ogrinfo';
const ogr2ogrPath = path.join(path.dirname(ogrinfoPath), 'ogr2ogr');

/** GDAL is a real client of the OGC API; without it the suite skips, except in CI. */
function gdalAvailable(): boolean {
  if (fs.existsSync(ogrinfoPath) && fs.existsSync(ogr2ogrPath)) return true;
  if (process.env.CI === 'true') throw new Error(`GDAL is required in CI but ${ogrinfoPath} does not exist.`);
  console.warn(`[gdal] OGC API client tests skipped: ${ogrinfoPath} is missing (apt-get install -y gdal-bin).`);
  return false;
}

// GDAL prints ERROR lines and still exits 0 (RECIPES.md): its stderr is part of every check.
async function gdal(program: string, args: string[]): Promise<string> {
  const { stdout, stderr } = await run(program, args, { timeout: 120_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GDAL_HTTP_TIMEOUT: '60', CPL_DEBUG: 'OFF' } });
  expect(stderr, `${program} ${args.join(' ')}`).not.toMatch(/ERROR/);
  return stdout;
}

function featureCount(ogrinfoOutput: string): number {
  const match = /Feature Count: (\d+)/.exec(ogrinfoOutput);
  if (!match) throw new Error(`no feature count in:\n${ogrinfoOutput}`);
  return Number(match[1]);
}

describe.runIf(gdalAvailable())('GDAL reads the OGC API – Features (ogrinfo, ogr2ogr)', () => {
  let testDatabase: TestDatabase;
  let server: { url: string; close(): Promise<void> };
  let source: string;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'angebotsatlas-gdal-'));
  const offerCount = 230;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const { knex } = testDatabase.database;
    const city = await createSyntheticCity(knex);
    for (let index = 0; index < offerCount; index += 1) {
      await insertOffer(knex, {
        departmentId: city.departmentId,
        offerType: index % 3 === 0 ? 'kita' : 'senior_meeting_place',
        lon: 6.901 + (index % 88) * 0.001,
        lat: 50.921 + Math.floor(index / 88) * 0.01,
        name: `Angebot ${String(index).padStart(3, '0')}`,
        capacity: index,
        targetGroups: index % 3 === 0 ? ['children_under_6'] : ['seniors'],
      });
    }
    // Every kind of area collection: a quarter below a Sozialraum, and an area set (a union of
    // areas beside the hierarchy, like Köln's Lebenswerte Veedel).
    await insertArea(knex, { level: 'quarter', code: 'V1', name: 'Viertel West', parentId: city.s1.id, geometry: squarePolygon(6.9, 50.92, 0.01) });
    await insertArea(knex, { level: 'area_set', code: 'LV1', name: 'Veedel West', geometry: squarePolygon(6.9, 50.92, 0.06) });
    server = await startTestServer(testDatabase.database);
    source = `OAPIF:${server.url}/api/ogc`;
  });
  afterAll(async () => {
    await server?.close();
    await testDatabase?.destroy();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  const apiCount = async (collection: string, query: Record<string, string> = {}) =>
    Number((await request(server.url).get(`/api/ogc/collections/${collection}/items`).query({ limit: '1', ...query })).body.numberMatched);

  it('lists every collection, each with the count the API gives', async () => {
    const collections = (await request(server.url).get('/api/ogc/collections')).body.collections as { id: string }[];
    // Offers, areas of every level and area sets, statistics, coverage and gaps: each kind is read below.
    const ids = collections.map(({ id }) => id);
    for (const id of ['offers', 'areas-city', 'areas-district', 'areas-sozialraum', 'areas-quarter', 'areas-area_set']) expect(ids).toContain(id);
    for (const prefix of ['statistics-', 'coverage-', 'gaps-']) expect(ids.some((id) => id.startsWith(prefix)), prefix).toBe(true);
    const listing = await gdal(ogrinfoPath, ['-ro', '-q', source]);
    for (const { id } of collections) expect(listing, id).toContain(id);
    for (const { id } of collections) {
      const summary = await gdal(ogrinfoPath, ['-ro', '-so', source, id]);
      expect(featureCount(summary), id).toBe(await apiCount(id));
    }
  });

  it('copies every collection with ogr2ogr, paging through all offers', async () => {
    const collections = (await request(server.url).get('/api/ogc/collections')).body.collections as { id: string }[];
    for (const { id } of collections) {
      const target = path.join(workDir, `${id}.geojson`);
      await gdal(ogr2ogrPath, ['-f', 'GeoJSON', target, source, id]);
      const copied = JSON.parse(fs.readFileSync(target, 'utf8')) as { features: { properties: Record<string, unknown> }[] };
      expect(copied.features.length, id).toBe(await apiCount(id));
    }
    const offers = JSON.parse(fs.readFileSync(path.join(workDir, 'offers.geojson'), 'utf8')) as { features: { properties: { name: string } }[] };
    expect(offers.features).toHaveLength(offerCount);
    expect(new Set(offers.features.map((feature) => feature.properties.name)).size).toBe(offerCount);
  });

  it('filters by bbox and by attribute, with the counts the API gives', async () => {
    const bbox = ['6.90', '50.92', '6.95', '50.925'];
    const spatial = await gdal(ogrinfoPath, ['-ro', '-so', '-spat', ...bbox, source, 'offers']);
    expect(featureCount(spatial)).toBe(await apiCount('offers', { bbox: bbox.join(',') }));
    const where = await gdal(ogrinfoPath, ['-ro', '-so', '-where', "offerType = 'kita' AND capacity >= 100", source, 'offers']);
    expect(featureCount(where)).toBe(await apiCount('offers', { filter: "offerType = 'kita' AND capacity >= 100" }));
    expect(featureCount(where)).toBe(Array.from({ length: offerCount }, (_, index) => index).filter((index) => index % 3 === 0 && index >= 100).length);
  });

  it('reads the offer vector tiles with GDAL\'s MVT driver: points with their names at zoom 14, cluster counts adding up at zoom 10', async () => {
    const offers = Array.from({ length: offerCount }, (_, index) => ({
      lon: 6.901 + (index % 88) * 0.001,
      lat: 50.921 + Math.floor(index / 88) * 0.01,
      name: `Angebot ${String(index).padStart(3, '0')}`,
    }));
    const position = (lon: number, lat: number, z: number) => {
      const n = 2 ** z;
      const latRad = (lat * Math.PI) / 180;
      return { x: ((lon + 180) / 360) * n, y: ((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n };
    };
    const inTile = (z: number, x: number, y: number) =>
      offers.filter((offer) => {
        const at = position(offer.lon, offer.lat, z);
        return Math.floor(at.x) === x && Math.floor(at.y) === y;
      });
    const values = (output: string, field: string) => [...output.matchAll(new RegExp(`^\\s*${field} \\(\\w+\\) = (.*)$`, 'gm'))].map((match) => match[1]!);
    const z14 = position(6.93, 50.931, 14);
    const [x14, y14] = [Math.floor(z14.x), Math.floor(z14.y)];
    const points = await gdal(ogrinfoPath, ['-ro', '-al', `MVT:${server.url}/api/tiles/offers/14/${x14}/${y14}.pbf`]);
    const expected = inTile(14, x14, y14).map((offer) => offer.name).sort();
    expect(expected.length).toBeGreaterThan(5);
    expect(values(points, 'name').sort()).toEqual(expected);
    expect(featureCount(points)).toBe(expected.length);
    const z10 = position(6.93, 50.931, 10);
    const [x10, y10] = [Math.floor(z10.x), Math.floor(z10.y)];
    const clusters = await gdal(ogrinfoPath, ['-ro', '-al', `MVT:${server.url}/api/tiles/offers/10/${x10}/${y10}.pbf`]);
    const total = values(clusters, 'count').reduce((sum, count) => sum + Number(count), 0);
    expect(total).toBe(inTile(10, x10, y10).length);
    expect(total).toBeGreaterThan(100);
  });
});
