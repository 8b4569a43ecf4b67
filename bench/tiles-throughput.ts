/**
 * Offer tiles per second on PostgreSQL at --count offers, uncached and cached, A/B in one run:
 *
 * - in process (the server's tile service, no HTTP), `concurrency` requests at a time:
 *   A = SQL per tile (the offer index switched off: the path before the in-memory offer index, and
 *   the path the server takes while the index is rebuilt), B = the in-memory offer index
 *   (server/tiles/tiles-offer-index.ts). "Uncached" = every tile over Cologne's box at zooms 8–16,
 *   each requested once (never before), in a seeded random order; unfiltered and with one filter
 *   (`type=kita`). A stops after --seconds (it is far slower); B goes through the whole set.
 * - over HTTP (--http): the real app in a child process (bench/search-server.ts), autocannon with
 *   8 connections: the same distinct tiles once each (uncached), then 500 of them again for
 *   --seconds (cached).
 * - with --main-dir DIR: main's tile service (from a checkout of main in DIR) as A against this
 *   one as B, the same uncached tiles alternated per tile, one at a time (see againstMain).
 * - with --build-ab: the offer index read as keyset pages (A, each page its own query) and through
 *   one cursor (B, what the server does on PostgreSQL), alternated, twice each.
 * - with --mercator-ab: the zoom-12 cluster query on the stored Web-Mercator column against the
 *   same query transforming every candidate row (the comparison of migration 20261204080100).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55527/postgres npx tsx bench/tiles-throughput.ts --count 1000000 --http
 *
 * A database "angebotsatlas_bench_tiles_<count>" is created next to the one in the URL (kept for
 * reruns; --fresh drops it first), with random public offers over Cologne's box. Not a test.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { VectorTile } from '@mapbox/vector-tile';
import autocannon from 'autocannon';
import { PbfReader } from 'pbf';
import { seedReferenceData } from '../seeds/reference-data.ts';
import { projectRoot } from '../server/config.ts';
import { connectDatabase, knexForPostgres } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createTaxonomiesService } from '../server/taxonomies/taxonomies.service.ts';
import { tileBounds, tileBuffer, tileExtent, type OfferTileQuery, type TileAddress } from '../server/tiles/tiles.schema.ts';
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

/** Every tile over the generated offers' box at zooms 8–16, in a seeded random order. */
function cityTiles(): TileAddress[] {
  const tiles: TileAddress[] = [];
  for (let z = 8; z <= 16; z++) {
    const northWest = tileAt(6.77, 51.08, z);
    const southEast = tileAt(7.08, 50.83, z);
    for (let x = northWest.x; x <= southEast.x; x++) for (let y = northWest.y; y <= southEast.y; y++) tiles.push({ z, x, y });
  }
  const random = seededRandom(11);
  for (let index = tiles.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [tiles[index], tiles[other]] = [tiles[other]!, tiles[index]!];
  }
  return tiles;
}

const taxonomies = createTaxonomiesService({ db });
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** Each tile once, `concurrency` at a time, until the list ends or `limitSeconds` pass. */
async function distinctTiles(service: ReturnType<typeof createTilesService>, tiles: TileAddress[], query: OfferTileQuery, limitSeconds: number) {
  const durations: number[] = [];
  const slowest = new Map<number, number>();
  const started = performance.now();
  const end = started + limitSeconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tiles.length && performance.now() < end) {
        const tile = tiles[next++]!;
        const begun = performance.now();
        await service.offerTile(tile, query);
        const took = performance.now() - begun;
        durations.push(took);
        slowest.set(tile.z, Math.max(slowest.get(tile.z) ?? 0, took));
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  durations.sort((a, b) => a - b);
  const worst = [...slowest].sort((a, b) => a[0] - b[0]).map(([z, ms]) => `z${z} ${ms.toFixed(0)}`).join(', ');
  return `${durations.length} tiles in ${elapsed.toFixed(1)} s = ${(durations.length / elapsed).toFixed(0)} tiles/s, p50 ${percentile(durations, 0.5).toFixed(1)} ms, p95 ${percentile(durations, 0.95).toFixed(1)} ms; slowest per zoom (ms): ${worst}`;
}

const lines: string[] = [];
const load = () => `load average ${loadavg().map((value) => value.toFixed(1)).join(' / ')} on ${availableParallelism()} cores`;
const tiles = cityTiles();
lines.push(`${tiles.length} distinct tiles over the box at zooms 8–16; ${concurrency} at a time; ${load()}`);

