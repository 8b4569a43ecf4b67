import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/config.ts';
import { lockDataDir } from '../../server/db/data-dir-lock.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createStaff, makeOffer, type Staff } from '../helpers/offer-factories.ts';

// Issue 11, defect 9: operational failures are 503 with one sentence (not 500), and the server
// and the CLI stop with one sentence and their documented exit code (not a stack trace).

function run(script: string, args: string[], environment: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, script), ...args], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'test', LOAD_DEFAULT_DATA: 'false', LOG_LEVEL: 'silent', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('operational failures answer 503 with one sentence', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let staff: Staff;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    app = createTestApp(testDatabase.database);
    staff = await createStaff(testDatabase.database.knex, app);
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  // A trigger raises the very SQLSTATE PostgreSQL reports when it cannot extend a file.
  async function failingInserts(sqlState: string, run: () => Promise<void>): Promise<void> {
    const knex = testDatabase.database.knex;
    await knex.raw(
      `create or replace function test_fail_insert() returns trigger language plpgsql as $$
       begin raise exception 'could not extend file "base/1/2": No space left on device' using errcode = '${sqlState}'; end $$`,
    );
    await knex.raw('create trigger test_fail_insert before insert on offers for each row execute function test_fail_insert()');
    try {
      await run();
    } finally {
      await knex.raw('drop trigger test_fail_insert on offers');
      await knex.raw('drop function test_fail_insert()');
    }
  }

  it('answers a full disk (SQLSTATE 53100) with 503 disk_full, without SQL or file names', async () => {
    await failingInserts('53100', async () => {
      const response = await staff.admin.agent
        .post('/api/offers')
        .set('X-CSRF-Token', staff.admin.csrfToken)
        .set('Accept-Language', 'en')
        .send(makeOffer({ departmentCode: staff.departmentA.code }));
      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 503, code: 'disk_full', title: 'Service unavailable' });
      expect(response.body.detail).toMatch(/^The server's disk is full[^.]*;[^.]*\.$/);
      expect(JSON.stringify(response.body)).not.toMatch(/base\/1|extend|insert|trigger/i);
    });
  });

  it('answers a read-only database (SQLSTATE 25006) with 503', async () => {
    await failingInserts('25006', async () => {
      const response = await staff.admin.agent
        .post('/api/offers')
        .set('X-CSRF-Token', staff.admin.csrfToken)
        .send(makeOffer({ departmentCode: staff.departmentA.code }));
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('storage_read_only');
    });
  });

  it('keeps reading while writes fail', async () => {
    await failingInserts('53100', async () => {
      const response = await request(app).get('/api/offers');
      expect(response.status).toBe(200);
    });
  });
});

describe('start-up and the CLI stop with one sentence and the documented exit code', () => {
  const cleanup: string[] = [];
  afterAll(async () => {
    await Promise.all(cleanup.map((entry) => fs.rm(entry, { recursive: true, force: true })));
  });

  it('the server names a DATA_DIR it cannot use (exit 69, no stack trace)', async () => {
    const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-unusable-'));
    cleanup.push(directory);
    const blocker = path.join(directory, 'a-file');
    await fs.writeFile(blocker, 'not a directory');
    const result = await run('server/main.ts', [], { DATA_DIR: path.join(blocker, 'data'), PORT: '0' });
    expect(result.code).toBe(69);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Angebotsatlas cannot start: The data directory .*a-file\/data is not a directory .*\(ENOTDIR\): set DATA_DIR to a writable directory/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('the CLI against an embedded database in use exits 69 with one sentence', async () => {
    const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-in-use-'));
    cleanup.push(directory);
    // This test process holds the lock, as a running server would.
    const unlock = lockDataDir(directory);
    try {
      const result = await run('server/cli/main.ts', ['department', 'list'], { DATA_DIR: directory });
      expect(result.code).toBe(69);
      expect(result.stderr.trim()).toBe(
        `The embedded database in ${directory} is in use by process ${process.pid}: stop that process (e.g. the running server) first, or use DATABASE_URL.`,
      );
    } finally {
      unlock();
    }
  }, 60_000);
});
