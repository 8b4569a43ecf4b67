/**
 * Coverage benchmark on the real Cologne data (86 Sozialräume, 15,846 street segments, OSM offers).
 *
 *   npx tsx bench/coverage-koeln.ts                      embedded PGlite
 *   DATABASE_URL=postgres://… npx tsx bench/coverage-koeln.ts   PostgreSQL (an empty database)
 *
 * Prints one line per figure; the results go to docs/benchmarks.md by hand. Not a test: no limits enforced.
 */
import request from 'supertest';
import pino from 'pino';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { createCoverageService, type CoverageService } from '../server/coverage/coverage.service.ts';
import { connectDatabase, readDatabaseVersions } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createTaxonomiesService } from '../server/taxonomies/taxonomies.service.ts';
import { seedReferenceData } from '../seeds/reference-data.ts';
import { loadKoeln } from './coverage-koeln-data.ts';

const repetitions = Number(process.env.BENCH_REPETITIONS ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(label: string, run: () => Promise<unknown>, times = repetitions): Promise<number> {
  const samples: number[] = [];
  for (let index = 0; index < times; index++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  const value = median(samples);
  console.log(`${label.padEnd(58)} median ${value.toFixed(0).padStart(6)} ms  (min ${Math.min(...samples).toFixed(0)}, max ${Math.max(...samples).toFixed(0)}, n=${times})`);
  return value;
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  const database = await connectDatabase({ databaseUrl });
  const versions = await readDatabaseVersions(database.knex);
  console.log(`backend ${database.backend}: PostgreSQL ${versions.postgres}, PostGIS ${versions.postgis}`);
  let started = performance.now();
  await migrateToLatest(database.knex);
  await seedReferenceData(database.knex);
  await loadKoeln(database);
  console.log(`setup (migrate, seed, import Cologne) ${(performance.now() - started).toFixed(0)} ms`);

  const coverage: CoverageService = createCoverageService({ db: database.knex, taxonomies: createTaxonomiesService({ db: database.knex }) });
  started = performance.now();
  await coverage.coverage({ offerType: 'kita' });
  console.log(`${'first question (graph built, 15,846 segments)'.padEnd(58)} ${(performance.now() - started).toFixed(0).padStart(13)} ms`);

  await time('one offer type, walk 1,000 m (kita)', () => coverage.coverage({ offerType: 'kita' }));
  await time('one offer type, airline 1,000 m (pharmacy, 211 offers)', () => coverage.coverage({ offerType: 'pharmacy' }));
  await time('one offer type, walk 1,000 m (pharmacy, 211 offers)', () => coverage.coverage({ offerType: 'pharmacy', mode: 'walk' }));
  await time('gaps, kita walk 1,000 m, all segments', () => coverage.gaps({ offerType: 'kita', limit: 20_000 }));

  const types = (await database.knex('taxonomy_terms').where('taxonomy', 'offer_type').orderBy('sort_order').pluck('code')) as string[];
  let answered = 0;
  await time(
    `all ${types.length} offer types, each with its default reach`,
    async () => {
      answered = 0;
      for (const offerType of types) {
        try {
          await coverage.coverage({ offerType });
          answered += 1;
        } catch (error) {
          if ((error as { status?: number }).status !== 404) throw error;
        }
      }
    },
    3,
  );
  console.log(`  (${answered} of ${types.length} offer types have statistics for their target group)`);

  const hypothetical = [
    { lon: 6.9, lat: 50.99 },
    { lon: 7.05, lat: 50.9 },
    { lon: 6.98, lat: 50.92 },
  ];
  await time('what-if, kita walk 1,000 m, 3 hypothetical offers', () =>
    coverage.scenario({ offerType: 'kita', offers: hypothetical }),
  );
  await time('what-if, pharmacy airline 1,000 m, 3 hypothetical offers', () =>
    coverage.scenario({ offerType: 'pharmacy', offers: hypothetical }),
  );

  const app = createApp({
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
    database,
    logger: pino({ level: 'silent' }),
  });
  await request(app).get('/api/coverage').query({ offerType: 'kita' });
  await time('HTTP GET /api/coverage?offerType=kita (end to end)', async () => {
    const response = await request(app).get('/api/coverage').query({ offerType: 'kita' });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
  });
  await time('HTTP POST /api/coverage/scenario (kita, 1 offer)', async () => {
    const response = await request(app).post('/api/coverage/scenario').send({ offerType: 'kita', offers: [hypothetical[0]] });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
  });
  await database.close();
}

await main();
