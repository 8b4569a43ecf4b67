import type { Express } from 'express';
import proj4 from 'proj4';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { createSyntheticCity, insertOffer } from '../helpers/coverage-factories.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

proj4.defs('EPSG:25832', '+proj=utm +zone=32 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs');

interface Feature {
  id: string;
  geometry: { type: string; coordinates: number[] };
  properties: Record<string, unknown>;
}

describe('OGC API – Features (/api/ogc)', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let city: Awaited<ReturnType<typeof createSyntheticCity>>;
  const names = ['Alter Treff', 'Begegnung Mitte', 'Café Ost'];

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const { knex } = testDatabase.database;
    app = createTestApp(testDatabase.database);
    city = await createSyntheticCity(knex);
    await insertOffer(knex, { departmentId: city.departmentId, offerType: 'senior_meeting_place', lon: 6.905, lat: 50.935, name: names[0], capacity: 20, targetGroups: ['seniors'] });
    await insertOffer(knex, { departmentId: city.departmentId, offerType: 'senior_meeting_place', lon: 6.945, lat: 50.935, name: names[1], capacity: 40, targetGroups: ['seniors'] });
    await insertOffer(knex, { departmentId: city.departmentId, offerType: 'kita', lon: 6.975, lat: 50.935, name: names[2], capacity: 60, targetGroups: ['children_under_6'] });
    await insertOffer(knex, { departmentId: city.departmentId, offerType: 'senior_meeting_place', lon: 6.906, lat: 50.935, name: 'Entwurf', publication: 'draft' });
    await insertOffer(knex, { departmentId: city.departmentId, offerType: 'senior_meeting_place', lon: 6.907, lat: 50.935, name: 'Archiviert', archived: true });
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  const items = (collection: string, query: Record<string, string | number> = {}) =>
    request(app).get(`/api/ogc/collections/${collection}/items`).query(query);
  const namesOf = (features: Feature[]) => features.map((feature) => feature.properties.name).sort();

  it('has a landing page that links the API description, the conformance classes and the collections', async () => {
    const response = await request(app).get('/api/ogc');
    expect(response.status).toBe(200);
    const rels = (response.body.links as { rel: string; href: string }[]).map((link) => link.rel);
    expect(rels).toEqual(expect.arrayContaining(['self', 'service-desc', 'conformance', 'data']));
    const api = await request(app).get('/api/ogc/api');
    expect(api.body.openapi).toBe('3.0.3');
    expect(Object.keys(api.body.paths)).toContain('/collections/{collectionId}/items');
  });

  it('claims Part 1 core, GeoJSON, HTML, OpenAPI 3.0, Part 2 CRS and Part 3 CQL2 text', async () => {
    const response = await request(app).get('/api/ogc/conformance');
    expect(response.body.conformsTo).toEqual(
      expect.arrayContaining([
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
        'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
        'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
        'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions',
      ]),
    );
  });

  it('lists offers, areas per level, statistics per indicator and coverage per offer type', async () => {
    const response = await request(app).get('/api/ogc/collections');
    const ids = (response.body.collections as { id: string }[]).map((collection) => collection.id);
    expect(ids).toEqual(
      expect.arrayContaining(['offers', 'areas-city', 'areas-district', 'areas-sozialraum', 'statistics-population_65_75', 'coverage-seniors', 'gaps-seniors']),
    );
    const offers = (response.body.collections as { id: string; crs: string[]; links: { rel: string }[] }[]).find((collection) => collection.id === 'offers')!;
    expect(offers.crs).toContain('http://www.opengis.net/def/crs/EPSG/0/25832');
    expect(offers.links.map((link) => link.rel)).toContain('items');
  });

  it('serves only public offers, one feature per offer location, with type, target groups and counts', async () => {
    const response = await items('offers');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(response.headers['content-crs']).toBe('<http://www.opengis.net/def/crs/OGC/1.3/CRS84>');
    expect(response.body).toMatchObject({ type: 'FeatureCollection', numberMatched: 3, numberReturned: 3 });
    expect(namesOf(response.body.features)).toEqual(names);
    const first = (response.body.features as Feature[]).find((feature) => feature.properties.name === 'Alter Treff')!;
    expect(first.properties).toMatchObject({ offerType: 'senior_meeting_place', targetGroups: ['seniors'], capacity: 20 });
    expect(first.geometry).toEqual({ type: 'Point', coordinates: [6.905, 50.935] });
  });

  it('pages with limit, offset and next links until every feature was returned once', async () => {
    const seen: string[] = [];
    let response = await items('offers', { limit: 2 });
    for (;;) {
      expect(response.status).toBe(200);
      seen.push(...(response.body.features as Feature[]).map((feature) => feature.id));
      const next = (response.body.links as { rel: string; href: string }[]).find((link) => link.rel === 'next');
      if (!next) break;
      const url = new URL(next.href);
      response = await request(app).get(url.pathname + url.search);
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });

  it('filters by bbox, by property parameters and by CQL2 text', async () => {
    const west = await items('offers', { bbox: '6.90,50.93,6.93,50.94' });
    expect(namesOf(west.body.features)).toEqual(['Alter Treff']);
    const kitas = await items('offers', { offerType: 'kita' });
    expect(namesOf(kitas.body.features)).toEqual(['Café Ost']);
    const cases: [string, string[]][] = [
      ["offerType = 'senior_meeting_place' AND NOT name LIKE 'B%'", ['Alter Treff']],
      ["targetGroup = 'seniors'", ['Alter Treff', 'Begegnung Mitte']],
      ['capacity BETWEEN 30 AND 60', ['Begegnung Mitte', 'Café Ost']],
      ["name IN ('Café Ost', 'Alter Treff') OR capacity > 35", names],
      ['capacity >= 40 AND (offerType = \'kita\' OR targetGroup = \'seniors\')', ['Begegnung Mitte', 'Café Ost']],
      ['S_INTERSECTS(geometry, POLYGON((6.94 50.93, 6.99 50.93, 6.99 50.94, 6.94 50.94, 6.94 50.93)))', ['Begegnung Mitte', 'Café Ost']],
      ['S_INTERSECTS(geometry, BBOX(6.90,50.93,6.93,50.94))', ['Alter Treff']],
      ['postalCode IS NULL AND 40 <= capacity', ['Begegnung Mitte', 'Café Ost']],
    ];
    for (const [filter, expected] of cases) {
      const response = await items('offers', { filter, 'filter-lang': 'cql2-text' });
      expect(response.status, filter).toBe(200);
      expect(namesOf(response.body.features), filter).toEqual(expected);
      expect(response.body.numberMatched, filter).toBe(expected.length);
    }
  });

  it('answers in EPSG:25832 when asked, with the CRS in a header', async () => {
    const response = await items('offers', { crs: 'http://www.opengis.net/def/crs/EPSG/0/25832', filter: "name = 'Alter Treff'" });
    expect(response.headers['content-crs']).toBe('<http://www.opengis.net/def/crs/EPSG/0/25832>');
    const [x, y] = (response.body.features as Feature[])[0]!.geometry.coordinates as [number, number];
    const [expectedX, expectedY] = proj4('EPSG:4326', 'EPSG:25832', [6.905, 50.935]);
    expect(Math.abs(x - expectedX)).toBeLessThan(0.05);
    expect(Math.abs(y - expectedY)).toBeLessThan(0.05);
    const box = proj4('EPSG:4326', 'EPSG:25832', [6.9, 50.93]).concat(proj4('EPSG:4326', 'EPSG:25832', [6.93, 50.94]));
    const inMetres = await items('offers', { bbox: box.join(','), 'bbox-crs': 'http://www.opengis.net/def/crs/EPSG/0/25832' });
    expect(namesOf(inMetres.body.features)).toEqual(['Alter Treff']);
  });

  it('serves areas per level and statistics per area and date, selected by datetime', async () => {
    const sozialraum = await items('areas-sozialraum');
    expect((sozialraum.body.features as Feature[]).map((feature) => feature.id).sort()).toEqual(['S1', 'S2', 'S3']);
    expect((sozialraum.body.features as Feature[])[0]!.geometry.type).toBe('MultiPolygon');
    const all = await items('statistics-population_65_75');
    expect(all.body.numberMatched).toBe(6);
    const latest = await items('statistics-population_65_75', { datetime: '2012-12-31' });
    expect(latest.body.numberMatched).toBe(3);
    const s1 = (latest.body.features as Feature[]).find((feature) => feature.properties.areaCode === 'S1')!;
    expect(s1.properties).toMatchObject({ period: '2012-12-31', value: 100, indicator: 'population_65_75' });
    const before = await items('statistics-population_65_75', { datetime: '../2011-12-31' });
    expect((before.body.features as Feature[]).map((feature) => feature.properties.value).sort((a, b) => Number(a) - Number(b))).toEqual([10, 30, 50]);
  });

  it('serves coverage per Sozialraum with the same figures as /api/coverage, and its gaps', async () => {
    const api = await request(app).get('/api/coverage').query({ offerType: 'seniors' });
    expect(api.status).toBe(200);
    const response = await items('coverage-seniors');
    expect(response.status).toBe(200);
    const sozialraeume = (api.body.areas as { level: string; code: string; shareWithinReach: number | null; offers: number; targetPopulation: number }[]).filter((area) => area.level === 'sozialraum');
    expect(response.body.numberMatched).toBe(sozialraeume.length);
    for (const area of sozialraeume) {
      const feature = (response.body.features as Feature[]).find((candidate) => candidate.id === area.code)!;
      expect(feature.properties.offers).toBe(area.offers);
      expect(feature.properties.targetPopulation).toBe(Math.round(area.targetPopulation));
      if (area.shareWithinReach === null) expect(feature.properties.shareWithinReach).toBeNull();
      else expect(feature.properties.shareWithinReach).toBeCloseTo(area.shareWithinReach, 4);
    }
    const poorly = await items('coverage-seniors', { filter: 'shareWithinReach < 1' });
    expect(poorly.body.numberMatched).toBe(sozialraeume.filter((area) => area.shareWithinReach !== null && area.shareWithinReach < 1).length);
    const gaps = await request(app).get('/api/coverage/gaps').query({ offerType: 'seniors', limit: 20000 });
    const ogcGaps = await items('gaps-seniors', { limit: 1000 });
    expect(ogcGaps.body.numberMatched).toBe(gaps.body.features.length);
  });

  it('finds one feature by id, and says 404 for an unknown one', async () => {
    const list = await items('offers', { filter: "name = 'Café Ost'" });
    const id = (list.body.features as Feature[])[0]!.id;
    const one = await request(app).get(`/api/ogc/collections/offers/items/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ type: 'Feature', id, properties: { name: 'Café Ost' } });
    for (const unknown of ['00000000-0000-0000-0000-000000000000', 'not-a-uuid']) {
      const missing = await request(app).get(`/api/ogc/collections/offers/items/${unknown}`);
      expect(missing.status).toBe(404);
      expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(missing.body.code).toBe('feature_not_found');
    }
    expect((await request(app).get('/api/ogc/collections/nothing/items')).body.code).toBe('collection_not_found');
  });

  it('gives people HTML pages with the same content', async () => {
    const landing = await request(app).get('/api/ogc').set('Accept', 'text/html');
    expect(landing.headers['content-type']).toMatch(/text\/html/);
    expect(landing.text).toContain('<html lang="de">');
    const page = await items('offers', { f: 'html' });
    expect(page.text).toContain('Alter Treff');
    expect(page.text).toMatch(/3 Treffer insgesamt/);
  });

  it('refuses unknown parameters and bad values with problem+json naming the field', async () => {
    const cases: [Record<string, string>, string, string | RegExp][] = [
      [{ colour: 'red' }, 'query.colour', /not a parameter/],
      [{ limit: '0' }, 'query.limit', /at least 1/],
      [{ limit: '10001' }, 'query.limit', /at most 10000/],
      [{ bbox: '6.9,50.9,7.0' }, 'query.bbox', /four numbers/],
      [{ bbox: '6.9,50.9,7.0,95' }, 'query.bbox', /within -180,-90,180,90/],
      [{ bbox: '-200,50.9,7.0,51' }, 'query.bbox', /within -180,-90,180,90/],
      [{ bbox: '300000,5600000,400000,1e12', 'bbox-crs': 'http://www.opengis.net/def/crs/EPSG/0/25832' }, 'query.bbox', /metres in the bbox-crs/],
      [{ crs: 'EPSG:3857' }, 'query.crs', /must be one of/],
      [{ filter: "name = 'x" }, 'query.filter', /not closed/],
      [{ filter: 'colour = 1' }, 'query.filter', /no queryable "colour"/],
      [{ filter: "capacity = 'many'" }, 'query.filter', /compared with a number/],
      [{ filter: 'S_INTERSECTS(geometry, POLYGON((1 2, 3)))' }, 'query.filter', /not valid WKT/],
      [{ filter: 'name', 'filter-lang': 'cql2-text' }, 'query.filter', /expected a comparison/],
      [{ 'filter-lang': 'cql2-json' }, 'query.filter-lang', /cql2-text/],
      [{ datetime: '2012-13-45' }, 'query.datetime', /RFC 3339/],
      [{ capacity: 'many' }, 'query.capacity', /number/],
    ];
    for (const [query, field, message] of cases) {
      // The messages asserted are the English ones (German is the default: tests/api/validation-convention.test.ts).
      const response = await items('offers', query).set('Accept-Language', 'en');
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      const error = (response.body.errors as { field: string; message: string }[]).find((candidate) => candidate.field === field);
      expect(error, JSON.stringify(response.body)).toBeDefined();
      expect(error!.message).toMatch(message);
    }
    const timeless = await items('areas-sozialraum', { datetime: '2012-12-31' }).set('Accept-Language', 'en');
    expect(timeless.status).toBe(400);
    expect(timeless.body.errors[0]).toMatchObject({ field: 'query.datetime', message: expect.stringMatching(/no time/) });
    const landing = await request(app).get('/api/ogc').query({ unknown: '1' });
    expect(landing.status).toBe(400);
  });
});
