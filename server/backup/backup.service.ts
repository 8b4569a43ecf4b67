import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Knex } from 'knex';
import { DatabaseStartupError, type Database } from '../db/connect.ts';
import { DataDirInUseError, lockDataDir } from '../db/data-dir-lock.ts';
import { listTables, tableChecksum, type TableChecksum } from './backup.repo.ts';

const run = promisify(execFile);

/**
 * Backups of either database (issue 11), made with the database's own tools so that a restore
 * is exact: the embedded database with PGlite's `dumpDataDir` (a gzip'd tar of its data
 * directory; `loadDataDir` reads it back), PostgreSQL with `pg_dump --format=custom` and
 * `pg_restore` (the tools every PostgreSQL operator knows; they must be on PATH and at least
 * as new as the server). A restore is checked by row counts and checksums per table.
 */

export class BackupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackupError';
  }
}

export async function checksums(db: Knex): Promise<TableChecksum[]> {
  const result: TableChecksum[] = [];
  for (const table of await listTables(db)) result.push(await tableChecksum(db, table));
  return result;
}

/** Writes a backup of `database` to `file` (written to a temporary name first, then renamed). */
export async function backupDatabase(database: Database, file: string, options: { databaseUrl?: string | undefined } = {}): Promise<void> {
  const partial = `${file}.partial`;
  try {
    if (database.backend === 'pglite') {
      if (!database.pglite) throw new BackupError('The embedded database has no PGlite instance to dump.');
      const dump = await database.pglite.dumpDataDir('gzip');
      await fs.writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    } else {
      if (!options.databaseUrl) throw new BackupError('A PostgreSQL backup needs DATABASE_URL.');
      await runTool('pg_dump', ['--format=custom', '--no-owner', `--file=${partial}`, `--dbname=${options.databaseUrl}`]);
    }
    await fs.rename(partial, file);
  } catch (error) {
    await fs.rm(partial, { force: true });
    throw error;
  }
}

/**
 * Restores the embedded database in `dataDir` from `file`. Nobody may use the directory (the
 * lock is taken); the current directory is kept as `<dataDir>.before-restore-<time>` until the
 * administrator removes it.
 */
export async function restoreEmbedded(file: string, dataDir: string): Promise<{ keptAs: string | null }> {
  const dump = await readBackup(file);
  const parent = path.dirname(path.resolve(dataDir));
  const stamp = new Date().toISOString().replaceAll(/[:.]/g, '-');
  const staging = path.join(parent, `${path.basename(dataDir)}.restoring-${stamp}`);
  await fs.mkdir(dataDir, { recursive: true });
  let unlock: () => void;
  try {
    unlock = lockDataDir(dataDir);
  } catch (error) {
    // The running server holds it: the CLI exits 69 with this sentence.
    if (error instanceof DataDirInUseError) throw new DatabaseStartupError(error.message, { cause: error });
    throw error;
  }
  try {
    const instance = new PGlite({ dataDir: staging, loadDataDir: new Blob([new Uint8Array(dump)]), extensions: { postgis } });
    try {
      await instance.waitReady;
      await instance.query('select 1');
    } catch (error) {
      throw new BackupError(`The file ${file} is not a backup of the embedded database.`, { cause: error });
    } finally {
      // A dump that never loaded cannot be closed either; that error would hide the sentence above.
      if (!instance.closed) await instance.close().catch(() => undefined);
    }
    const keptAs = `${path.resolve(dataDir)}.before-restore-${stamp}`;
    await fs.rename(dataDir, keptAs);
    await fs.rename(staging, dataDir);
    unlock();
    await fs.rm(path.join(keptAs, 'angebotsatlas.pid'), { force: true });
    return { keptAs };
  } catch (error) {
    unlock();
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Restores a PostgreSQL database from a `pg_dump --format=custom` file (objects are replaced). */
export async function restorePostgres(file: string, databaseUrl: string): Promise<void> {
  await readBackup(file);
  await runTool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', `--dbname=${databaseUrl}`, file]);
}

async function readBackup(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    throw new BackupError(`Cannot read the backup file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, { cause: error });
  }
}

async function runTool(tool: string, args: string[]): Promise<void> {
  try {
    await run(tool, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new BackupError(`${tool} is not installed: install the PostgreSQL client tools (Debian: postgresql-client-15 or newer).`, { cause: error });
    }
    // pg_dump/pg_restore print the connection string only as given; keep the first line, without a password.
    const firstLine = (failure.stderr ?? failure.message).split('\n')[0]?.replace(/:\/\/([^:@/]+):[^@/]*@/g, '://$1:***@') ?? '';
    throw new BackupError(`${tool} failed: ${firstLine}`, { cause: error });
  }
}