// B first builds its index (timed, with the memory it holds); A and B then read the same tiles.
const heapBefore = process.memoryUsage();
// As the server on PostgreSQL (app.ts): the index read through one cursor.
// The data version read at most every 2 s, as the server does (app.ts).
const indexed = createTilesService({ db, taxonomies, checkIntervalMs: 2000, offerIndex: { read: 'cursor' } });
const indexStarted = performance.now();
if (!(await indexed.warmOfferIndex())) throw new Error('the offer index did not build');
const heapAfter = process.memoryUsage();
lines.push(
  `offer index built in ${((performance.now() - indexStarted) / 1000).toFixed(1)} s; held: heap +${(heapAfter.heapUsed - heapBefore.heapUsed) >> 20} MB, array buffers +${(heapAfter.arrayBuffers - heapBefore.arrayBuffers) >> 20} MB`,
);
// --build-ab: the index read as keyset pages (A, main's read) and through one cursor (B), alternated.
if (process.argv.includes('--build-ab')) {
  for (const read of ['pages', 'cursor', 'pages', 'cursor'] as const) {
    const started = performance.now();
    await createTilesService({ db, taxonomies, checkIntervalMs: 60_000, offerIndex: { read } }).warmOfferIndex();
    lines.push(`offer index build, ${read === 'pages' ? 'A keyset pages' : 'B one cursor'}: ${((performance.now() - started) / 1000).toFixed(1)} s; ${load()}`);
  }
}
const sql = createTilesService({ db, taxonomies, checkIntervalMs: 60_000, cacheSize: 0, offerIndex: { enabled: false } });
lines.push(`uncached, A SQL per tile (stops after ${seconds} s): ${await distinctTiles(sql, tiles, {}, seconds)}`);
lines.push(`uncached, B offer index: ${await distinctTiles(indexed, tiles, {}, 3600)}`);
lines.push(`uncached type=kita, A SQL per tile (stops after ${seconds} s): ${await distinctTiles(sql, tiles, { type: ['kita'] }, seconds)}`);
lines.push(`uncached type=kita, B offer index: ${await distinctTiles(indexed, tiles, { type: ['kita'] }, 3600)}`);

// Cached: 500 tiles, asked once first (the filtered run above has pushed the unfiltered ones out
// of the 4,000-tile LRU), then again and again for `seconds`.
const workingSet = tiles.slice(-500);
for (const tile of workingSet) await indexed.offerTile(tile, {});
let round = 0;
const cachedDurations: number[] = [];
const cachedEnd = performance.now() + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < cachedEnd) {
      const begun = performance.now();
      await indexed.offerTile(workingSet[round++ % workingSet.length]!, {});
      cachedDurations.push(performance.now() - begun);
    }
  }),
);
cachedDurations.sort((a, b) => a - b);
lines.push(`cached (server LRU, 500 tiles of zooms 8–16): ${(cachedDurations.length / seconds).toFixed(0)} tiles/s, p95 ${percentile(cachedDurations, 0.95).toFixed(2)} ms`);

if (option('main-dir')) lines.push(...(await againstMain(option('main-dir')!)));
lines.push(await editVisible());

/**
 * --main-dir DIR (a checkout of main, e.g. `git worktree add /tmp/main main` with node_modules
 * linked): main's tile service (A) against this one (B) in this process, both with their offer
 * index and no cache, every tile asked of each in turn (the order alternating), one at a time.
 */
