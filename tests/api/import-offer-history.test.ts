import path from 'node:path';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import { createImportsService, type ImportsService } from '../../server/imports/imports.service.ts';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import { createTestApp, silentLogger } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertArea, squarePolygon } from '../helpers/factories.ts';
import { createStaff, type Staff } from '../helpers/offer-factories.ts';
import { geodataDir } from './import-geodata.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/imports');

// Offers from the city-data importers have a history like any other: their first version is an
// audit event written in the import's transaction, and an unchanged re-import adds none.
describe('history of imported offers', () => {
  let testDatabase: TestDatabase;
  let imports: ImportsService;
  let app: Express;
  let staff: Staff;

  const importValidOffers = () =>
    imports.run(imports.resolve(path.join(fixtures, 'offers/valid.geojson'), { mappingFile: path.join(fixtures, 'offers/mapping.json') }), {
      actor: 'test',
    });
  const importEvents = () =>
    testDatabase.database.knex('audit_events').where('action', 'like', 'offer.import%').orderBy('id') as Promise<
      { entity_id: string; entity_version: number; action: string; actor_label: string; after: { name: string } }[]
    >;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const { knex } = testDatabase.database;
    imports = createImportsService({ db: knex, taxonomies: createTaxonomiesService({ db: knex }), datasets: createDatasetsService({ geodataDir, city: 'koeln' }), logger: silentLogger });
    await insertArea(knex, { level: 'city', code: 'T-CITY', name: 'Teststadt', geometry: squarePolygon(6.9, 50.85, 0.2) });
    app = createTestApp(testDatabase.database);
    staff = await createStaff(knex, app);
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('records one audit event per imported offer, in the same transaction, and none for an unchanged re-import', async () => {
    const report = await importValidOffers();
    expect(report.status).toBe('succeeded');
    const offers = (await testDatabase.database.knex('offers').whereNotNull('source').select('id', 'version', 'name')) as {
      id: string;
      version: number;
      name: string;
    }[];
    expect(offers.length).toBeGreaterThan(0);
    const events = await importEvents();
    expect(events.map((event) => event.entity_id).sort()).toEqual(offers.map((offer) => offer.id).sort());
    for (const event of events) {
      expect(event).toMatchObject({ action: 'offer.import_create', entity_version: 1, actor_label: expect.stringMatching(/^import /) });
      expect(event.after.name).toBe(offers.find((offer) => offer.id === event.entity_id)!.name);
    }
    expect((await importValidOffers()).status).toBe('succeeded');
    expect(await importEvents()).toHaveLength(events.length);
  });

  it('lets staff restore the imported version after an edit', async () => {
    const [offer] = (await testDatabase.database.knex('offers').whereNotNull('source').orderBy('name').limit(1).select('id', 'name')) as {
      id: string;
      name: string;
    }[];
    const patched = await staff.admin.agent
      .patch(`/api/offers/${offer!.id}`)
      .set('X-CSRF-Token', staff.admin.csrfToken)
      .set('If-Match', '"1"')
      .send({ name: 'Von Hand geändert' });
    expect(patched.status).toBe(200);
    const history = await staff.admin.agent.get(`/api/offers/${offer!.id}/history`);
    expect(history.body.items.map((item: { action: string }) => item.action)).toEqual(
      expect.arrayContaining(['offer.import_create']),
    );
    const restored = await staff.admin.agent
      .post(`/api/offers/${offer!.id}/restore-version`)
      .set('X-CSRF-Token', staff.admin.csrfToken)
      .set('If-Match', '"2"')
      .send({ version: 1 });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ name: offer!.name, version: 3 });
  });
});
