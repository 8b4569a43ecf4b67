/**
 * Offer tiles per second on PostgreSQL, uncached and cached, at --count offers: the server's tile
 * service in process (no HTTP), random tiles near Cologne's centre; cluster zooms counted in SQL
 * and from the in-memory cluster index (tiles-cluster-index.ts). Also, interleaved per tile, the
 * cluster query of zoom 12 on the stored Web-Mercator column (what the server runs, migration
 * 20261204080100) against the same query transforming every candidate row (the path before it).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55518/postgres npx tsx bench/tiles-throughput.ts --count 100000
 *
 * A database "angebotsatlas_bench_tiles_<count>" is created next to the one in the URL (kept for
 * reruns; --fresh drops it first), with random public offers over Cologne's box. Not a test.
 */
import { seedReferenceData } from '../seeds/reference-data.ts';
import { connectDatabase, knexForPostgres } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createTaxonomiesService } from '../server/taxonomies/taxonomies.service.ts';
import { tileBounds, tileBuffer, tileExtent, type TileAddress } from '../server/tiles/tiles.schema.ts';
import { createTilesService } from '../server/tiles/tiles.service.ts';
import { benchOption, seededRandom } from './generate-offers.ts';

const option = benchOption;
const count = Number(option('count') ?? 100_000);
const seconds = Number(option('seconds') ?? 10);
const concurrency = Number(option('concurrency') ?? 4);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('Set DATABASE_URL to a PostgreSQL/PostGIS server.');
  process.exit(64);
}

const name = `angebotsatlas_bench_tiles_${count}`;
const url = new URL(databaseUrl);
const admin = knexForPostgres(databaseUrl, 1);
if (process.argv.includes('--fresh')) await admin.raw('drop database if exists ?? with (force)', [name]);
const exists = ((await admin('pg_database').where('datname', name).first('datname')) as unknown) !== undefined;
if (!exists) await admin.raw('create database ??', [name]);
await admin.destroy();
url.pathname = `/${name}`;
const database = await connectDatabase({ databaseUrl: url.toString(), poolMax: concurrency });
const db = database.knex;
await migrateToLatest(db);
await seedReferenceData(db);

const present = Number(((await db('offers').count({ n: '*' })) as { n: string }[])[0]!.n);
if (present < count) {
  const started = performance.now();
  const department =
    ((await db('departments').where('code', 'BENCH').first('id')) as { id: string } | undefined) ??
    ((await db('departments').insert({ code: 'BENCH', name: 'Benchmark' }).returning('id')) as { id: string }[])[0];
  const types = ((await db('taxonomy_terms').where('taxonomy', 'offer_type').select('id')) as { id: string }[]).map((row) => row.id);
  await db.raw('select setseed(0.42)');
  // In batches of 100,000: one transaction per batch keeps the temporary rows small.
  for (let done = present; done < count; done += 100_000) {
    const batch = Math.min(100_000, count - done);
    await db.transaction(async (trx) => {
      await trx.raw(
        `create temp table bench_rows on commit drop as
           select i, gen_random_uuid() as offer_id, gen_random_uuid() as location_id,
                  6.77 + random() * 0.31 as lon, 50.83 + random() * 0.25 as lat
             from generate_series(?::int, ?::int) as i`,
        [done + 1, done + batch],
      );
      await trx.raw('insert into locations (id, geom) select location_id, ST_SetSRID(ST_MakePoint(lon, lat), 4326) from bench_rows');
      await trx.raw(
        `insert into offers (id, department_id, name, offer_type_id, status, publication)
           select offer_id, ?, 'Angebot ' || i, (?::uuid[])[1 + i % ?], 'active', 'published' from bench_rows`,
        [department!.id, types, types.length],
      );
      await trx.raw('insert into offer_locations (offer_id, location_id) select offer_id, location_id from bench_rows');
    });
  }
  await db.raw('analyze');
  console.log(`generated ${count - present} offers in ${Math.round(performance.now() - started)} ms`);
}

function tileAt(lon: number, lat: number, z: number): TileAddress {
  const n = 2 ** z;
  const latRad = (lat * Math.PI) / 180;
  return {
    z,
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n),
  };
}

const random = seededRandom(11);
const randomTile = (z: number) => tileAt(6.85 + random() * 0.2, 50.88 + random() * 0.12, z);
const taxonomies = createTaxonomiesService({ db });

