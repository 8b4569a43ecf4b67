/**
 * Vector tile encoding, side by side on PostgreSQL: A = positions scaled in SQL and encoded in
 * Node with @maplibre/vt-pbf (the path the server uses, since the embedded database lacks
 * ST_AsMVT), B = ST_AsMVTGeom + ST_AsMVT in the database. Same tiles, same rows, interleaved per
 * tile; then the server's tile cache (cached tiles per second, in process).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres npx tsx bench/tiles-encoding.ts --count 100000
 *
 * A database "angebotsatlas_bench_tiles_<count>" is created next to the one in the URL (kept for
 * reruns; --fresh drops it first), with random public offers over Cologne's box. Not a test.
 */
import pino from 'pino';
import { seedReferenceData } from '../seeds/reference-data.ts';
import { connectDatabase, knexForPostgres } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createTaxonomiesService } from '../server/taxonomies/taxonomies.service.ts';
import { clusterMaxZoom, tileBounds, tileBuffer, tileExtent, type TileAddress } from '../server/tiles/tiles.schema.ts';
import { createTilesService } from '../server/tiles/tiles.service.ts';
import { benchOption, seededRandom } from './generate-offers.ts';

const option = benchOption;
const count = Number(option('count') ?? 100_000);
const tilesPerZoom = Number(option('tiles') ?? 60);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('Set DATABASE_URL to a PostgreSQL/PostGIS server: ST_AsMVT is what this compares against.');
  process.exit(64);
}
pino({ level: 'silent' });

const name = `angebotsatlas_bench_tiles_${count}`;
const url = new URL(databaseUrl);
const admin = knexForPostgres(databaseUrl, 1);
if (process.argv.includes('--fresh')) await admin.raw('drop database if exists ?? with (force)', [name]);
const exists = ((await admin('pg_database').where('datname', name).first('datname')) as unknown) !== undefined;
if (!exists) await admin.raw('create database ??', [name]);
await admin.destroy();
url.pathname = `/${name}`;
const database = await connectDatabase({ databaseUrl: url.toString(), poolMax: 4 });
const db = database.knex;
await migrateToLatest(db);
await seedReferenceData(db);

const present = Number(((await db('offers').count({ n: '*' })) as { n: string }[])[0]!.n);
if (present < count) {
  const started = performance.now();
  const [department] = (await db('departments').insert({ code: 'BENCH', name: 'Benchmark' }).onConflict('code').merge().returning('id')) as { id: string }[];
  const types = ((await db('taxonomy_terms').where('taxonomy', 'offer_type').select('id')) as { id: string }[]).map((row) => row.id);
  await db.raw('select setseed(0.42)');
  await db.transaction(async (trx) => {
    await trx.raw(
      `create temp table bench_rows on commit drop as
         select i, gen_random_uuid() as offer_id, gen_random_uuid() as location_id,
                6.77 + random() * 0.31 as lon, 50.83 + random() * 0.25 as lat
           from generate_series(1, ?) as i`,
      [count - present],
    );
    await trx.raw('insert into locations (id, geom) select location_id, ST_SetSRID(ST_MakePoint(lon, lat), 4326) from bench_rows');
    await trx.raw(
      `insert into offers (id, department_id, name, offer_type_id, status, publication)
         select offer_id, ?, 'Angebot ' || i, (?::uuid[])[1 + i % ?], 'active', 'published' from bench_rows`,
      [department!.id, types, types.length],
    );
    await trx.raw('insert into offer_locations (offer_id, location_id) select offer_id, location_id from bench_rows');
  });
  await db.raw('analyze');
  console.log(`generated ${count - present} offers in ${Math.round(performance.now() - started)} ms`);
}
await db.raw('set max_parallel_workers_per_gather = 0');

function tileAt(lon: number, lat: number, z: number): TileAddress {
  const n = 2 ** z;
  const latRad = (lat * Math.PI) / 180;
  return {
    z,
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n),
  };
}

