import type { Express } from 'express';
import proj4 from 'proj4';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { createSyntheticCity, insertOffer } from '../helpers/coverage-factories.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

proj4.defs('EPSG:25832', '+proj=utm +zone=32 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs');
proj4.defs('EPSG:25833', '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs');

// The OGC conformance classes /conformance claims, each with the test that exercises it. Part 1
// core, GeoJSON, HTML and OpenAPI 3.0, Part 2 (EPSG:25832) and Part 3 basic CQL2 are in
// ogc-features.test.ts and GDAL reads the API in ogc-gdal.test.ts; this file adds what those leave
// out: the queryables resource, the spatial literals of "basic spatial functions plus", EPSG:25833
// output and filter-crs. A class claimed without a test here or there fails the first test below.
const exercised: Record<string, string> = {
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core': 'ogc-features: landing page, collections, items, paging, one feature, 404s; ogc-gdal',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson': 'ogc-features: application/geo+json FeatureCollection; ogc-gdal',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html': 'ogc-features: "gives people HTML pages"; here: queryables as HTML',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30': 'ogc-features: /api answers OpenAPI 3.0.3 with the items path',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs': 'ogc-features: EPSG:25832 output and bbox-crs; here: EPSG:25833 and filter-crs',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter': 'ogc-features: filter and filter-lang, refused values',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter': 'ogc-features: filter on /items of every kind of collection',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables': 'here: /queryables as JSON Schema',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters': 'ogc-features: offerType=kita; here: name and capacity',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text': 'ogc-features: filter-lang=cql2-text',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2': 'ogc-features: comparisons, AND/OR/NOT, IS NULL',
  'http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators': 'ogc-features: LIKE, BETWEEN, IN',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions': 'ogc-features: S_INTERSECTS with POLYGON and BBOX',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus': 'here: S_INTERSECTS with every other spatial literal',
};

interface Feature {
  id: string;
  geometry: { type: string; coordinates: number[] };
  properties: Record<string, unknown>;
}

