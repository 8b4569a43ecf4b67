import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase, checksums, restoreEmbedded, restorePostgres } from '../../server/backup/backup.service.ts';
import { projectRoot } from '../../server/config.ts';
import { connectDatabase, knexForPostgres } from '../../server/db/connect.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertArea, squarePolygon } from '../helpers/factories.ts';
import { createOffer, createPublishedOffer, createStaff } from '../helpers/offer-factories.ts';
import { withDatabase } from '../helpers/template.ts';

// Issue 11: backups for both databases, tested — a restore gives the same counts and checksums.

describe('backup and restore', () => {
  let testDatabase: TestDatabase;
  let directory: string;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    directory = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-backup-'));
    const app = createTestApp(testDatabase.database);
    const staff = await createStaff(testDatabase.database.knex, app);
    await insertArea(testDatabase.database.knex, { level: 'sozialraum', geometry: squarePolygon(6.95, 50.93, 0.01) });
    await createPublishedOffer(staff.admin, { departmentCode: staff.departmentA.code, name: 'Treff mit Umlauten äöü' });
    await createOffer(staff.editorA, { name: 'Entwurf' });
  });
  afterAll(async () => {
    await testDatabase.destroy();
    await fs.rm(directory, { recursive: true, force: true });
  });

  it('restores the embedded database with the same row counts and checksums in every table', async (context) => {
    if (testDatabase.database.backend !== 'pglite') return context.skip('embedded database only; this pass runs on PostgreSQL');
    const before = await checksums(testDatabase.database.knex);
    expect(before.find((table) => table.table === 'offers')?.rows).toBeGreaterThanOrEqual(2);
    const file = path.join(directory, 'atlas.tar.gz');
    await backupDatabase(testDatabase.database, file);
    expect((await fs.stat(file)).size).toBeGreaterThan(1000);

    const dataDir = path.join(directory, 'data');
    await fs.mkdir(dataDir);
    await fs.writeFile(path.join(dataDir, 'what-was-there.txt'), 'the old data directory');
    const { keptAs } = await restoreEmbedded(file, dataDir);
    expect(await fs.readFile(path.join(keptAs!, 'what-was-there.txt'), 'utf8')).toBe('the old data directory');

    const restored = await connectDatabase({ dataDir });
    try {
      expect(await checksums(restored.knex)).toEqual(before);
    } finally {
      await restored.close();
    }
  }, 240_000);

  it('refuses a file that is not a backup, leaving the data directory as it was', async (context) => {
    if (testDatabase.database.backend !== 'pglite') return context.skip('embedded database only; this pass runs on PostgreSQL');
    const file = path.join(directory, 'not-a-backup.tar.gz');
    await fs.writeFile(file, 'hello');
    const dataDir = path.join(directory, 'untouched');
    await fs.mkdir(dataDir);
    await fs.writeFile(path.join(dataDir, 'keep.txt'), 'keep');
    await expect(restoreEmbedded(file, dataDir)).rejects.toThrow(/is not a backup of the embedded database/);
    expect(await fs.readdir(dataDir)).toEqual(['keep.txt']);
    expect((await fs.readdir(directory)).filter((entry) => entry.includes('restoring'))).toEqual([]);
  }, 120_000);

  it('restores PostgreSQL from pg_dump with the same row counts and checksums (PostgreSQL pass)', async (context) => {
    const adminUrl = process.env.DATABASE_URL;
    if (testDatabase.database.backend !== 'postgresql' || !adminUrl) return context.skip('PostgreSQL only: run with DATABASE_URL');
    const missing = ['pg_dump', 'pg_restore'].filter((tool) => spawnSync(tool, ['--version']).status !== 0);
    if (missing.length > 0) {
      // the documented fallback (docs/operations.md, "Backups"): the operator's own PostgreSQL backup
      const reason = `${missing.join(' and ')} not on PATH: install the PostgreSQL client tools to test backups on PostgreSQL`;
      console.warn(`[backup test] skipped: ${reason}`);
      return context.skip(reason);
    }
    const sourceUrl = testDatabase.database.knex.client.config.connection.connectionString as string;
    const before = await checksums(testDatabase.database.knex);
    const file = path.join(directory, 'atlas.dump');
    await backupDatabase(testDatabase.database, file, { databaseUrl: sourceUrl });
    const name = `angebotsatlas_restore_${process.pid}`;
    const admin = knexForPostgres(adminUrl, 1);
    try {
      await admin.raw('drop database if exists ?? with (force)', [name]);
      await admin.raw('create database ??', [name]);
      const targetUrl = withDatabase(adminUrl, name);
      await restorePostgres(file, targetUrl);
      const restored = await connectDatabase({ databaseUrl: targetUrl, poolMax: 1 });
      try {
        expect(await checksums(restored.knex)).toEqual(before);
      } finally {
        await restored.close();
      }
    } finally {
      await admin.raw('drop database if exists ?? with (force)', [name]);
      await admin.destroy();
    }
  }, 240_000);

  it('the CLI names the missing backup file with exit code 1 and one sentence', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'server/cli/main.ts'), 'restore', path.join(directory, 'missing.tar.gz')], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: path.join(directory, 'cli-data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`Cannot read the backup file ${path.join(directory, 'missing.tar.gz')} (ENOENT).`);
  }, 60_000);
});
