import { createHash } from 'node:crypto';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createStaff, type SignedIn, type Staff } from '../helpers/offer-factories.ts';

// Issue 11, defect 10: dry-run-then-confirm was not enforced; the confirmation was the file's
// SHA-256, which anyone can compute without ever running the check.

describe('an import is confirmed only with the token its dry run issued', () => {
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

  function file(externalId: string): string {
    return [
      'source,external_id,department_code,name,offer_type,target_groups,min_age,cost_kind,longitude,latitude',
      `confirm-test,${externalId},${staff.departmentA.code},Treff ${externalId},senior_meeting_place,seniors,60,free,6.955,50.935`,
    ].join('\n');
  }

  function upload(as: SignedIn, body: string, query: Record<string, string>) {
    return as.agent
      .post('/api/offers/import')
      .query({ format: 'csv', ...query })
      .set('X-CSRF-Token', as.csrfToken)
      .set('Content-Type', 'text/csv')
      .send(body);
  }

  async function imported(externalId: string): Promise<number> {
    const row = (await testDatabase.database.knex('offers').where({ source: 'confirm-test', external_id: externalId }).count({ count: '*' }).first()) as {
      count: number | string;
    };
    return Number(row.count);
  }

  it('refuses the file\'s SHA-256 without a dry run', async () => {
    const body = file('sha-1');
    const sha256 = createHash('sha256').update(body).digest('hex');
    const response = await upload(staff.editorA, body, { dryRun: 'false', checksum: sha256 });
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('import_checksum_mismatch');
    expect(await imported('sha-1')).toBe(0);
  });

  it('issues a token that is not the file\'s SHA-256 and keeps only its hash', async () => {
    const body = file('token-1');
    const dryRun = await upload(staff.editorA, body, { dryRun: 'true' });
    expect(dryRun.status).toBe(200);
    expect(dryRun.body.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(dryRun.body.checksum).not.toBe(createHash('sha256').update(body).digest('hex'));
    const run = await testDatabase.database.knex('import_runs').where({ id: dryRun.body.importRunId }).first();
    expect(JSON.stringify(run)).not.toContain(dryRun.body.checksum);
  });

  it('refuses a token issued to another user', async () => {
    const body = file('other-user');
    const dryRun = await upload(staff.editorA, body, { dryRun: 'true' });
    const response = await upload(staff.admin, body, { dryRun: 'false', checksum: dryRun.body.checksum });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('import_checksum_mismatch');
    expect(await imported('other-user')).toBe(0);
  });

  it('refuses a token for a different file', async () => {
    const dryRun = await upload(staff.editorA, file('first'), { dryRun: 'true' });
    const response = await upload(staff.editorA, file('second'), { dryRun: 'false', checksum: dryRun.body.checksum });
    expect(response.status).toBe(409);
    expect(await imported('second')).toBe(0);
  });

  it('spends the token: a second confirmation is refused', async () => {
    const body = file('once');
    const dryRun = await upload(staff.editorA, body, { dryRun: 'true' });
    const first = await upload(staff.editorA, body, { dryRun: 'false', checksum: dryRun.body.checksum });
    expect(first.status).toBe(200);
    expect(first.body.created).toBe(1);
    const second = await upload(staff.editorA, body, { dryRun: 'false', checksum: dryRun.body.checksum });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('import_checksum_mismatch');
    expect(await imported('once')).toBe(1);
  });
});
