/**
 * Import benchmark on the real files in GEODATA_DIR: the whole Cologne default load, then
 * Berlin's planning areas (needed by the rest), statistics and offers — each group in one
 * transaction, as `npm start` and `npm run cli -- load-city` run them.
 *
 *   npx tsx bench/import-cologne.ts                                  fresh in-memory PGlite
 *   DATABASE_URL=postgres://…/postgres npx tsx bench/import-cologne.ts   also PostgreSQL: a fresh
 *       database "angebotsatlas_bench" is created next to the one in the URL and dropped afterwards
 *
 * Prints time and rows/s per group; the figures go to docs/benchmarks.md by hand. Not a test:
 * no limits are enforced.
 */
import pino from 'pino';
import { seedReferenceData } from '../seeds/reference-data.ts';
import { loadConfig } from '../server/config.ts';
import { createDatasetsService } from '../server/datasets/datasets.service.ts';
import { connectDatabase, knexForPostgres, readDatabaseVersions, type Database } from '../server/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { createImportsService } from '../server/imports/imports.service.ts';
import { createTaxonomiesService } from '../server/taxonomies/taxonomies.service.ts';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const logger = pino({ level: 'silent' });
const benchDatabaseName = 'angebotsatlas_bench';

interface Group {
  label: string;
  city: string;
  select: (dataset: { id: string; kind: string }) => boolean;
}

const groups: Group[] = [
  { label: 'Cologne default load (15 datasets)', city: 'koeln', select: () => true },
  { label: 'Berlin planning areas (542 + 12 + 1)', city: 'berlin', select: (dataset) => dataset.kind === 'areas' },
  { label: 'Berlin statistics (3 files, wide)', city: 'berlin', select: (dataset) => dataset.kind === 'statistics' },
  { label: 'Berlin offers (5 files, 3 in EPSG:25833)', city: 'berlin', select: (dataset) => dataset.kind === 'offers' },
];

async function bench(database: Database, name: string): Promise<void> {
  const versions = await readDatabaseVersions(database.knex);
  console.log(`\n${name}: PostgreSQL ${versions.postgres}, PostGIS ${versions.postgis}`);
  let started = performance.now();
  await migrateToLatest(database.knex);
  await seedReferenceData(database.knex);
  console.log(`  ${'migrate + seed'.padEnd(44)} ${(performance.now() - started).toFixed(0).padStart(7)} ms`);
  for (const group of groups) {
    const datasets = createDatasetsService({ geodataDir: config.geodataDir, city: group.city });
    const imports = createImportsService({ db: database.knex, taxonomies: createTaxonomiesService({ db: database.knex }), datasets, logger });
    const list = datasets
      .forCity(group.city)
      .filter((dataset) => dataset.loadByDefault && dataset.kind !== 'basemap' && group.select(dataset));
    const missing = list.filter((dataset) => !dataset.present);
    if (missing.length > 0) {
      console.log(`  ${group.label}: skipped, missing ${missing.map((dataset) => dataset.file).join(', ')}`);
      continue;
    }
    started = performance.now();
    const outcome = await imports.runAll(list.map((dataset) => imports.resolve(dataset.id)), { actor: 'bench' });
    const ms = performance.now() - started;
    if (!outcome.ok) throw new Error(`${group.label} failed: ${JSON.stringify(outcome.reports.flatMap((report) => report.errors).slice(0, 3))}`);
    const rowsRead = outcome.reports.reduce((sum, report) => sum + report.rowsRead, 0);
    const written = outcome.reports.reduce(
      (sum, report) => sum + Object.values(report.tables).reduce((tableSum, counts) => tableSum + counts.inserted + counts.updated, 0),
      0,
    );
    console.log(
      `  ${group.label.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms   ${String(rowsRead).padStart(6)} rows read (${Math.round(rowsRead / (ms / 1000))} rows/s), ${written} rows written (${Math.round(written / (ms / 1000))}/s)`,
    );
  }
}

async function main(): Promise<void> {
  console.log(`GEODATA_DIR ${config.geodataDir}`);
  let started = performance.now();
  const embedded = await connectDatabase({});
  console.log(`fresh embedded PGlite (in memory) opened with PostGIS in ${(performance.now() - started).toFixed(0)} ms`);
  try {
    await bench(embedded, 'embedded PGlite');
  } finally {
    await embedded.close();
  }

  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.log('\nDATABASE_URL is not set: PostgreSQL skipped.');
    return;
  }
  const admin = knexForPostgres(databaseUrl, 1);
  await admin.raw('drop database if exists ?? with (force)', [benchDatabaseName]);
  await admin.raw('create database ??', [benchDatabaseName]);
  const url = new URL(databaseUrl);
  url.pathname = `/${benchDatabaseName}`;
  started = performance.now();
  const postgres = await connectDatabase({ databaseUrl: url.toString() });
  console.log(`\nfresh PostgreSQL database ${benchDatabaseName} created in ${(performance.now() - started).toFixed(0)} ms`);
  try {
    await bench(postgres, 'PostgreSQL');
  } finally {
    await postgres.close();
    await admin.raw('drop database if exists ?? with (force)', [benchDatabaseName]);
    await admin.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
