import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../../server/http/app-server.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertDepartment, insertUser } from '../helpers/offer-factories.ts';
import { rawUpload, signInOverHttp } from '../helpers/raw-http.ts';

const megabyte = 1024 * 1024;

// Issue 11, defect 2: POST /api/offers/import read up to 200 MB before it checked sign-in; six
// anonymous uploads took the process from 1.26 to 2.39 GB and were answered 401 after 12–15 s each.
describe('uploads: who and how much is checked before the body is read', () => {
  let testDatabase: TestDatabase;
  let server: http.Server;
  let baseUrl: string;
  let editorHeaders: Record<string, string>;
  let plannerHeaders: Record<string, string>;
  let departmentCode: string;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const knex = testDatabase.database.knex;
    // an editor may upload 1 MB here, an admin 200 MB (the default), a planner nothing
    const app = createTestApp(testDatabase.database, { uploadLimits: { admin: 200 * megabyte, editor: megabyte, planner: 0 } });
    server = createAppServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const department = await insertDepartment(knex);
    departmentCode = department.code;
    editorHeaders = await signInOverHttp(baseUrl, await insertUser(knex, { role: 'editor', departmentId: department.id }));
    plannerHeaders = await signInOverHttp(baseUrl, await insertUser(knex, { role: 'planner' }));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await testDatabase.destroy();
  });

  it('refuses an anonymous 200 MB upload with 401 before its body arrives', async () => {
    // the body is announced but never sent: only an answer that does not wait for it arrives
    const answer = await rawUpload(`${baseUrl}/api/offers/import?format=csv&dryRun=true`, {
      contentLength: 200 * megabyte,
      bodyBytes: 0,
      timeoutMs: 5000,
    });
    expect(answer.status).toBe(401);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(answer.headers.connection).toBe('close');
    expect(answer.elapsedMs).toBeLessThan(2000);
  });

  it('answers an anonymous upload that keeps sending without reading it and without memory growth', async () => {
    const before = process.memoryUsage().rss;
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        rawUpload(`${baseUrl}/api/offers/import?format=csv`, { contentLength: 200 * megabyte, bodyBytes: 200 * megabyte, timeoutMs: 10_000 }),
      ),
    );
    const growth = process.memoryUsage().rss - before;
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      // the answer came long before 200 MB were written (the socket buffers hold a few MB at most)
      expect(answer.bytesSent).toBeLessThan(32 * megabyte);
    }
    // four uploads of 200 MB read into memory would add 800 MB; a generous bound for noise
    expect(growth).toBeLessThan(150 * megabyte);
  });

  it('refuses a planner (read-only role) with 403 at once', async () => {
    const answer = await rawUpload(`${baseUrl}/api/offers/import?format=csv&dryRun=true`, {
      headers: { ...plannerHeaders, 'accept-language': 'en' },
      contentLength: 10 * megabyte,
      bodyBytes: 0,
      timeoutMs: 5000,
    });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'read_only_role', detail: 'The role "planner" may not upload files.' });
  });

  it('refuses a Content-Length over the role limit with 413 at once, naming the limit', async () => {
    const answer = await rawUpload(`${baseUrl}/api/offers/import?format=csv&dryRun=true`, {
      headers: { ...editorHeaders, 'accept-language': 'de' },
      contentLength: 5 * megabyte,
      bodyBytes: 0,
      timeoutMs: 5000,
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({
      code: 'payload_too_large',
      limitBytes: megabyte,
      detail: 'Die Datei ist 5 MB groß; Ihre Rolle darf höchstens 1 MB hochladen.',
    });
    expect(answer.elapsedMs).toBeLessThan(2000);
  });

  it('stops a chunked upload without Content-Length at the role limit', async () => {
    const answer = await rawUpload(`${baseUrl}/api/offers/import?format=csv&dryRun=true`, {
      headers: editorHeaders,
      bodyBytes: 8 * megabyte,
      timeoutMs: 10_000,
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'payload_too_large' });
  });

  it('still reads an upload within the limit', async () => {
    const file = [
      'source,external_id,department_code,name,offer_type,target_groups,cost_kind,longitude,latitude',
      `upload-test,1,${departmentCode},Seniorentreff Upload,senior_meeting_place,seniors,free,6.955,50.935`,
    ].join('\n');
    const response = await fetch(`${baseUrl}/api/offers/import?format=csv&dryRun=true`, {
      method: 'POST',
      headers: { ...editorHeaders, 'content-type': 'text/csv' },
      body: file,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ dryRun: true, records: 1, valid: true, created: 1 });
  });
});
