import fs from 'node:fs';
import path from 'node:path';
import proj4 from 'proj4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import { createImportsService } from '../../server/imports/imports.service.ts';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import type { ImportReport } from '../../server/imports/imports.schema.ts';
import { silentLogger } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { geodataDir, geodataMissing } from './import-geodata.ts';

const datasets = createDatasetsService({ geodataDir, city: 'berlin' });
const berlinDefaults = datasets.forCity('berlin').filter((dataset) => dataset.loadByDefault);

// The independent reprojection: proj4's own definition of ETRS89 / UTM 33N, not PostGIS.
const etrs89Utm33 = '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs';

/** Great-circle distance in metres (a sphere is far more precise than the 1 m tolerance needs). */
function metresBetween([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]): number {
  const radians = Math.PI / 180;
  const dLat = (lat2 - lat1) * radians;
  const dLon = (lon2 - lon1) * radians;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * radians) * Math.cos(lat2 * radians) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}

// Berlin proves that nothing is Cologne-specific: one transaction loads all of its default datasets.
describe.skipIf(geodataMissing(berlinDefaults.map((dataset) => dataset.file)))('Berlin, loaded from the real files', () => {
  let testDatabase: TestDatabase;
  let reports: ImportReport[];

  const rows = async <Row,>(sql: string, bindings: unknown[] = []): Promise<Row[]> =>
    ((await testDatabase.database.knex.raw(sql, bindings as never)) as { rows: Row[] }).rows;
  const report = (id: string): ImportReport => {
    const found = reports.find((candidate) => candidate.dataset === id);
    if (!found) throw new Error(`no report for ${id}`);
    return found;
  };

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const imports = createImportsService({ db: testDatabase.database.knex, taxonomies: createTaxonomiesService({ db: testDatabase.database.knex }), datasets, logger: silentLogger });
    const outcome = await imports.runAll(berlinDefaults.map((dataset) => imports.resolve(dataset.id)));
    expect(outcome.ok, JSON.stringify(outcome.reports.flatMap((item) => item.errors).slice(0, 5))).toBe(true);
    reports = outcome.reports;
  });
  afterAll(async () => {
    await testDatabase?.destroy();
  });

  it('imports the 542 planning areas, derives the 12 Bezirke and the city, all valid', async () => {
    const counts = await rows<{ level: string; count: number; invalid: number }>(
      `select level, count(*)::int as count, count(*) filter (where not ST_IsValid(geom))::int as invalid
       from areas group by level order by level`,
    );
    expect(counts).toEqual([
      { level: 'city', count: 1, invalid: 0 },
      { level: 'district', count: 12, invalid: 0 },
      { level: 'sozialraum', count: 542, invalid: 0 },
    ]);
  });

  it('finds each planning area’s Bezirk by spatial containment, agreeing with the PLR key', async () => {
    const mismatches = await rows<{ code: string; parent: string | null }>(
      `select c.code, p.code as parent from areas c left join areas p on p.id = c.parent_id
       where c.level = 'sozialraum' and (p.code is null or p.level <> 'district' or p.code <> left(c.code, 2))`,
    );
    expect(mismatches).toEqual([]);
    const [district] = await rows<{ name: string; parent: string }>(
      "select d.name, c.name as parent from areas d join areas c on c.id = d.parent_id where d.level = 'district' and d.code = '01'",
    );
    expect(district).toEqual({ name: 'Mitte', parent: 'Berlin' });
  });

  it('joins every statistics row to a planning area', async () => {
    for (const id of ['berlin-einwohner-2024-t1', 'berlin-einwohner-2024-t2', 'berlin-mss-2021']) {
      const statistics = report(id);
      expect(statistics.errorCount, id).toBe(0);
      expect(statistics.rowsRead, id).toBe(542);
      expect(statistics.rowsAccepted + statistics.rowsSkipped, id).toBe(542);
    }
    // Six planning areas have no MSS values (too few residents); they are skipped, not lost.
    expect(report('berlin-mss-2021').rowsSkipped).toBe(6);
    const totals = await rows<{ code: string; areas: number; total: number }>(
      `select i.code, count(*)::int as areas, sum(s.value) as total
       from area_statistics s join indicators i on i.id = s.indicator_id join areas a on a.id = s.area_id
       where a.level = 'sozialraum' and s.period = '2024-12-31' and i.code in ('population_total', 'population_65_plus')
       group by i.code order by i.code`,
    );
    expect(totals).toEqual([
      { code: 'population_65_plus', areas: 542, total: 738238 },
      { code: 'population_total', areas: 542, total: 3897145 },
    ]);
  });

  it('places the EPSG:25833 offers within 1 m of an independent proj4 reprojection', async () => {
    for (const id of ['berlin-pflegeeinrichtungen', 'berlin-kitas', 'berlin-jugendfreizeiteinrichtungen']) {
      const dataset = datasets.get(id)!;
      expect(dataset.crs).toBe('EPSG:25833');
      const manifestMapping = dataset.kind === 'offers' ? dataset.mapping : undefined;
      const idField = manifestMapping!.externalId;
      const file = JSON.parse(fs.readFileSync(path.join(geodataDir, dataset.file), 'utf8')) as GeoJSON.FeatureCollection<GeoJSON.Point>;
      const stored = new Map(
        (
          await rows<{ external_id: string; x: number; y: number }>(
            'select external_id, ST_X(geom) as x, ST_Y(geom) as y from locations where source = ?',
            [id],
          )
        ).map((row) => [row.external_id, [row.x, row.y] as [number, number]]),
      );
      expect(stored.size, id).toBe(file.features.length);
      let worst = 0;
      for (const feature of file.features) {
        const expected = proj4(etrs89Utm33, 'WGS84', feature.geometry.coordinates as [number, number]) as [number, number];
        const actual = stored.get(String(feature.properties![idField]));
        expect(actual, `${id} ${String(feature.properties![idField])}`).toBeDefined();
        worst = Math.max(worst, metresBetween(expected, actual!));
      }
      expect(worst, id).toBeLessThan(1);
    }
  });

  it('puts every Berlin offer location in exactly one planning area', async () => {
    const [check] = await rows<{ locations: number; not_one: number }>(
      `select count(*)::int as locations,
              count(*) filter (where (select count(*) from location_areas la join areas a on a.id = la.area_id
                                       where la.location_id = l.id and a.level = 'sozialraum') <> 1)::int as not_one
       from locations l where l.source like 'berlin-%' or l.source = 'osm-berlin'`,
    );
    expect(check).toEqual({ locations: 274 + 2880 + 407 + 416 + 1448, not_one: 0 });
  });

  it('creates the providers of the Kitas from their Träger numbers and keeps places as capacity', async () => {
    const [kitas] = await rows<{ offers: number; providers: number; places: number; unit: string }>(
      `select count(*)::int as offers, count(distinct o.organization_id)::int as providers, sum(o.capacity) as places,
              min(o.capacity_unit) as unit
       from offers o where o.source = 'berlin-kitas'`,
    );
    expect(kitas).toMatchObject({ offers: 2880, providers: 1227, unit: 'places' });
    expect(kitas!.places).toBeGreaterThan(100_000);
    const [beds] = await rows<{ beds: number }>("select sum(capacity) as beds from offers where source = 'berlin-pflegeeinrichtungen'");
    expect(beds?.beds).toBe(31154);
  });
});
