import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { createApp } from './app.ts';
import { createAuditService } from './audit/audit.service.ts';
import { createAuthService } from './auth/auth.service.ts';
import { createCoverageWorkerPool } from './coverage/coverage-pool.ts';
import { createImportFileReaderPool } from './offers/offers-file-reader.ts';
import { ConfigError, loadConfig, projectRoot, redactDatabaseUrl, type Config } from './config.ts';
import { createDepartmentsService } from './departments/departments.service.ts';
import { prepareServedCity } from './cities/cities.service.ts';
import { createDatasetsService, type DatasetsService } from './datasets/datasets.service.ts';
import { loadCityDemandMapping } from './coverage/demand.ts';
import { connectDatabase, DatabaseStartupError, readDatabaseVersions, type Database } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { loadDefaultCityIfEmpty } from './imports/default-city.ts';
import { createLogger } from './logger.ts';
import { createAppServer } from './http/app-server.ts';
import { ValidationError } from './http/errors.ts';
import { dataLoaded, type DataStatus } from './meta/meta.schema.ts';
import { createSnapshotScheduler, type SnapshotScheduler } from './steering/steering.scheduler.ts';
import { searchThreadsOf } from './search/search-thread.ts';

function readVersion(): string {
  const packageJson = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  return packageJson.version;
}

async function buildClientIfMissing(config: Config, logger: Logger): Promise<void> {
  if (fs.existsSync(path.join(config.clientDir, 'index.html'))) return;
  logger.info('the web client is not built yet; building it now (about 30 s, once)');
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: path.join(projectRoot, 'vite.config.ts'), logLevel: 'warn' });
  logger.info({ ms: Date.now() - started }, 'web client built');
}

// eslint-disable-next-line max-lines-per-function -- the start-up sequence in its documented order (docs/architecture.md, Start-up), each step a named call
async function start(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env, readVersion());
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Angebotsatlas cannot start: ${error.problems.join('; ')}.\n`);
      process.exit(78);
    }
    throw error;
  }
  // The city's files (profile, manifests, indicators, demand rules) are checked before the
  // database opens: a broken file is a configuration error that names the file and the field.
  let datasets: DatasetsService;
  try {
    datasets = createDatasetsService({ geodataDir: config.geodataDir, city: config.city, cityDir: config.cityDir });
    loadCityDemandMapping({ cityFile: datasets.cityFiles().demand, indicators: datasets.indicators() });
  } catch (error) {
    process.stderr.write(`Angebotsatlas cannot start: ${(error as Error).message}\n`);
    process.exit(78);
  }
  const logger = createLogger(config.logLevel);
  const target = config.databaseUrl ? `PostgreSQL at ${redactDatabaseUrl(config.databaseUrl)}` : `embedded PGlite in ${config.dataDir}`;
  const firstStart = !config.databaseUrl && !fs.existsSync(path.join(config.dataDir, 'PG_VERSION'));
  logger.info(
    { database: target },
    firstStart ? 'opening the database (first start: creating it and PostGIS takes about 20 s)' : 'opening the database',
  );

  let database: Database;
  try {
    database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (error instanceof DatabaseStartupError) {
      logger.fatal(error.message);
      process.stderr.write(`Angebotsatlas cannot start: ${error.message}\n`);
      process.exit(69);
    }
    throw error;
  }
  const versions = await readDatabaseVersions(database.knex);
  logger.info({ backend: database.backend, ...versions }, 'database ready');

  const applied = await migrateToLatest(database.knex);
  if (applied.length > 0) logger.info({ migrations: applied.length }, 'database schema migrated');
  const seeded = await prepareServedCity(database.knex, datasets.city(), datasets.indicators());
  logger.info({ ...seeded, city: datasets.city().id }, 'reference data loaded (taxonomies, indicators)');
  const audit = createAuditService({ db: database.knex });
  const auth = createAuthService({ db: database.knex, audit });
  const initialAdmin = await auth
    .ensureInitialAdmin({ email: config.adminEmail, password: config.adminPassword })
    .catch((error: unknown) => {
      // A weak ADMIN_PASSWORD (breached, the address itself) is a configuration error: exit 78 like one.
      if (error instanceof ValidationError) {
        process.stderr.write(`Angebotsatlas cannot start: ADMIN_PASSWORD ${error.errors.map((fieldError) => fieldError.message).join(' ')}\n`);
        process.exit(78);
      }
      throw error;
    });
  if (initialAdmin.created) logger.info({ email: initialAdmin.email }, 'first administrator created from ADMIN_EMAIL');
  else if (initialAdmin.reason === 'not_configured') {
    logger.warn('there is no administrator yet: set ADMIN_EMAIL and ADMIN_PASSWORD, or run "npm run cli -- user create --role admin --email …"');
  }

  const newDepartments = await createDepartmentsService({ db: database.knex, audit, cityId: datasets.city().id }).ensure(datasets.city().departments);
  if (newDepartments > 0) logger.info({ departments: newDepartments }, 'departments of the city profile created');
  let dataStatus: DataStatus = dataLoaded;
  if (config.loadDefaultData) {
    dataStatus = await loadDefaultCityIfEmpty({ knex: database.knex, datasets, logger });
  }

  // Tests start the server without a client build of their own; the browser tests build it once.
  if (config.nodeEnv !== 'test') await buildClientIfMissing(config, logger);

  const coverageComputer = createCoverageWorkerPool({ threads: config.work.concurrency });
  const importFiles = createImportFileReaderPool({ threads: 1 });
  const searchThreads = searchThreadsOf(config, logger);
  let snapshots: SnapshotScheduler | undefined;
  const app = createApp({
    config,
    database,
    logger,
    datasets,
    dataStatus: () => dataStatus,
    coverageComputer,
    importFileReader: importFiles.read,
    searchThreads,
    onSteering: (steering) => {
      snapshots = createSnapshotScheduler({ steering, logger });
    },
  });
  snapshots?.start();
  const server = createAppServer(app);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  logger.info({ url: `http://${shownHost}:${port}/` }, 'Angebotsatlas is listening');
  process.stdout.write(`\nAngebotsatlas is running at http://${shownHost}:${port}/\n\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    snapshots?.stop();
    const force = setTimeout(() => {
      logger.warn('shutdown timeout reached; closing remaining connections');
      server.closeAllConnections();
    }, config.shutdownTimeoutMs);
    force.unref();
    server.close(() => {
      void Promise.all([coverageComputer.close(), importFiles.close(), searchThreads?.close(), database.close()])
        .then(() => {
          logger.info('database closed; bye');
          process.exit(0);
        })
        .catch((error: unknown) => {
          logger.error({ err: error }, 'closing the database failed');
          process.exit(1);
        });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

start().catch((error: unknown) => {
  process.stderr.write(`Angebotsatlas failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