async function againstMain(mainDir: string): Promise<string[]> {
  const modulePath = path.resolve(mainDir, 'server/tiles/tiles.service.ts');
  const main = (await import(modulePath)) as { createTilesService: typeof createTilesService };
  const services = {
    A: main.createTilesService({ db, taxonomies, checkIntervalMs: 600_000, cacheSize: 0 }),
    B: createTilesService({ db, taxonomies, checkIntervalMs: 600_000, cacheSize: 0, offerIndex: { read: 'cursor' } }),
  };
  const out: string[] = [];
  for (const [label, service] of Object.entries(services)) {
    const started = performance.now();
    if (!(await service.warmOfferIndex())) throw new Error(`${label}: the offer index did not build`);
    out.push(`main A/B: ${label} index built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  for (const query of [{}, { type: ['kita'] }] satisfies OfferTileQuery[]) {
    const total = { A: 0, B: 0 };
    const perZoom = { A: new Map<number, number>(), B: new Map<number, number>() };
    for (const [index, tile] of tiles.entries()) {
      for (const label of index % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
        const begun = performance.now();
        await services[label].offerTile(tile, query);
        const took = performance.now() - begun;
        total[label] += took;
        perZoom[label].set(tile.z, (perZoom[label].get(tile.z) ?? 0) + took);
      }
    }
    const zooms = [...perZoom.A.keys()]
      .sort((a, b) => a - b)
      .map((z) => `z${z} ${perZoom.A.get(z)!.toFixed(0)}/${perZoom.B.get(z)!.toFixed(0)}`)
      .join(', ');
    out.push(
      `main A/B, uncached ${JSON.stringify(query)}, one at a time, alternated: A main ${(tiles.length / (total.A / 1000)).toFixed(0)} · B ${(tiles.length / (total.B / 1000)).toFixed(0)} tiles/s (${(total.A / total.B).toFixed(2)}×); ms per zoom A/B: ${zooms}; ${load()}`,
    );
  }
  return out;
}
if (process.argv.includes('--http')) lines.push(...(await overHttp()));

/**
 * An edit (an offer renamed) against B: how long until its zoom-16 tile shows the new name (the
 * SQL path answers while the index is stale) and until the index holds the new version again.
 */
async function editVisible(): Promise<string> {
  const offer = (await db('offers as o')
    .join('offer_locations as ol', 'ol.offer_id', 'o.id')
    .join('locations as l', 'l.id', 'ol.location_id')
    .where('o.name', 'like', 'Angebot %')
    .first('o.id', 'o.name', db.raw('ST_X(l.geom) as lon'), db.raw('ST_Y(l.geom) as lat'))) as { id: string; name: string; lon: number; lat: number };
  const tile = tileAt(Number(offer.lon), Number(offer.lat), 16);
  const renamed = `${offer.name} (geändert)`;
  const names = async () => {
    const layer = new VectorTile(new PbfReader((await indexed.offerTile(tile, {})).body)).layers.offers;
    return layer ? Array.from({ length: layer.length }, (_, index) => layer.feature(index).properties.name) : [];
  };
  await names();
  const edited = performance.now();
  await db('offers').where('id', offer.id).update({ name: renamed, updated_at: db.fn.now() });
  while (!(await names()).includes(renamed) && performance.now() - edited < 60_000) await new Promise((resolve) => setTimeout(resolve, 100));
  const visible = performance.now() - edited;
  const rebuilt = await indexed.warmOfferIndex();
  const indexedAgain = performance.now() - edited;
  await db('offers').where('id', offer.id).update({ name: offer.name, updated_at: db.fn.now() });
  return `edit (an offer renamed) visible in its z16 tile after ${(visible / 1000).toFixed(1)} s (SQL path while the index is stale); index ${rebuilt ? 'current again' : 'NOT current'} after ${(indexedAgain / 1000).toFixed(1)} s; ${load()}`;
}

/** The real app in a child process; autocannon (8 connections) in this one. */
async function overHttp(): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'bench/search-server.ts')], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: url.toString() },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      readline.createInterface({ input: child.stdout }).once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const pathOf = (tile: TileAddress, query = '') => `/api/tiles/offers/${tile.z}/${tile.x}/${tile.y}.pbf${query}`;
    // The server builds its index on its first tile; wait until a never-seen filtered low-zoom tile is fast.
    const types = ((await db('taxonomy_terms').where('taxonomy', 'offer_type').select('code')) as { code: string }[]).map((row) => row.code);
    const warmStarted = performance.now();
    for (const [index, type] of types.entries()) {
      const begun = performance.now();
      const response = await fetch(`${base}${pathOf(tileAt(6.95, 50.95, 9 + (index % 2)), `?type=${type}`)}`);
      await response.arrayBuffer();
      if (performance.now() - begun < 200 && index > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const out = [`HTTP server's index warm after ${((performance.now() - warmStarted) / 1000).toFixed(1)} s`];
    const run = async (label: string, paths: string[], options: { amount?: number; duration?: number }) => {
      let next = 0;
      const started = performance.now();
      const result = await autocannon({ url: base, connections: 8, ...options, requests: [{ setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) }] });
      const elapsed = (performance.now() - started) / 1000;
      const bytes = result.requests.total > 0 ? result.throughput.total / result.requests.total / 1024 : 0;
      out.push(
        `${label}: ${result.requests.total} requests in ${elapsed.toFixed(1)} s = ${(result.requests.total / elapsed).toFixed(0)} per s, p50 ${result.latency.p50} ms, p97.5 ${result.latency.p97_5} ms, max ${result.latency.max} ms, ${bytes.toFixed(1)} kB a response, ${result.non2xx} non-2xx, ${result.errors} errors`,
      );
    };
    await run('HTTP uncached (every tile once)', tiles.map((tile) => pathOf(tile)), { amount: tiles.length });
    // Cached tiles against the ceiling of this machine right now, a route that reads nothing (the
    // offers' TileJSON), and a cached zoom-16 tile (a small body, as the TileJSON), alternated twice.
    const z16 = tiles.filter((tile) => tile.z === 16).slice(-1).map((tile) => pathOf(tile));
    for (const round of [1, 2]) {
      await run(`HTTP baseline (TileJSON, no database), round ${round}`, ['/api/tiles/offers.json'], { duration: seconds / 2 });
      await run(`HTTP cached (the last 500 tiles again), round ${round}`, tiles.slice(-500).map((tile) => pathOf(tile)), { duration: seconds / 2 });
      await run(`HTTP cached (one z16 tile again), round ${round}`, z16, { duration: seconds / 2 });
    }
    out.push(load());
    return out;
  } finally {
    child.kill('SIGTERM');
  }
}

const random = seededRandom(12);
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
if (process.argv.includes('--mercator-ab')) {
const stored: number[] = [];
const transformed: number[] = [];
for (let index = 0; index < 20; index++) {
  const tile = tileAt(6.85 + random() * 0.2, 50.88 + random() * 0.12, 12);
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
}

console.log(`offer tiles at ${count} offers (PostgreSQL)`);
for (const line of lines) console.log(line);
await database.close();