describe('OGC API – Features: every conformance class claimed is exercised', () => {
  let testDatabase: TestDatabase;
  let app: Express;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const { knex } = testDatabase.database;
    app = createTestApp(testDatabase.database);
    // Sozialräume S1 (6.90–6.93° E), S2 (6.93–6.96), S3 (6.96–6.99), each 50.92–50.95° N.
    const city = await createSyntheticCity(knex);
    await insertOffer(knex, { departmentId: city.departmentId, offerType: 'senior_meeting_place', lon: 6.905, lat: 50.935, name: 'Alter Treff', capacity: 20, targetGroups: ['seniors'] });
    await insertOffer(knex, { departmentId: city.departmentId, offerType: 'senior_meeting_place', lon: 6.945, lat: 50.935, name: 'Begegnung Mitte', capacity: 40, targetGroups: ['seniors'] });
    await insertOffer(knex, { departmentId: city.departmentId, offerType: 'kita', lon: 6.975, lat: 50.935, name: 'Café Ost', capacity: 60, targetGroups: ['children_under_6'] });
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  const items = (collection: string, query: Record<string, string | number> = {}) =>
    request(app).get(`/api/ogc/collections/${collection}/items`).query(query);
  const namesOf = (features: Feature[]) => features.map((feature) => String(feature.properties.name)).sort();
  const idsOf = (features: Feature[]) => features.map((feature) => feature.id).sort();

  it('claims exactly the conformance classes the tests exercise, in JSON and in HTML', async () => {
    const response = await request(app).get('/api/ogc/conformance');
    expect(response.status).toBe(200);
    expect([...(response.body.conformsTo as string[])].sort()).toEqual(Object.keys(exercised).sort());
    const html = await request(app).get('/api/ogc/conformance').query({ f: 'html' });
    expect(html.headers['content-type']).toMatch(/text\/html/);
    for (const uri of Object.keys(exercised)) expect(html.text).toContain(uri);
  });

  it('describes the queryables of a collection as JSON Schema (Part 3 queryables)', async () => {
    const response = await request(app).get('/api/ogc/collections/offers/queryables');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/schema\+json/);
    expect(response.body).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: expect.stringMatching(/\/api\/ogc\/collections\/offers\/queryables$/),
      type: 'object',
      additionalProperties: false,
    });
    const properties = response.body.properties as Record<string, Record<string, unknown>>;
    expect(properties.name).toMatchObject({ type: 'string' });
    expect(properties.capacity).toMatchObject({ type: 'number' });
    expect(properties.targetGroup).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(properties.geometry).toMatchObject({ format: 'geometry-any' });
    const collection = await request(app).get('/api/ogc/collections/offers');
    expect((collection.body.links as { rel: string; href: string }[]).find((link) => link.rel === 'http://www.opengis.net/def/rel/ogc/1.0/queryables')?.href).toMatch(
      /\/collections\/offers\/queryables$/,
    );
    const areas = await request(app).get('/api/ogc/collections/areas-sozialraum/queryables');
    expect(areas.status).toBe(200);
    expect(Object.keys(areas.body.properties as object)).toEqual(expect.arrayContaining(['geometry']));
    const page = await request(app).get('/api/ogc/collections/offers/queryables').set('Accept', 'text/html');
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('capacity');
  });

  it('filters by every non-spatial queryable of a simple type given as a query parameter (queryables-query-parameters)', async () => {
    expect(namesOf((await items('offers', { name: 'Café Ost' })).body.features)).toEqual(['Café Ost']);
    expect(namesOf((await items('offers', { capacity: 40 })).body.features)).toEqual(['Begegnung Mitte']);
    expect(namesOf((await items('offers', { offerType: 'senior_meeting_place' })).body.features)).toEqual(['Alter Treff', 'Begegnung Mitte']);
  });

  it('intersects with every spatial literal of CQL2 (basic spatial functions plus)', async () => {
    const cases: Array<[string, string[]]> = [
      ['POINT(6.915 50.93)', ['S1']],
      ['MULTIPOINT((6.915 50.93),(6.975 50.93))', ['S1', 'S3']],
      ['LINESTRING(6.915 50.93, 6.945 50.93)', ['S1', 'S2']],
      ['MULTILINESTRING((6.915 50.93, 6.92 50.93),(6.97 50.93, 6.98 50.93))', ['S1', 'S3']],
      ['MULTIPOLYGON(((6.94 50.93, 6.95 50.93, 6.95 50.94, 6.94 50.94, 6.94 50.93)),((6.97 50.93, 6.98 50.93, 6.98 50.94, 6.97 50.94, 6.97 50.93)))', ['S2', 'S3']],
      ['GEOMETRYCOLLECTION(POINT(6.915 50.93), LINESTRING(6.97 50.93, 6.98 50.93))', ['S1', 'S3']],
      ['BBOX(6.935, 50.925, 6.94, 50.93)', ['S2']],
    ];
    for (const [literal, expected] of cases) {
      const filter = `S_INTERSECTS(geometry, ${literal})`;
      const response = await items('areas-sozialraum', { filter, 'filter-lang': 'cql2-text' });
      expect(response.status, filter).toBe(200);
      expect(idsOf(response.body.features), filter).toEqual(expected);
      expect(response.body.numberMatched, filter).toBe(expected.length);
    }
    const onTheSpot = await items('offers', { filter: 'S_INTERSECTS(geometry, POINT(6.945 50.935))' });
    expect(namesOf(onTheSpot.body.features)).toEqual(['Begegnung Mitte']);
  });

  it('answers in EPSG:25833 and reads a filter geometry in the filter-crs (Part 2 and Part 3)', async () => {
    const utm33 = 'http://www.opengis.net/def/crs/EPSG/0/25833';
    const response = await items('offers', { crs: utm33, filter: "name = 'Café Ost'" });
    expect(response.status).toBe(200);
    expect(response.headers['content-crs']).toBe(`<${utm33}>`);
    const [x, y] = (response.body.features as Feature[])[0]!.geometry.coordinates as [number, number];
    const [expectedX, expectedY] = proj4('EPSG:4326', 'EPSG:25833', [6.975, 50.935]);
    expect(Math.abs(x - expectedX)).toBeLessThan(0.05);
    expect(Math.abs(y - expectedY)).toBeLessThan(0.05);
    // A box around the two eastern offers, written in EPSG:25832 metres.
    const [west, south] = proj4('EPSG:4326', 'EPSG:25832', [6.94, 50.93]);
    const [east, north] = proj4('EPSG:4326', 'EPSG:25832', [6.98, 50.94]);
    const ring = [[west, south], [east, south], [east, north], [west, north], [west, south]].map(([px, py]) => `${px!.toFixed(2)} ${py!.toFixed(2)}`).join(', ');
    const inMetres = await items('offers', { filter: `S_INTERSECTS(geometry, POLYGON((${ring})))`, 'filter-crs': 'http://www.opengis.net/def/crs/EPSG/0/25832' });
    expect(inMetres.status).toBe(200);
    expect(namesOf(inMetres.body.features)).toEqual(['Begegnung Mitte', 'Café Ost']);
    // The same numbers read as degrees match nothing: the filter-crs is what gave them their meaning.
    const asDegrees = await items('offers', { filter: `S_INTERSECTS(geometry, POLYGON((${ring})))` });
    expect(asDegrees.status === 400 || asDegrees.body.numberMatched === 0).toBe(true);
  });
});
