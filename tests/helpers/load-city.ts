import type { Knex } from 'knex';
import { insertArea, uniqueCode } from './factories.ts';
import { insertDepartment, insertStatistic } from './coverage-factories.ts';

export const gridOrigin = { lon: 6.8, lat: 50.9 };
/** About 100 m between grid nodes at 50.9° N. */
export const gridStep = { lon: 0.00142, lat: 0.0009 };

/**
 * A city heavy enough to load a core: one Sozialraum under a square street grid of `size` × `size`
 * nodes 100 m apart (size 100: 19,800 segments over 10 × 10 km, about Cologne's 15,846), every
 * segment with house numbers, and 20,000 seniors. Inserted in two statements.
 */
export async function createGridCity(knex: Knex, size = 100) {
  const west = gridOrigin.lon - gridStep.lon;
  const south = gridOrigin.lat - gridStep.lat;
  const east = gridOrigin.lon + size * gridStep.lon;
  const north = gridOrigin.lat + size * gridStep.lat;
  const ring = [[west, south], [east, south], [east, north], [west, north], [west, south]];
  const geometry = { type: 'MultiPolygon' as const, coordinates: [[ring]] };
  const city = await insertArea(knex, { level: 'city', code: uniqueCode('C'), name: 'Gitterstadt', geometry });
  const district = await insertArea(knex, { level: 'district', code: uniqueCode('D'), name: 'Gitterbezirk', parentId: city.id, geometry });
  const area = await insertArea(knex, { code: uniqueCode('G'), name: 'Gitterviertel', parentId: district.id, geometry });
  const source = uniqueCode('grid').toLowerCase();
  for (const direction of ['horizontal', 'vertical'] as const) {
    const [di, dj] = direction === 'horizontal' ? [1, 0] : [0, 1];
    await knex.raw(
      `insert into street_segments (source, external_id, street_name, street_key, house_from_left, house_to_left, area_id, geom, length_m)
       select ?, ? || '-' || i || '-' || j, 'Gitterstraße', 'gitterstrasse', 1, 9, ?,
              ST_SetSRID(ST_MakeLine(ST_MakePoint(?::float8 + i * ?::float8, ?::float8 + j * ?::float8),
                                     ST_MakePoint(?::float8 + (i + ?::int) * ?::float8, ?::float8 + (j + ?::int) * ?::float8)), 4326),
              100
         from generate_series(0, ?::int) as i, generate_series(0, ?::int) as j`,
      [
        source, direction, area.id,
        gridOrigin.lon, gridStep.lon, gridOrigin.lat, gridStep.lat,
        gridOrigin.lon, di, gridStep.lon, gridOrigin.lat, dj, gridStep.lat,
        size - 1 - di, size - 1 - dj,
      ],
    );
  }
  for (const [indicatorCode, value] of [['population_65_75', 12_000], ['population_75_plus', 8_000]] as const) {
    await insertStatistic(knex, { areaId: area.id, indicatorCode, year: 2012, value });
  }
  const departmentId = await insertDepartment(knex);
  return { city, district, area, departmentId, size };
}

/** `count` points on the grid, spread over it deterministically. */
export function gridPoints(count: number, size = 100, seed = 1): { lon: number; lat: number }[] {
  return Array.from({ length: count }, (_, index) => {
    const step = (index * 37 + seed * 11) % (size * size);
    return { lon: gridOrigin.lon + (step % size) * gridStep.lon + gridStep.lon / 3, lat: gridOrigin.lat + Math.floor(step / size) * gridStep.lat };
  });
}
