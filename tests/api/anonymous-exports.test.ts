import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServer } from '../../server/http/app-server.ts';
import { createTestApp } from '../helpers/app.ts';
import { createSyntheticCity } from '../helpers/coverage-factories.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

// Issue 14, "anonymous cost": the open exports hand out every visible offer without a silent cap —
// the HSDS ndjson export as a stream (several database batches of 500, never one body in memory),
// OGC API items in pages of at most 10,000 that `next` links walk to the end.
describe('anonymous exports: every visible offer, streamed or paged', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  const visible = 1_234;
  let hiddenIds: string[] = [];

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const { knex } = testDatabase.database;
    app = createTestApp(testDatabase.database);
    const city = await createSyntheticCity(knex);
    const type = (await knex('taxonomy_terms').where({ taxonomy: 'offer_type', code: 'kita' }).first('id')) as { id: string };
    // Set-based, as the benchmarks generate offers: 1,234 visible, plus a draft, an archived and an inactive one.
    await knex.raw(
      `with rows as (
         select i, gen_random_uuid() as offer_id, gen_random_uuid() as location_id,
                case i when ?::int + 1 then 'draft' else 'published' end as publication,
                case i when ?::int + 2 then now() end as archived_at,
                case i when ?::int + 3 then 'inactive' else 'active' end as status
           from generate_series(1, ?::int + 3) as i),
       locations_in as (
         insert into locations (id, geom) select location_id, ST_SetSRID(ST_MakePoint(6.9 + (i % 50) * 0.001, 50.93 + (i / 50) * 0.0005), 4326) from rows),
       offers_in as (
         insert into offers (id, department_id, name, offer_type_id, status, publication, archived_at)
         select offer_id, ?, 'Export ' || i, ?, status, publication, archived_at from rows)
       insert into offer_locations (offer_id, location_id) select offer_id, location_id from rows`,
      [visible, visible, visible, visible, city.departmentId, type.id],
    );
    hiddenIds = ((await knex('offers').where('name', 'in', [`Export ${visible + 1}`, `Export ${visible + 2}`, `Export ${visible + 3}`]).select('id')) as { id: string }[]).map(
      (row) => row.id,
    );
    expect(hiddenIds).toHaveLength(3);
  }, 240_000);
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('streams every visible service as ndjson in chunks, without a length known up front', async () => {
    const server = createAppServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const { headers, chunks, body } = await new Promise<{ headers: http.IncomingHttpHeaders; chunks: number; body: string }>((resolve, reject) => {
        http
          .get(`http://127.0.0.1:${port}/api/hsds/services?format=ndjson`, (response) => {
            const parts: Buffer[] = [];
            response.on('data', (chunk: Buffer) => parts.push(chunk));
            response.on('end', () => resolve({ headers: response.headers, chunks: parts.length, body: Buffer.concat(parts).toString('utf8') }));
            response.on('error', reject);
          })
          .on('error', reject);
      });
      // A streamed body: chunked, no Content-Length (a body built in memory and sent at once has one).
      expect(headers['transfer-encoding']).toBe('chunked');
      expect(headers['content-length']).toBeUndefined();
      expect(chunks).toBeGreaterThan(1);
      const ids = body
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => (JSON.parse(line) as { id: string }).id);
      expect(ids).toHaveLength(visible);
      expect(new Set(ids).size).toBe(visible);
      for (const hidden of hiddenIds) expect(ids).not.toContain(hidden);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 120_000);

  it('streams every visible service at a location as ndjson', async () => {
    const response = await request(app).get('/api/hsds/service_at_locations').query({ format: 'ndjson' });
    expect(response.status).toBe(200);
    const lines = response.text.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(visible);
    for (const hidden of hiddenIds) expect(response.text).not.toContain(hidden);
  }, 120_000);

  it('pages OGC API items with next links to the very last visible offer, and refuses a page beyond 10,000 by name', async () => {
    const seen = new Set<string>();
    let response = await request(app).get('/api/ogc/collections/offers/items').query({ limit: 500 });
    let pages = 0;
    for (;;) {
      expect(response.status).toBe(200);
      expect(response.body.numberMatched).toBe(visible);
      for (const feature of response.body.features as { properties: { offerId?: string }; id: string }[]) seen.add(String(feature.id));
      pages += 1;
      const next = (response.body.links as { rel: string; href: string }[]).find((link) => link.rel === 'next');
      if (!next) break;
      const url = new URL(next.href);
      response = await request(app).get(url.pathname + url.search);
    }
    expect(pages).toBe(Math.ceil(visible / 500));
    expect(seen.size).toBe(visible);
    const tooMany = await request(app).get('/api/ogc/collections/offers/items').query({ limit: 10_001 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors.map((error: { field: string }) => error.field)).toContain('query.limit');
  }, 120_000);
});
