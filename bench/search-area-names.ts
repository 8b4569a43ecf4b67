/**
 * The Sozialraum and district of a search origin: A, one ST_Covers statement per point (what the
 * search did per new origin until 2026-12-04), against B, the city's areas held in memory and tested
 * with Turf's point-in-polygon (server/search/search-area-names.ts). The same random points over
 * Cologne, in alternating blocks, one at a time as searches ask; prints wall time and this process's
 * CPU per point, the database backend's CPU per point on PostgreSQL, and how many answers differ.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55542/angebotsatlas_bench_search_100000 npx tsx bench/search-area-names.ts [--points 2000]
 *
 * Any database with Cologne's areas imported will do (bench/search-load.ts prepares this one).
 */
import os from 'node:os';
import type { Knex } from 'knex';
import { connectDatabase } from '../server/db/connect.ts';
import { createAreaNames, type AreaNames } from '../server/search/search-area-names.ts';
import { benchOption, seededRandom } from './generate-offers.ts';

/**
 * A: the statement per point, as search.repo.ts `findAreaNamesAt` ran it; also the oracle of
 * tests/api/search-area-names.test.ts.
 */
export async function namesByStatement(db: Knex, point: { lon: number; lat: number }): Promise<AreaNames> {
  const rows = (await db('areas')
    .select('level', 'name')
    .whereIn('level', ['sozialraum', 'district'])
    .whereNull('valid_to')
    .whereRaw('city_id = (select id from cities where is_default)')
    .whereRaw('ST_Covers(geom, ST_SetSRID(ST_MakePoint(?, ?), 4326))', [point.lon, point.lat])
    .orderBy('name')
    .orderBy('id')) as Array<{ level: string; name: string }>;
  return {
    sozialraum: rows.find((row) => row.level === 'sozialraum')?.name ?? null,
    district: rows.find((row) => row.level === 'district')?.name ?? null,
  };
}

async function main(): Promise<void> {
  const pointCount = Number(benchOption('points') ?? 2000);
  const blockSize = 250;
  const database = await connectDatabase({ databaseUrl: process.env.DATABASE_URL, poolMax: 1 });
  const knex = database.knex;

  /** The CPU the database's backend of this connection has used so far (ms), on PostgreSQL; null on PGlite. */
  async function backendCpuMs(): Promise<number | null> {
    if (database.backend !== 'postgresql') return null;
    const pid = Number(((await knex.raw('select pg_backend_pid() as pid')) as { rows: Array<{ pid: number }> }).rows[0]!.pid);
    try {
      const fields = (await import('node:fs')).readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return null;
    }
  }

  const random = seededRandom(17);
  const points = Array.from({ length: pointCount }, () => ({ lon: 6.77 + random() * 0.39, lat: 50.83 + random() * 0.26 }));
  const held = createAreaNames(knex, undefined, 60_000);
  const loadStarted = performance.now();
  await held(points[0]!);
  const loadMs = performance.now() - loadStarted;

  const totals = { A: { wall: 0, cpu: 0, backend: 0 }, B: { wall: 0, cpu: 0, backend: 0 } };
  let differing = 0;
  let named = 0;
  for (let block = 0; block < pointCount; block += blockSize) {
    const slice = points.slice(block, block + blockSize);
    const answers: Record<'A' | 'B', AreaNames[]> = { A: [], B: [] };
    for (const side of (block / blockSize) % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
      const backendBefore = await backendCpuMs();
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      for (const point of slice) answers[side].push(side === 'A' ? await namesByStatement(knex, point) : await held(point));
      totals[side].wall += performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      totals[side].cpu += (cpu.user + cpu.system) / 1000;
      const backendAfter = await backendCpuMs();
      if (backendBefore !== null && backendAfter !== null) totals[side].backend += backendAfter - backendBefore;
    }
    answers.A.forEach((expected, index) => {
      if (expected.sozialraum !== null) named += 1;
      if (JSON.stringify(expected) !== JSON.stringify(answers.B[index])) differing += 1;
    });
  }
  const perPoint = (ms: number) => `${((ms / pointCount) * 1000).toFixed(1)} µs`;
  console.log(
    `${pointCount} points over Cologne (${named} in a Sozialraum), ${database.backend}, one at a time; areas read into memory once in ${loadMs.toFixed(0)} ms; load average ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`,
  );
  for (const side of ['A', 'B'] as const) {
    console.log(
      `  ${side === 'A' ? 'A statement per point' : 'B held in memory    '}: wall ${perPoint(totals[side].wall)}, this process's CPU ${perPoint(totals[side].cpu)}${database.backend === 'postgresql' ? `, the database backend's CPU ${perPoint(totals[side].backend)}` : ''} per point`,
    );
  }
  console.log(`  answers differing: ${differing} of ${pointCount}`);
  await database.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
