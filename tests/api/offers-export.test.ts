import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertArea, squarePolygon } from '../helpers/factories.ts';
import { createOffer, createPublishedOffer, createStaff, hsdsValidators, type Staff } from '../helpers/offer-factories.ts';

describe('export of offers as CSV, GeoJSON and HSDS 3.1', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let staff: Staff;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    app = createTestApp(testDatabase.database);
    staff = await createStaff(testDatabase.database.knex, app);
    const knex = testDatabase.database.knex;
    const district = await insertArea(knex, { level: 'district', geometry: squarePolygon(6.9, 50.9, 0.1) });
    await createPublishedOffer(staff.editorA, {
      name: 'Seniorentreff Export',
      targetGroups: ['seniors'],
      fieldsOfAction: ['participation'],
      accessibility: ['step_free_entrance'],
      maxAge: 120,
      cost: { kind: 'reduced', text: '1 € Kaffee' },
      capacity: { value: 40, unit: 'Plätze' },
      openingHoursNote: 'In den Ferien geschlossen',
      locations: [
        {
          name: 'Begegnungsstätte',
          address: { street: 'Am Markt', houseNumber: '3', postalCode: '50667', city: 'Köln' },
          accessibilityNote: 'Rampe am Seiteneingang',
          geometry: { type: 'Point', coordinates: [6.955, 50.935] },
        },
        { geometry: { type: 'Point', coordinates: [6.96, 50.94] } },
      ],
    });
    await createOffer(staff.editorA, { name: 'Pflegedienst Entwurf', offerType: 'care_service', reach: { kind: 'area', areaIds: [district.id] }, locations: [] });
    const archived = await createPublishedOffer(staff.editorA, { name: 'Archiviertes Angebot' });
    await staff.editorA.agent.post(`/api/offers/${archived.id}/archive`).set('X-CSRF-Token', staff.editorA.csrfToken);
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('exports CSV: one row per offer and location, as a download', async () => {
    const response = await staff.planner.agent.get('/api/offers/export').query({ format: 'csv', department: staff.departmentA.code });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="angebote-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = response.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 6)).toEqual(['id', 'source', 'external_id', 'department_code', 'organization_id', 'name']);
    expect(lines).toHaveLength(1 + 2 + 1);
    expect(response.text).toContain('Begegnungsstätte');
    expect(response.text).not.toContain('Archiviertes Angebot');
  });

  it('exports only public offers to anonymous visitors', async () => {
    const response = await request(app).get('/api/offers/export').query({ format: 'csv' });
    expect(response.status).toBe(200);
    expect(response.text).toContain('Seniorentreff Export');
    expect(response.text).not.toContain('Pflegedienst Entwurf');
  });

  it('exports GeoJSON with points in EPSG:4326 and null geometry for offers without a location', async () => {
    const response = await staff.planner.agent.get('/api/offers/export').query({ format: 'geojson', department: staff.departmentA.code });
    expect(response.headers['content-type']).toMatch(/^application\/geo\+json/);
    const collection = JSON.parse(response.text) as GeoJSON.FeatureCollection;
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(3);
    const located = collection.features.filter((feature) => feature.geometry !== null);
    expect(located.map((feature) => feature.geometry)).toEqual([
      { type: 'Point', coordinates: [6.955, 50.935] },
      { type: 'Point', coordinates: [6.96, 50.94] },
    ]);
    expect(collection.features.find((feature) => feature.geometry === null)?.properties).toMatchObject({ name: 'Pflegedienst Entwurf', reach_kind: 'area' });
  });

  it('exports HSDS 3.1 services that validate against the HSDS schemas', async () => {
    const response = await staff.planner.agent.get('/api/offers/export').query({ format: 'hsds', department: staff.departmentA.code });
    expect(response.status).toBe(200);
    const page = JSON.parse(response.text) as { total_items: number; contents: Record<string, unknown>[] };
    expect(page).toMatchObject({ hsds_version: '3.1', total_items: 2, total_pages: 1, page_number: 1, empty: false });
    const { compiled, modular } = hsdsValidators();
    for (const service of page.contents) {
      expect(compiled(service), JSON.stringify(compiled.errors)).toBe(true);
      expect(modular(service), JSON.stringify(modular.errors)).toBe(true);
    }
    const service = page.contents.find((item) => item.name === 'Seniorentreff Export')!;
    expect(service).toMatchObject({
      status: 'active',
      maximum_age: 120,
      fees_description: '1 € Kaffee',
      phones: [{ number: '0221 123456' }],
      languages: [{ code: 'de' }, { code: 'tr' }],
      schedules: [{ description: 'Mo-Fr 09:00-17:00; PH off', notes: 'In den Ferien geschlossen' }],
      capacities: [{ maximum: 40, unit: { name: 'Plätze' } }],
    });
    const locations = service.service_at_locations as { location: { latitude: number; longitude: number; addresses: { address_1: string; state_province: string }[] } }[];
    expect(locations).toHaveLength(2);
    expect(locations[0]!.location).toMatchObject({ latitude: 50.935, longitude: 6.955, addresses: [{ address_1: 'Am Markt 3', state_province: 'Nordrhein-Westfalen' }] });
    const attributes = service.attributes as { taxonomy_term: { taxonomy: string; code: string } }[];
    expect(attributes.map((attribute) => `${attribute.taxonomy_term.taxonomy}/${attribute.taxonomy_term.code}`)).toEqual([
      'offer_type/senior_meeting_place',
      'target_group/seniors',
      'field_of_action/participation',
      'accessibility/step_free_entrance',
    ]);
    // a schema check that can fail: the validator is not a no-op
    expect(compiled({ ...service, status: 'open' })).toBe(false);
  });

  it('re-imports its own HSDS export without changes', async () => {
    const exported = await staff.editorA.agent.get('/api/offers/export').query({ format: 'hsds', department: staff.departmentA.code });
    const dryRun = await staff.editorA.agent
      .post('/api/offers/import')
      .query({ format: 'hsds' })
      .set('X-CSRF-Token', staff.editorA.csrfToken)
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.from(exported.text));
    expect(dryRun.status, JSON.stringify(dryRun.body)).toBe(200);
    expect(dryRun.body, JSON.stringify(dryRun.body.errors)).toMatchObject({ valid: true, records: 2, unchanged: 2, created: 0 });
  });

  it('imports services from another HSDS source, with their organization', async () => {
    const service = {
      id: '3f0e8a5e-2a8b-4f61-9a39-2b4c0c2a7d11',
      name: 'Schuldnerberatung Mitte',
      status: 'active',
      description: 'Beratung bei Schulden',
      organization: { id: '7b1f6a0e-4c55-4a8e-8f0e-0f6b9a3e5c21', name: 'Beratungsverein e. V.', description: 'Träger' },
      attributes: [{ id: 'a1', taxonomy_term: { id: 't1', code: 'debt_counselling', taxonomy: 'offer_type', name: 'Schuldnerberatung', description: '' } }],
      languages: [{ id: 'l1', code: 'DE' }],
      service_at_locations: [{ id: 's1', location: { id: 'loc1', location_type: 'physical', latitude: 50.94, longitude: 6.95, addresses: [{ id: 'ad1', address_1: 'Ringstraße 12b', city: 'Köln', postal_code: '50672', state_province: 'NRW', country: 'DE', address_type: 'physical' }] } }],
    };
    const upload = (query: Record<string, string>) =>
      staff.editorA.agent
        .post('/api/offers/import')
        .query({ format: 'hsds', ...query })
        .set('X-CSRF-Token', staff.editorA.csrfToken)
        .send({ contents: [service] });
    const dryRun = await upload({});
    expect(dryRun.body, JSON.stringify(dryRun.body.errors)).toMatchObject({ valid: true, created: 1 });
    const confirmed = await upload({ dryRun: 'false', checksum: dryRun.body.checksum });
    expect(confirmed.status).toBe(200);
    const stored = await testDatabase.database.knex('offers').where({ source: 'hsds', external_id: service.id }).first();
    const offer = await staff.planner.agent.get(`/api/offers/${stored.id}`);
    expect(offer.body).toMatchObject({
      name: 'Schuldnerberatung Mitte',
      offerType: 'debt_counselling',
      department: { code: staff.departmentA.code },
      organization: { id: service.organization.id, name: 'Beratungsverein e. V.' },
      languages: ['de'],
      publication: 'draft',
    });
    expect(offer.body.locations[0].address).toEqual({ street: 'Ringstraße', houseNumber: '12b', postalCode: '50672', city: 'Köln' });
  });
});
