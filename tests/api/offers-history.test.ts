import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditService } from '../../server/audit/audit.service.ts';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import { createDepartmentsService } from '../../server/departments/departments.service.ts';
import { createOffersService } from '../../server/offers/offers.service.ts';
import { offerCreateSchema } from '../../server/offers/offers.schema.ts';
import { createOrganizationsService } from '../../server/organizations/organizations.service.ts';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import { createTestApp, testConfig } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createOffer, createStaff, makeOffer, type Staff } from '../helpers/offer-factories.ts';

describe('offer history', () => {
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

  async function patch(id: string, version: number, body: object) {
    const response = await staff.editorA.agent
      .patch(`/api/offers/${id}`)
      .set('X-CSRF-Token', staff.editorA.csrfToken)
      .set('If-Match', `"${version}"`)
      .send(body);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response;
  }

  it('records who changed what, with field diffs, for every change', async () => {
    const offer = await createOffer(staff.editorA, { cost: { kind: 'free', text: null } });
    await patch(offer.id, 1, { name: 'Umbenannt', cost: { kind: 'reduced', text: '2 € pro Treffen' } });
    await staff.editorA.agent.post(`/api/offers/${offer.id}/publish`).set('X-CSRF-Token', staff.editorA.csrfToken);
    const response = await staff.planner.agent.get(`/api/offers/${offer.id}/history`);
    expect(response.status).toBe(200);
    const items = response.body.items as { action: string; version: number; actor: { id: string; label: string }; changes: { field: string; before: unknown; after: unknown }[] }[];
    expect(items.map((item) => [item.action, item.version])).toEqual([
      ['offer.created', 1],
      ['offer.updated', 2],
      ['offer.published', 3],
    ]);
    expect(items[0]!.actor).toEqual({ id: staff.editorA.user.id, label: staff.editorA.user.email });
    expect(items[0]!.changes).toContainEqual({ field: 'name', before: null, after: 'Seniorentreff am Park' });
    expect(items[1]!.changes).toEqual([
      { field: 'cost.kind', before: 'free', after: 'reduced' },
      { field: 'cost.text', before: null, after: '2 € pro Treffen' },
      { field: 'name', before: 'Seniorentreff am Park', after: 'Umbenannt' },
    ]);
    expect(items[2]!.changes).toEqual([{ field: 'publication', before: 'draft', after: 'published' }]);
  });

  it('restores an earlier version as a new change with its own event', async () => {
    const offer = await createOffer(staff.editorA, { name: 'Original', targetGroups: ['seniors'] });
    await patch(offer.id, 1, {
      name: 'Zwischenstand',
      targetGroups: ['families'],
      locations: [{ geometry: { type: 'Point', coordinates: [7.0, 50.9] } }],
      reach: { kind: 'radius', meters: 900 },
    });
    const restored = await staff.editorA.agent
      .post(`/api/offers/${offer.id}/restore-version`)
      .set('X-CSRF-Token', staff.editorA.csrfToken)
      .set('If-Match', '"2"')
      .send({ version: 1 });
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body).toMatchObject({ version: 3, name: 'Original', targetGroups: ['seniors'], reach: null });
    expect(restored.body.locations).toHaveLength(1);
    // the location removed in version 2 comes back (as a new location record)
    expect(restored.body.locations[0].geometry).toEqual(offer.locations[0]!.geometry);
    expect(restored.body.locations[0].address).toEqual(offer.locations[0]!.address);
    const history = await staff.editorA.agent.get(`/api/offers/${offer.id}/history`);
    const last = history.body.items.at(-1);
    expect(last).toMatchObject({ action: 'offer.version_restored', version: 3, details: { restoredFromVersion: 1 } });
    expect(last.changes).toContainEqual({ field: 'name', before: 'Zwischenstand', after: 'Original' });
  });

  it('refuses to restore a version that never existed', async () => {
    const offer = await createOffer(staff.editorA);
    const response = await staff.editorA.agent
      .post(`/api/offers/${offer.id}/restore-version`)
      .set('X-CSRF-Token', staff.editorA.csrfToken)
      .set('If-Match', '"1"')
      .send({ version: 9 });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('version_not_found');
  });

  it('writes the event in the same transaction: when the event cannot be written, the change is not saved either', async () => {
    const knex = testDatabase.database.knex;
    const offer = await createOffer(staff.editorA, { name: 'Bleibt so' });
    const audit = createAuditService({ db: knex });
    const failingAudit = {
      ...audit,
      record: async () => {
        throw new Error('audit log unavailable');
      },
    };
    const config = testConfig();
    const offers = createOffersService({
      db: knex,
      audit: failingAudit,
      taxonomies: createTaxonomiesService({ db: knex }),
      departments: createDepartmentsService({ db: knex, audit }),
      organizations: createOrganizationsService({ db: knex, audit }),
      datasets: createDatasetsService({ geodataDir: config.geodataDir, city: config.city }),
      holidayState: 'NW',
    });
    const actor = {
      kind: 'user' as const,
      id: staff.editorA.user.id,
      email: staff.editorA.user.email,
      displayName: null,
      role: 'editor' as const,
      departmentId: staff.departmentA.id,
      departmentCode: staff.departmentA.code,
    };
    await expect(offers.update({ actor, language: 'de' }, offer.id, '"1"', { name: 'Geändert ohne Protokoll' })).rejects.toThrow('audit log unavailable');
    await expect(offers.create({ actor, language: 'de' }, offerCreateSchema.parse(makeOffer({ name: 'Neu ohne Protokoll' })))).rejects.toThrow('audit log unavailable');
    const stored = await knex('offers').where({ id: offer.id }).first();
    expect(stored).toMatchObject({ name: 'Bleibt so', version: 1 });
    expect(await knex('offers').where({ name: 'Neu ohne Protokoll' })).toHaveLength(0);
  });

  it('keeps audit events append-only', async () => {
    const knex = testDatabase.database.knex;
    const offer = await createOffer(staff.editorA);
    await expect(knex('audit_events').where({ entity_id: offer.id }).delete()).rejects.toThrow(/append-only/);
  });
});
