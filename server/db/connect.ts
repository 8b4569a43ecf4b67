import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';
import { redactDatabaseUrl } from '../config.ts';
import { DataDirInUseError, lockDataDir } from './data-dir-lock.ts';
import { openPgliteThread, type PgliteThread, type PingResult } from './pglite-thread.ts';

export type Backend = 'pglite' | 'postgresql';

export interface Database {
  knex: Knex;
  backend: Backend;
  /** The embedded instance, for dumps and clones (tests, backups); absent on PostgreSQL. */
  pglite?: EmbeddedInstance;
  /**
   * Checks that the database is alive without waiting behind the work that keeps it busy: the
   * embedded database in its thread (one session, which a long import holds) answers between
   * statements or says it is busy; both count a query answered in the last second as alive.
   */
  ping?(): Promise<PingResult>;
  close(): Promise<void>;
}

/** What the app uses of an embedded database, in this thread (PGlite) or in a worker thread (PgliteThread). */
export type EmbeddedInstance = Pick<PGlite, 'waitReady' | 'query' | 'exec' | 'close' | 'closed' | 'dumpDataDir'> | PgliteThread;

export interface DatabaseVersions {
  postgres: string;
  postgis: string;
}

/** Raised when the database cannot be used; its message is one sentence for an operator. */
export class DatabaseStartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseStartupError';
  }
}

export const minimumPostgresVersionNumber = 150000;
export const minimumPostgis = [3, 3] as const;

// Return bigint/numeric as numbers: counts and statistics here stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export async function openPglite(dataDir: string | undefined): Promise<PGlite> {
  if (dataDir) await fs.mkdir(dataDir, { recursive: true });
  const instance = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    extensions: { postgis },
    parsers: {
      20: (value: string) => Number(value),
      1700: (value: string) => Number(value),
    },
  });
  await instance.waitReady;
  return instance;
}

export function knexForPglite(instance: EmbeddedInstance): Knex {
  return knexFactory({
    client: ClientPgLite as unknown as typeof knexFactory.Client,
    dialect: 'postgres',
    connection: () => ({ pglite: instance }) as object,
    useNullAsDefault: true,
  } as Knex.Config);
}

export function knexForPostgres(databaseUrl: string, poolMax = 10): Knex {
  return knexFactory({
    client: 'pg',
    connection: { connectionString: databaseUrl, application_name: 'angebotsatlas' },
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 15_000,
  });
}

export async function connectDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  poolMax?: number;
  /** Run the embedded database in a worker thread (default), so that a long statement cannot stall requests. */
  embeddedThread?: boolean;
}): Promise<Database> {
  if (options.databaseUrl) {
    const knex = knexForPostgres(options.databaseUrl, options.poolMax);
    try {
      await knex.raw('select 1');
    } catch (error) {
      await knex.destroy();
      throw new DatabaseStartupError(describeConnectionFailure(error, options.databaseUrl), { cause: error });
    }
    const database: Database = { knex, backend: 'postgresql', ping: pingByRecentAnswers(knex), close: () => knex.destroy() };
    await ensurePostgis(database);
    return database;
  }
  let unlock = () => {};
  if (options.dataDir) {
    try {
      await fs.mkdir(options.dataDir, { recursive: true });
      unlock = lockDataDir(options.dataDir);
    } catch (error) {
      if (error instanceof DataDirInUseError) throw new DatabaseStartupError(error.message, { cause: error });
      throw dataDirStartupError(error, options.dataDir);
    }
  }
  let instance: EmbeddedInstance;
  try {
    instance =
      options.embeddedThread === false ? await openPglite(options.dataDir) : await openPgliteThread({ dataDir: options.dataDir });
  } catch (error) {
    unlock();
    throw options.dataDir ? dataDirStartupError(error, options.dataDir) : error;
  }
  const knex = knexForPglite(instance);
  const thread = 'ping' in instance ? instance : undefined;
  const database: Database = {
    knex,
    backend: 'pglite',
    pglite: instance,
    ...(thread ? { ping: () => thread.ping() } : {}),
    close: async () => {
      try {
        await knex.destroy();
        if (!instance.closed) await instance.close();
      } finally {
        unlock();
      }
    },
  };
  await ensurePostgis(database);
  return database;
}

const dataDirProblems: Record<string, string> = {
  EROFS: 'is on a read-only file system',
  EACCES: 'is not writable for this user',
  EPERM: 'is not writable for this user',
  ENOSPC: 'is on a full disk',
  EDQUOT: 'is on a disk whose quota is used up',
  ENOTDIR: 'is not a directory (a file is in the way)',
  EEXIST: 'is not a directory (a file is in the way)',
};

