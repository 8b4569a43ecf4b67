/**
 * Memory of Cologne's street network in the running app: the heap (and array buffers, where typed
 * arrays live) after the geocoder, the search and the coverage have each built what they keep.
 * Uses only createApp and HTTP routes, so the same file runs on an older commit for an A/B.
 *
 *   node --expose-gc --import tsx bench/streets-memory.ts                 embedded PGlite
 *   DATABASE_URL=postgres://… node --expose-gc --import tsx bench/streets-memory.ts
 *
 * Prints one line per step; the results go to docs/benchmarks.md by hand. Not a test.
 */
import request from 'supertest';
import pino from 'pino';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { connectDatabase } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { seedReferenceData } from '../seeds/reference-data.ts';
import { loadKoeln } from './coverage-koeln-data.ts';

const collect = (globalThis as { gc?: () => void }).gc;

function measure(): { heap: number; buffers: number } {
  if (!collect) throw new Error('run with node --expose-gc');
  for (let round = 0; round < 4; round++) collect();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, buffers: usage.arrayBuffers };
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1).padStart(6);

async function main(): Promise<void> {
  const database = await connectDatabase({ databaseUrl: process.env.DATABASE_URL });
  await migrateToLatest(database.knex);
  await seedReferenceData(database.knex);
  await loadKoeln(database);
  const config = loadConfig({ ...process.env, CITY: 'koeln', NODE_ENV: 'test', LOG_LEVEL: 'silent' }, 'bench');
  const app = createApp({ config, database, logger: pino({ level: 'silent' }) });
  const base = measure();
  console.log(`backend ${database.backend}; after start-up: heap ${mb(base.heap)} MB, array buffers ${mb(base.buffers)} MB`);
  const steps: Array<[string, () => Promise<unknown>]> = [
    ['geocoder (address index + network)', () => request(app).get('/api/geocode').query({ q: 'Venloer Straße 100' })],
    ['search with walking distances', () => request(app).get('/api/search').query({ lat: 50.9413, lon: 6.9583, radius: 3000 })],
    ['coverage, walk (model + network)', () => request(app).get('/api/coverage').query({ offerType: 'kita', mode: 'walk' })],
  ];
  let previous = base;
  for (const [label, step] of steps) {
    const response = (await step()) as { status: number };
    if (response.status !== 200) throw new Error(`${label}: HTTP ${response.status}`);
    const now = measure();
    console.log(
      `${label.padEnd(40)} +heap ${mb(now.heap - previous.heap)} MB  +buffers ${mb(now.buffers - previous.buffers)} MB  (total above start-up ${mb(now.heap + now.buffers - base.heap - base.buffers)} MB)`,
    );
    previous = now;
  }
  await database.close();
}

await main();
