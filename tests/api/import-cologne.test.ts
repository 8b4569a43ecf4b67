import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetsService, type DatasetsService } from '../../server/datasets/datasets.service.ts';
import { streetKey } from '../../server/shared/street-key.ts';
import { loadDefaultCityIfEmpty } from '../../server/imports/default-city.ts';
import { createImportsService } from '../../server/imports/imports.service.ts';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import type { DataStatus } from '../../server/meta/meta.routes.ts';
import { createTestApp, silentLogger } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { geodataDir, geodataMissing } from './import-geodata.ts';

const datasets: DatasetsService = createDatasetsService({ geodataDir, city: 'koeln' });
const defaultFiles = datasets
  .forCity('koeln')
  .filter((dataset) => dataset.loadByDefault)
  .map((dataset) => dataset.path);

// Cologne is imported once (the default-city load, about 10 s); every test below reads from it.
describe.skipIf(geodataMissing(defaultFiles))('the default city Cologne, loaded from the real files', () => {
  let testDatabase: TestDatabase;
  let status: DataStatus;

  const rows = async <Row,>(sql: string, bindings: unknown[] = []): Promise<Row[]> =>
    ((await testDatabase.database.knex.raw(sql, bindings as never)) as { rows: Row[] }).rows;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    status = await loadDefaultCityIfEmpty({ knex: testDatabase.database.knex, datasets, logger: silentLogger });
  });
  afterAll(async () => {
    await testDatabase?.destroy();
  });

  it('loads 9 districts, 86 Sozialräume, 371 quarters, the city and the 11 Lebenswerte Veedel sets on an empty database', async () => {
    expect(status).toEqual({ loaded: true, reason: null, message: null, downloadPages: [] });
    const counts = await rows<{ level: string; count: number }>('select level, count(*)::int as count from areas group by level order by level');
    expect(counts).toEqual([
      { level: 'area_set', count: 11 },
      { level: 'city', count: 1 },
      { level: 'district', count: 9 },
      { level: 'quarter', count: 371 },
      { level: 'sozialraum', count: 86 },
    ]);
  });

  it('stores only valid MultiPolygons, including the repaired ones', async () => {
    const [check] = await rows<{ invalid: number; other_types: number }>(
      `select count(*) filter (where not ST_IsValid(geom))::int as invalid,
              count(*) filter (where GeometryType(geom) <> 'MULTIPOLYGON')::int as other_types from areas`,
    );
    expect(check).toEqual({ invalid: 0, other_types: 0 });
    const runs = await rows<{ dataset: string; warnings: number }>(
      `select dataset, (report->>'warningCount')::int as warnings from import_runs
       where dataset in ('koeln-stadtteile', 'koeln-stadtviertel') order by dataset`,
    );
    expect(runs.every((run) => run.warnings > 0)).toBe(true);
  });

  it('links areas to their parents by code: Stadtteil 609 → district 6, Viertel 90702 → Stadtteil 907, district → city', async () => {
    const parents = await rows<{ level: string; code: string; parent_level: string; parent_code: string; parent_name: string }>(
      `select c.level, c.code, p.level as parent_level, p.code as parent_code, p.name as parent_name
       from areas c join areas p on p.id = c.parent_id
       where (c.level, c.code) in (('sozialraum', '609'), ('quarter', '90702'), ('district', '6'))
       order by c.level`,
    );
    expect(parents).toEqual([
      { level: 'district', code: '6', parent_level: 'city', parent_code: 'koeln', parent_name: 'Köln' },
      { level: 'quarter', code: '90702', parent_level: 'sozialraum', parent_code: '907', parent_name: 'Dünnwald' },
      { level: 'sozialraum', code: '609', parent_level: 'district', parent_code: '6', parent_name: 'Chorweiler' },
    ]);
    // Every level of the hierarchy has its parent; area sets are unions of Stadtteile beside it (area_set_members).
    const [orphans] = await rows<{ count: number }>("select count(*)::int as count from areas where level not in ('city', 'area_set') and parent_id is null");
    expect(orphans?.count).toBe(0);
  });

  it('derives the city "Köln" as the union of the districts', async () => {
    const [city] = await rows<{ city_km2: number; districts_km2: number }>(
      `select (select area_m2 from areas where level = 'city') / 1e6 as city_km2,
              (select sum(area_m2) from areas where level = 'district') / 1e6 as districts_km2`,
    );
    expect(city!.city_km2).toBeGreaterThan(404);
    expect(city!.city_km2).toBeCloseTo(city!.districts_km2, 0);
  });

  it('has Chorweiler (609) in 2012 with 13,010 residents, 1,249 aged 65 to under 75 and 1,019 aged 75 and over', async () => {
    const values = await rows<{ code: string; value: number }>(
      `select i.code, s.value from area_statistics s
       join areas a on a.id = s.area_id join indicators i on i.id = s.indicator_id
       where a.level = 'sozialraum' and a.code = '609' and s.period = '2012-12-31'
         and i.code in ('population_total', 'population_65_75', 'population_75_plus', 'population_65_plus', 'foreigners')
       order by i.code`,
    );
    expect(values).toEqual([
      { code: 'foreigners', value: 4745 },
      { code: 'population_65_75', value: 1249 },
      { code: 'population_65_plus', value: 2268 },
      { code: 'population_75_plus', value: 1019 },
      { code: 'population_total', value: 13010 },
    ]);
  });

  it('has, for every year 2005–2012, Stadtteil populations that add up to the city total row', async () => {
    const years = await rows<{ period: string; stadtteile: number; city: number; districts: number }>(
      `select to_char(s.period, 'YYYY') as period,
              sum(s.value) filter (where a.level = 'sozialraum') as stadtteile,
              sum(s.value) filter (where a.level = 'city') as city,
              sum(s.value) filter (where a.level = 'district') as districts
       from area_statistics s join areas a on a.id = s.area_id join indicators i on i.id = s.indicator_id
       where i.code = 'population_total'
       group by s.period order by s.period`,
    );
    expect(years.map((year) => year.period)).toEqual(['2005', '2006', '2007', '2008', '2009', '2010', '2011', '2012']);
    for (const year of years) {
      expect(year.stadtteile, year.period).toBe(year.city);
      expect(year.districts, year.period).toBe(year.city);
    }
    expect(years.at(-1)?.city).toBe(1044555);
  });

  it('puts every imported Cologne point inside the city in exactly one Sozialraum', async () => {
    const points = await rows<{ external_id: string; covering: number; linked: number }>(
      `select l.external_id,
              (select count(*)::int from areas a where a.level = 'sozialraum' and ST_Covers(a.geom, l.geom)) as covering,
              (select count(*)::int from location_areas la join areas a on a.id = la.area_id
                where la.location_id = l.id and a.level = 'sozialraum') as linked
       from locations l where l.source = 'osm-koeln'`,
    );
    // 21 + 3 + 1 + 6 + 132 + 35 + 211 + 19 + 40 + 2 points lie inside the nine districts (SOURCE.md).
    expect(points).toHaveLength(470);
    expect(points.filter((point) => point.covering !== 1 || point.linked !== 1)).toEqual([]);
  });

  it('imports the OSM points as published, active offers of the osm department with type and target groups', async () => {
    const offers = await rows<{ type: string; count: number; published: number; groups: string }>(
      `select t.code as type, count(*)::int as count,
              count(*) filter (where o.publication = 'published' and o.status = 'active')::int as published,
              (select string_agg(distinct g.code, ',' order by g.code) from offer_terms ot join taxonomy_terms g on g.id = ot.term_id
                where ot.offer_id = any(array_agg(o.id))) as groups
       from offers o join taxonomy_terms t on t.id = o.offer_type_id join departments d on d.id = o.department_id
       where o.source = 'osm-koeln' and d.code = 'osm'
       group by t.code order by t.code`,
    );
    expect(offers.find((offer) => offer.type === 'kita')).toEqual({ type: 'kita', count: 132, published: 132, groups: 'children_under_6,families' });
    expect(offers.find((offer) => offer.type === 'care_home')).toEqual({ type: 'care_home', count: 3, published: 3, groups: 'people_in_need_of_care,seniors' });
    expect(offers.reduce((sum, offer) => sum + offer.count, 0)).toBe(470);
    const [links] = await rows<{ offers: number; linked: number }>(
      `select count(distinct o.id)::int as offers, count(distinct ol.offer_id)::int as linked
       from offers o left join offer_locations ol on ol.offer_id = o.id where o.source = 'osm-koeln'`,
    );
    expect(links).toEqual({ offers: 470, linked: 470 });
  });

  it('imports all 15,846 street segments with keys, house numbers and their Sozialraum', async () => {
    const [summary] = await rows<{ total: number; without_area: number; unnamed: number; disambiguated: number }>(
      `select count(*)::int as total, count(*) filter (where area_id is null)::int as without_area,
              count(*) filter (where street_name is null)::int as unnamed,
              count(*) filter (where external_id like '%~%')::int as disambiguated
       from street_segments where source = 'koeln-strassenabschnitte'`,
    );
    expect(summary).toMatchObject({ total: 15846, unnamed: 1, disambiguated: 10 });
    expect(summary!.without_area).toBeLessThan(160);
    const [segment] = await rows<Record<string, unknown>>(
      `select s.street_name, s.street_key, s.house_from_left, s.house_to_left, s.house_from_right, s.house_to_right, a.code as area
       from street_segments s left join areas a on a.id = s.area_id where s.external_id = '00181100'`,
    );
    expect(segment).toEqual({
      street_name: 'Am Rosengarten',
      street_key: streetKey('Am Rosengarten'),
      house_from_left: 93,
      house_to_left: 97,
      house_from_right: 78,
      house_to_right: 78,
      area: expect.stringMatching(/^\d{3}$/),
    });
    const [suffixed] = await rows<{ street_key: string }>("select street_key from street_segments where external_id = '04402030'");
    expect(suffixed?.street_key).toBe(streetKey('Dachsweg'));
  });

  it("links each street segment to the smallest Sozialraum that covers its midpoint, as a lookup per segment finds it", async () => {
    // The importer looks the midpoints up area by area (street-segment-import.repo.ts); here each
    // segment's area is asked for on its own, and every one must agree.
    const [check] = await rows<{ total: number; with_area: number; differing: number }>(
      `select count(*)::int as total, count(s.area_id)::int as with_area,
              count(*) filter (where s.area_id is distinct from (
                select a.id from areas a
                where a.city_id = s.city_id and a.level = 'sozialraum' and a.valid_to is null
                  and ST_Covers(a.geom, ST_LineInterpolatePoint(s.geom, 0.5))
                order by a.area_m2, a.code limit 1))::int as differing
       from street_segments s where s.source = 'koeln-strassenabschnitte'`,
    );
    expect(check).toEqual({ total: 15846, with_area: expect.any(Number), differing: 0 });
    expect(check!.with_area).toBeGreaterThan(15_800);
  });

  it('updates instead of duplicating when a dataset is imported again', async () => {
    const imports = createImportsService({ db: testDatabase.database.knex, taxonomies: createTaxonomiesService({ db: testDatabase.database.knex }), datasets, logger: silentLogger });
    const areas = await imports.run(imports.resolve('koeln-stadtteile'));
    expect(areas).toMatchObject({ status: 'succeeded', tables: { areas: { inserted: 0, updated: 0, unchanged: 86 } } });
    const pharmacies = await imports.run(imports.resolve('koeln-osm-pharmacy'));
    expect(pharmacies.tables).toMatchObject({
      offers: { inserted: 0, updated: 0, unchanged: 211 },
      locations: { inserted: 0, updated: 0, unchanged: 211 },
      location_areas: { inserted: 0, deleted: 0 },
    });
    const [count] = await rows<{ offers: number; locations: number }>(
      "select (select count(*)::int from offers where source = 'osm-koeln') as offers, (select count(*)::int from locations where source = 'osm-koeln') as locations",
    );
    expect(count).toEqual({ offers: 470, locations: 470 });
  });

  it('does not load again once the database holds areas', async () => {
    const before = await rows<{ count: number }>('select count(*)::int as count from import_runs');
    const again = await loadDefaultCityIfEmpty({ knex: testDatabase.database.knex, datasets, logger: silentLogger });
    expect(again).toEqual({ loaded: true, reason: null, message: null, downloadPages: [] });
    expect(await rows<{ count: number }>('select count(*)::int as count from import_runs')).toEqual(before);
  });

  it('records every default import as a succeeded run by "startup"', async () => {
    const runs = await rows<{ dataset: string; status: string; rows_written: number }>(
      "select dataset, status, rows_written from import_runs where actor_label = 'startup' order by dataset",
    );
    expect(runs).toHaveLength(defaultFiles.length);
    expect(runs.every((run) => run.status === 'succeeded' && run.rows_written > 0)).toBe(true);
  });

  it('lists the datasets with licence and presence at GET /api/datasets, without server paths', async () => {
    const response = await request(createTestApp(testDatabase.database, { geodataDir })).get('/api/datasets?city=koeln');
    expect(response.status).toBe(200);
    expect(response.body.city).toBe('koeln');
    const stadtteile = response.body.datasets.find((dataset: { id: string }) => dataset.id === 'koeln-stadtteile');
    expect(stadtteile).toMatchObject({
      kind: 'areas',
      file: 'koeln-koelnapi/koeln_stadtteile_2013.geojson',
      present: true,
      licence: 'CC BY 3.0 DE',
      attribution: 'Datenquelle: Stadt Köln – Offene Daten Köln, CC BY 3.0 DE',
      crs: 'EPSG:4326',
      loadByDefault: true,
    });
    expect(response.body.datasets.some((dataset: { city: string | null }) => dataset.city === 'berlin')).toBe(false);
    expect(JSON.stringify(response.body)).not.toContain(geodataDir);
  });
});