/**
 * A data directory the embedded database cannot use stops start-up with one sentence for the
 * operator (issue 11: a read-only DATA_DIR printed a raw EROFS stack trace). Other errors stay as they are.
 */
export function dataDirStartupError(error: unknown, dataDir: string): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const problem = code ? dataDirProblems[code] : undefined;
  if (!problem) return error instanceof Error ? error : new Error(String(error));
  return new DatabaseStartupError(
    `The data directory ${dataDir} ${problem} (${code}): set DATA_DIR to a writable directory with free space, or use DATABASE_URL.`,
    { cause: error },
  );
}

/** Creates PostGIS if it is missing and checks the version floor (PostgreSQL 15, PostGIS 3.3). */
export async function ensurePostgis(database: Database): Promise<DatabaseVersions> {
  const { knex } = database;
  const serverRows = await knex.raw<{ rows: { num: string; version: string }[] }>(
    "select current_setting('server_version_num') as num, current_setting('server_version') as version",
  );
  const server = serverRows.rows[0];
  if (!server) throw new DatabaseStartupError('The database did not report its version.');
  if (Number(server.num) < minimumPostgresVersionNumber) {
    throw new DatabaseStartupError(
      `PostgreSQL ${server.version} is too old: Angebotsatlas needs PostgreSQL 15 or newer.`,
    );
  }
  try {
    await knex.raw('create extension if not exists postgis');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42501') {
      throw new DatabaseStartupError(
        'PostGIS is not enabled in this database and the database user may not enable it: run "CREATE EXTENSION postgis" as a superuser.',
        { cause: error },
      );
    }
    throw new DatabaseStartupError(
      'PostGIS is not installed on the database server: install PostGIS 3.3 or newer (Debian: postgresql-15-postgis-3).',
      { cause: error },
    );
  }
  const versions = await readDatabaseVersions(knex);
  const [major = 0, minor = 0] = versions.postgis.split('.').map((part) => Number.parseInt(part, 10));
  if (major < minimumPostgis[0] || (major === minimumPostgis[0] && minor < minimumPostgis[1])) {
    throw new DatabaseStartupError(
      `PostGIS ${versions.postgis} is too old: Angebotsatlas needs PostGIS 3.3 or newer.`,
    );
  }
  return versions;
}

/**
 * The health check's ping on PostgreSQL: a database that answered any query in the last second is
 * alive, as the embedded thread is (PgliteThread.ping); otherwise one `select 1`. Under load every
 * check used to run a query of its own, which waited for a pooled connection and for a busy
 * server's CPU behind the very work that made it busy (issue 11: the health test on PostgreSQL).
 */
function pingByRecentAnswers(knex: Knex): () => Promise<PingResult> {
  let lastAnswerAt = Number.NEGATIVE_INFINITY;
  // transactions report their queries to the knex instance too (knex's transaction client)
  knex.on('query-response', () => {
    lastAnswerAt = performance.now();
  });
  return async () => {
    if (performance.now() - lastAnswerAt < 1000) return { state: 'answering' };
    await knex.raw('select 1');
    return { state: 'answering' };
  };
}

export async function readDatabaseVersions(knex: Knex): Promise<DatabaseVersions> {
  const result = await knex.raw<{ rows: { postgres: string; postgis: string }[] }>(
    "select current_setting('server_version') as postgres, postgis_lib_version() as postgis",
  );
  const row = result.rows[0];
  if (!row) throw new Error('database returned no version row');
  return { postgres: row.postgres.split(' ')[0] ?? row.postgres, postgis: row.postgis };
}

function describeConnectionFailure(error: unknown, databaseUrl: string): string {
  const code = (error as { code?: string }).code;
  const target = redactDatabaseUrl(databaseUrl);
  switch (code) {
    case 'ECONNREFUSED':
      return `Cannot reach the PostgreSQL server at ${target}: the connection was refused (is the server running?).`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot reach the PostgreSQL server at ${target}: the host name does not resolve.`;
    case 'ETIMEDOUT':
      return `Cannot reach the PostgreSQL server at ${target}: the connection timed out.`;
    case '28P01':
    case '28000':
      return `The PostgreSQL server at ${target} refused the user name or password.`;
    case '3D000':
      return `The database named in DATABASE_URL (${target}) does not exist.`;
    default:
      return `Cannot connect to the PostgreSQL server at ${target}: ${(error as Error).message ?? String(error)}.`;
  }
}
