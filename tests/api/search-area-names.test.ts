// A search origin's Sozialraum and district come from the city's areas held in memory
// (server/search/search-area-names.ts) instead of one ST_Covers statement per new origin. The
// statement stays the oracle: random points over Cologne, points exactly on shared boundaries
// (the areas' own vertices, where two areas cover the point and the first by name wins) and points
// outside the city give the very same names; a renamed area shows once its version moved.
import type { MultiPolygon, Polygon } from 'geojson';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namesByStatement } from '../../bench/search-area-names.ts';
import { createAreaNames } from '../../server/search/search-area-names.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { importKoelnAreas, koelnDataAvailable } from '../helpers/search-factories.ts';

const hasData = koelnDataAvailable();

let testDatabase: TestDatabase;
let knex: Knex;

/** A seeded random source: the same points every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

beforeAll(async () => {
  if (!hasData) return;
  testDatabase = await createTestDatabase();
  knex = testDatabase.database.knex;
  // Cologne's districts, Stadtteile and Viertel with the real importer.
  await importKoelnAreas(knex);
});

afterAll(async () => {
  await testDatabase?.destroy();
});

describe.skipIf(!hasData)("a search origin's areas, held in memory", () => {
  it('names the same Sozialraum and district as the ST_Covers statement: inside, on shared boundaries and outside the city', async () => {
    const counted = (await knex('areas').whereIn('level', ['sozialraum', 'district']).whereNull('valid_to').count({ count: '*' })) as Array<{ count: number | string }>;
    expect(Number(counted[0]?.count)).toBeGreaterThan(10);
    const namesAt = createAreaNames(knex, undefined, 60_000);
    const random = seeded(11);
    const points: Array<{ lon: number; lat: number }> = [];
    // Over the city's box (and a little beyond it).
    for (let index = 0; index < 150; index += 1) points.push({ lon: 6.75 + random() * 0.45, lat: 50.82 + random() * 0.28 });
    // Vertices of the Sozialräume: exactly on a boundary, mostly shared by two areas of the level.
    const shapes = (await knex('areas')
      .select(knex.raw('ST_AsGeoJSON(geom, 15) as geometry'))
      .where('level', 'sozialraum')
      .whereNull('valid_to')
      .orderBy('code')
      .limit(30)) as Array<{ geometry: string }>;
    for (const shape of shapes) {
      const geometry = JSON.parse(shape.geometry) as Polygon | MultiPolygon;
      const ring = geometry.type === 'Polygon' ? geometry.coordinates[0]! : geometry.coordinates[0]![0]!;
      for (const step of [0, 0.37, 0.71]) {
        const [lon, lat] = ring[Math.floor(step * (ring.length - 1))]!;
        points.push({ lon: lon!, lat: lat! });
      }
    }
    points.push({ lon: 6.5, lat: 50.5 }, { lon: 13.4, lat: 52.5 });
    let named = 0;
    for (const point of points) {
      const expected = await namesByStatement(knex, point);
      expect(await namesAt(point), `${point.lon}, ${point.lat}`).toEqual(expected);
      if (expected.sozialraum !== null) named += 1;
    }
    // The comparison means something: most points lie in a Sozialraum, some do not.
    expect(named).toBeGreaterThan(100);
    expect(named).toBeLessThan(points.length);
  });

  it('shows a renamed area once the areas’ version moved, and keeps the held areas between checks', async () => {
    const point = { lon: 7.070202, lat: 50.890913 };
    const before = await namesByStatement(knex, point);
    expect(before.sozialraum).not.toBeNull();
    const everyTime = createAreaNames(knex, undefined, 0);
    const rarely = createAreaNames(knex, undefined, 3_600_000);
    expect(await everyTime(point)).toEqual(before);
    expect(await rarely(point)).toEqual(before);
    const renamed = `${before.sozialraum!} (neu)`;
    await knex('areas')
      .where({ level: 'sozialraum', name: before.sozialraum })
      .whereNull('valid_to')
      .update({ name: renamed, updated_at: knex.raw("now() + interval '1 second'") });
    try {
      expect(await everyTime(point)).toEqual({ ...before, sozialraum: renamed });
      // Within its interval a service answers from the areas it holds.
      expect(await rarely(point)).toEqual(before);
    } finally {
      await knex('areas').where({ level: 'sozialraum', name: renamed }).update({ name: before.sozialraum });
    }
  });
});
