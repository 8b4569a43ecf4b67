import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment, signIn } from '../helpers/offer-factories.ts';

describe('npm run cli -- user create', () => {
  let testDatabase: TestDatabase;
  let output: string[];
  let errors: string[];

  /** Runs the CLI program in this process against the test database (tests/helpers/cli.ts). */
  async function cli(...args: string[]): Promise<number> {
    const run = await runCli(testDatabase.database, args);
    output = run.output;
    errors = run.errors;
    return run.code;
  }

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterEach(() => {
    process.exitCode = undefined;
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('creates an editor with a generated password, printed once, that signs in', async () => {
    const department = await insertDepartment(testDatabase.database.knex);
    expect(await cli('user', 'create', '--email', 'redaktion@example.org', '--role', 'editor', '--department', department.code)).toBe(0);
    expect(output[0]).toMatch(new RegExp(`^Created editor redaktion@example.org in ${department.code} \\(id [0-9a-f-]{36}\\)\\.$`));
    const password = /Generated password \(shown only now\): (\S+)$/.exec(output[1] ?? '')?.[1];
    expect(password).toHaveLength(24);
    const app = createTestApp(testDatabase.database);
    const signedIn = await signIn(app, { id: '', email: 'redaktion@example.org', password: password!, role: 'editor', departmentId: department.id });
    expect(signedIn.csrfToken).toMatch(/^[\w-]{43}$/);
    const stored = await testDatabase.database.knex('users').where({ email: 'redaktion@example.org' }).first();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(await testDatabase.database.knex('audit_events').where({ entity_id: stored.id }))).not.toContain(password);
  });

  it('refuses an editor without a department, an unknown role and a second account with the same address', async () => {
    expect(await cli('user', 'create', '--email', 'ohne@example.org', '--role', 'editor')).toBe(2);
    expect(errors).toEqual(['department: An editor needs a department.']);
    expect(await cli('user', 'create', '--email', 'x@example.org', '--role', 'superuser')).toBe(2);
    expect(errors[0]).toMatch(/^role: Must be one of: admin, editor, planner/);
    expect(await cli('user', 'create', '--email', 'planung@example.org', '--role', 'planner')).toBe(0);
    expect(await cli('user', 'create', '--email', 'PLANUNG@example.org', '--role', 'planner')).toBe(1);
    expect(errors[0]).toMatch(/already exists/);
  });
});