/** Tiles per second over `seconds`, `concurrency` requests at a time, each a new random tile of zoom z. */
async function rate(service: ReturnType<typeof createTilesService>, tiles: () => TileAddress): Promise<{ perSecond: number; p95: number }> {
  const durations: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        await service.offerTile(tiles(), {});
        durations.push(performance.now() - started);
      }
    }),
  );
  durations.sort((a, b) => a - b);
  return { perSecond: durations.length / seconds, p95: durations[Math.floor(durations.length * 0.95)] ?? 0 };
}

const lines: string[] = [];
// Uncached: services without a tile cache, random tiles. Cluster zooms twice: counted in SQL, and
// from the in-memory cluster index (built once, warmed before timing).
const uncachedSql = createTilesService({ db, taxonomies, checkIntervalMs: 60_000, cacheSize: 0, offerIndex: { enabled: false } });
const uncachedIndex = createTilesService({ db, taxonomies, checkIntervalMs: 60_000, cacheSize: 0 });
const indexStarted = performance.now();
await uncachedIndex.warmOfferIndex();
lines.push(`cluster index built in ${Math.round(performance.now() - indexStarted)} ms (${process.memoryUsage().heapUsed >> 20} MB heap after)`);
for (const z of [10, 12, 14, 16]) {
  await uncachedSql.offerTile(randomTile(z), {});
  const result = await rate(uncachedSql, () => randomTile(z));
  lines.push(`uncached z${z}, SQL: ${result.perSecond.toFixed(0)} tiles/s, p95 ${result.p95.toFixed(1)} ms (${concurrency} at a time)`);
  if (z <= 13) {
    const indexed = await rate(uncachedIndex, () => randomTile(z));
    lines.push(`uncached z${z}, cluster index: ${indexed.perSecond.toFixed(0)} tiles/s, p95 ${indexed.p95.toFixed(1)} ms`);
  }
}
// Cached: the server's LRU, a working set of 200 tiles over zooms 12–16, warmed once.
const cachedService = createTilesService({ db, taxonomies, checkIntervalMs: 1_000 });
const workingSet = Array.from({ length: 200 }, (_, index) => randomTile(12 + (index % 5)));
for (const tile of workingSet) await cachedService.offerTile(tile, {});
let next = 0;
const cachedResult = await rate(cachedService, () => workingSet[next++ % workingSet.length]!);
lines.push(`cached (LRU, 200 tiles z12–16): ${cachedResult.perSecond.toFixed(0)} tiles/s, p95 ${cachedResult.p95.toFixed(2)} ms`);

// Zoom 12 clusters: stored Mercator (A, the server's query) vs ST_Transform per row (B), interleaved.
async function clusterQuery(tile: TileAddress, stored: boolean): Promise<number> {
  const frame = tileBounds(tile);
  const buffer = (frame.size / tileExtent) * tileBuffer;
  const scale = tileExtent / frame.size;
  const envelope = db.raw('ST_MakeEnvelope(?::float8, ?::float8, ?::float8, ?::float8, 3857)', [frame.xmin - buffer, frame.ymin - buffer, frame.xmax + buffer, frame.ymax + buffer]);
  const position = stored ? 'l.geom_mercator' : 'ST_Transform(l.geom, 3857)';
  const where = stored ? 'l.geom_mercator && ?' : 'l.geom && ST_Transform(?, 4326)';
  const result = await db.raw<{ rows: unknown[] }>(
    `select count(*)::int from (
       select round((ST_X(${position}) - ?::float8) * ?::float8)::int as tx, round((?::float8 - ST_Y(${position})) * ?::float8)::int as ty
         from offer_locations ol join offers o on o.id = ol.offer_id join locations l on l.id = ol.location_id
        where o.publication = 'published' and o.status = 'active' and o.archived_at is null and ${where}) p
      group by floor(p.tx / 128.0), floor(p.ty / 128.0)`,
    [frame.xmin, scale, frame.ymax, scale, envelope],
  );
  return result.rows.length;
}
const stored: number[] = [];
const transformed: number[] = [];
for (let index = 0; index < 20; index++) {
  const tile = randomTile(12);
  await clusterQuery(tile, true);
  await clusterQuery(tile, false);
  let started = performance.now();
  await clusterQuery(tile, true);
  stored.push(performance.now() - started);
  started = performance.now();
  await clusterQuery(tile, false);
  transformed.push(performance.now() - started);
}
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
lines.push(`z12 cluster query, mean of 20 tiles: A stored Mercator ${mean(stored).toFixed(1)} ms · B ST_Transform per row ${mean(transformed).toFixed(1)} ms`);

console.log(`offer tiles at ${count} offers (PostgreSQL), ${seconds} s per figure`);
for (const line of lines) console.log(line);
await database.close();