/** ST_AsMVT with the same rows and the same clustering as the Node path. */
async function postgisTile(tile: TileAddress): Promise<number> {
  const frame = tileBounds(tile);
  const buffer = (frame.size / tileExtent) * tileBuffer;
  const envelope = db.raw('ST_MakeEnvelope(?::float8, ?::float8, ?::float8, ?::float8, 3857)', [frame.xmin, frame.ymin, frame.xmax, frame.ymax]);
  const buffered = db.raw('ST_MakeEnvelope(?::float8, ?::float8, ?::float8, ?::float8, 3857)', [frame.xmin - buffer, frame.ymin - buffer, frame.xmax + buffer, frame.ymax + buffer]);
  const points = `select ol.id::text as id, o.id::text as offer_id, o.name, t.code as offer_type,
           ST_AsMVTGeom(ST_Transform(l.geom, 3857), ?, 4096, 64, true) as geom
      from offer_locations ol join offers o on o.id = ol.offer_id join locations l on l.id = ol.location_id
      join taxonomy_terms t on t.id = o.offer_type_id
     where o.publication = 'published' and o.status = 'active' and o.archived_at is null
       and l.geom && ST_Transform(?, 4326)`;
  const sql =
    tile.z <= clusterMaxZoom
      ? `select ST_AsMVT(c, 'offers', 4096, 'geom') as tile from (
           select count(*)::int as count, ST_Centroid(ST_Collect(p.geom)) as geom
             from (${points}) p group by floor(ST_X(p.geom) / 128), floor(ST_Y(p.geom) / 128)) c`
      : `select ST_AsMVT(p, 'offers', 4096, 'geom') as tile from (${points}) p`;
  const result = await db.raw<{ rows: { tile: Buffer }[] }>(sql, [envelope, buffered]);
  return result.rows[0]!.tile.length;
}

const taxonomies = createTaxonomiesService({ db });
const uncached = createTilesService({ db, taxonomies, checkIntervalMs: 60_000, cacheSize: 0 });
const random = seededRandom(7);
const zooms = [12, 14, 16];
const percentile = (values: number[], share: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * share))]!;
const lines: string[] = [];
const allTiles: TileAddress[] = [];
for (const z of zooms) {
  const tiles = Array.from({ length: tilesPerZoom }, () => tileAt(6.85 + random() * 0.2, 50.88 + random() * 0.12, z));
  allTiles.push(...tiles);
  const node: number[] = [];
  const postgis: number[] = [];
  let nodeBytes = 0;
  let postgisBytes = 0;
  let features = 0;
  for (const tile of tiles) {
    // Interleaved, and each path once before timing so that both read warm pages.
    await uncached.offerTile(tile, {});
    await postgisTile(tile);
    let started = performance.now();
    const encoded = await uncached.offerTile(tile, {});
    node.push(performance.now() - started);
    nodeBytes += encoded.body.length;
    features += encoded.features;
    started = performance.now();
    postgisBytes += await postgisTile(tile);
    postgis.push(performance.now() - started);
  }
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  lines.push(
    `z${z}: ${Math.round(features / tiles.length)} offers per tile · A Node/vt-pbf mean ${mean(node).toFixed(1)} ms p95 ${percentile(node, 0.95).toFixed(1)} ms ${Math.round(nodeBytes / tiles.length)} B` +
      ` · B ST_AsMVT mean ${mean(postgis).toFixed(1)} ms p95 ${percentile(postgis, 0.95).toFixed(1)} ms ${Math.round(postgisBytes / tiles.length)} B`,
  );
}
const cached = createTilesService({ db, taxonomies, checkIntervalMs: 1_000 });
for (const tile of allTiles) await cached.offerTile(tile, {});
const rounds = 20;
const started = performance.now();
for (let round = 0; round < rounds; round++) for (const tile of allTiles) await cached.offerTile(tile, {});
const seconds = (performance.now() - started) / 1000;
lines.push(`cached: ${Math.round((rounds * allTiles.length) / seconds)} tiles/s in process (${allTiles.length} tiles × ${rounds})`);
console.log(`tiles at ${count} offers (PostgreSQL), ${tilesPerZoom} tiles per zoom near Cologne's centre`);
for (const line of lines) console.log(line);
await database.close();
