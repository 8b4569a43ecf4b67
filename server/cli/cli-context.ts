import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { loadConfig, projectRoot, type Config } from '../config.ts';
import { prepareServedCity } from '../cities/cities.service.ts';
import { createDatasetsService, type DatasetsService } from '../datasets/datasets.service.ts';
import { connectDatabase, type Database } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createLogger } from '../logger.ts';

/**
 * What commands share: configuration, a logger on stderr (stdout is for results), the dataset
 * catalogue, and a database that is opened — migrated and seeded — only when a command needs it.
 */
export interface CliContext {
  config: Config;
  logger: Logger;
  datasets: DatasetsService;
  database(): Promise<Database>;
  /** Results go here (stdout); progress and logs go to stderr. */
  out(text: string): void;
  err(text: string): void;
  close(): Promise<void>;
}

function readVersion(): string {
  const packageJson = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  return packageJson.version;
}

export function createCliContext(environment: NodeJS.ProcessEnv = process.env): CliContext {
  const config = loadConfig(environment, readVersion());
  // Info-level start-up chatter would drown the command's own output; LOG_LEVEL=debug shows it.
  const level = config.logLevel === 'info' ? 'warn' : config.logLevel;
  const logger = createLogger(level, pino.destination(2));
  const datasets = createDatasetsService({ geodataDir: config.geodataDir, city: config.city, cityDir: config.cityDir });
  let opened: Promise<Database> | undefined;
  return {
    config,
    logger,
    datasets,
    database() {
      opened ??= (async () => {
        const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
        await migrateToLatest(database.knex);
        await prepareServedCity(database.knex, datasets.city(), datasets.indicators());
        return database;
      })();
      return opened;
    },
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    async close() {
      // A database that failed to open has nothing to close; its error was already reported
      // (rethrowing it here printed a stack trace and turned exit code 69 into 1).
      if (opened) await opened.then((database) => database.close(), () => undefined);
    },
  };
}
