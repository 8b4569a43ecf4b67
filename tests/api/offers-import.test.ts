import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../server/offers/offers.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertArea, squarePolygon } from '../helpers/factories.ts';
import { createOffer, createStaff, type SignedIn, type Staff } from '../helpers/offer-factories.ts';

const header = 'source,external_id,department_code,name,offer_type,target_groups,min_age,max_age,cost_kind,languages,opening_hours,street,house_number,postal_code,city,longitude,latitude';

function csv(departmentCode: string, rows: string[][]): string {
  return [header, ...rows.map((row) => row.map((cell) => (/[",;]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(','))]
    .map((line) => line.replace('{dept}', departmentCode))
    .join('\n');
}

function row(externalId: string, name: string, overrides: Partial<Record<'type' | 'min' | 'max' | 'lon' | 'lat' | 'hours' | 'groups', string>> = {}): string[] {
  return [
    'stadt-test',
    externalId,
    '{dept}',
    name,
    overrides.type ?? 'senior_meeting_place',
    overrides.groups ?? 'seniors',
    overrides.min ?? '60',
    overrides.max ?? '',
    'free',
    'de;tr',
    overrides.hours ?? 'Mo-Fr 10:00-16:00; PH off',
    'Hauptstraße',
    '5a',
    '50667',
    'Köln',
    overrides.lon ?? '6.955',
    overrides.lat ?? '50.935',
  ];
}

describe('bulk import of offers (dry run, then confirm; all or nothing)', () => {
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

  function upload(as: SignedIn, format: string, body: string, query: Record<string, string> = {}, contentType = 'text/csv') {
    return as.agent
      .post('/api/offers/import')
      .query({ format, ...query })
      .set('X-CSRF-Token', as.csrfToken)
      .set('Content-Type', contentType)
      .send(body);
  }

  async function countOffers(source: string): Promise<number> {
    const result = (await testDatabase.database.knex('offers').where({ source }).count({ count: '*' }).first()) as { count: number | string };
    return Number(result.count);
  }

  it('checks a CSV file in a dry run without writing, then imports it on confirmation', async () => {
    const knex = testDatabase.database.knex;
    const area = await insertArea(knex, { level: 'sozialraum', geometry: squarePolygon(6.95, 50.93, 0.01) });
    const file = csv(staff.departmentA.code, [row('a-1', 'Treff Eins'), row('a-2', 'Treff Zwei', { type: 'family_centre', groups: 'families;children' })]);
    const dryRun = await upload(staff.editorA, 'csv', file);
    expect(dryRun.status, JSON.stringify(dryRun.body)).toBe(200);
    const report = dryRun.body as ImportReport;
    expect(report).toMatchObject({ format: 'csv', dryRun: true, records: 2, valid: true, created: 2, updated: 0, errorCount: 0, errors: [] });
    expect(report.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(await countOffers('stadt-test')).toBe(0);
    expect(await knex('import_runs').where({ id: report.importRunId })).toMatchObject([{ status: 'dry_run', rows_read: 2 }]);

    const confirmed = await upload(staff.editorA, 'csv', file, { dryRun: 'false', checksum: report.checksum, fileName: 'treffs.csv' });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body).toMatchObject({ dryRun: false, created: 2, importRunId: expect.any(String) });
    const offers = await staff.planner.agent.get('/api/offers').query({ q: 'Treff', department: staff.departmentA.code, sort: 'name' });
    const imported = (offers.body.items as { name: string; externalId: string; targetGroups: string[]; locations: { sozialraum: { id: string } | null; address: object }[] }[]).filter(
      (offer) => offer.externalId?.startsWith('a-'),
    );
    expect(imported.map((offer) => offer.name)).toEqual(['Treff Eins', 'Treff Zwei']);
    expect(imported[1]!.targetGroups).toEqual(['children', 'families']);
    expect(imported[0]!.locations[0]!.sozialraum?.id).toBe(area.id);
    expect(imported[0]!.locations[0]!.address).toEqual({ street: 'Hauptstraße', houseNumber: '5a', postalCode: '50667', city: 'Köln' });
    const events = await knex('audit_events').where({ action: 'offer.created' }).whereRaw("details->>'importRunId' = ?", [confirmed.body.importRunId]);
    expect(events).toHaveLength(2);
    expect(await knex('import_runs').where({ id: confirmed.body.importRunId })).toMatchObject([{ status: 'succeeded', rows_written: 2, file_name: 'treffs.csv' }]);
  });

  it('reports every bad row with its line number and field, and refuses to confirm', async () => {
    const file = csv(staff.departmentA.code, [
      row('b-1', 'Gut'),
      row('b-2', '', { min: 'zehn' }),
      row('b-3', 'Falsche Art', { type: 'spa', hours: 'immer offen' }),
      row('b-4', 'Außerhalb', { lon: '13.4', lat: '52.5' }),
    ]);
    const dryRun = await upload(staff.editorA, 'csv', file, {}, 'text/csv');
    expect(dryRun.status).toBe(200);
    const report = dryRun.body as ImportReport;
    expect(report).toMatchObject({ valid: false, created: 1, errorCount: 5 });
    expect(report.errors.map((error) => [error.row, error.field, error.code])).toEqual([
      [3, 'name', 'invalid_type'],
      [3, 'min_age', 'invalid_type'],
      [4, 'offer_type', 'unknown_term'],
      [4, 'opening_hours', 'opening_hours_syntax'],
      [5, 'longitude, latitude', 'outside_city'],
    ]);
    const confirm = await upload(staff.editorA, 'csv', file, { dryRun: 'false', checksum: report.checksum });
    expect(confirm.status).toBe(400);
    expect(confirm.body.code).toBe('import_invalid');
    expect(confirm.body.errors[0]).toMatchObject({ field: 'rows.3.name' });
    expect(await testDatabase.database.knex('offers').where({ external_id: 'b-1' })).toHaveLength(0);
  });

  it('confirms only the file that was checked', async () => {
    const file = csv(staff.departmentA.code, [row('c-1', 'Prüfsumme')]);
    const missing = await upload(staff.editorA, 'csv', file, { dryRun: 'false' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].field).toBe('query.checksum');
    const wrong = await upload(staff.editorA, 'csv', file, { dryRun: 'false', checksum: '0'.repeat(64) });
    expect(wrong.status).toBe(409);
    expect(wrong.body.code).toBe('import_checksum_mismatch');
    expect(await testDatabase.database.knex('offers').where({ external_id: 'c-1' })).toHaveLength(0);
  });

  it('leaves nothing behind when the database fails in the middle of an import', async () => {
    const knex = testDatabase.database.knex;
    // A trigger stands in for any failure half-way: offers, terms and locations are written by
    // then, and the history event of the second offer is refused.
    await knex.raw(`create function refuse_middle_offer() returns trigger language plpgsql as $$
      begin
        if new.after->>'name' = 'Fehler in der Mitte' then raise exception 'simulated failure' using errcode = 'XX000'; end if;
        return new;
      end $$`);
    await knex.raw('create trigger refuse_middle_offer before insert on audit_events for each row execute function refuse_middle_offer()');
    const before = {
      offers: await knex('offers').count({ count: '*' }).first(),
      terms: await knex('offer_terms').count({ count: '*' }).first(),
      locations: await knex('locations').count({ count: '*' }).first(),
      events: await knex('audit_events').count({ count: '*' }).first(),
    };
    try {
      const file = csv(staff.departmentA.code, [row('d-1', 'Davor'), row('d-2', 'Fehler in der Mitte'), row('d-3', 'Danach')]);
      const dryRun = await upload(staff.admin, 'csv', file);
      expect(dryRun.body.valid).toBe(true);
      const confirm = await upload(staff.admin, 'csv', file, { dryRun: 'false', checksum: dryRun.body.checksum });
      expect(confirm.status).toBe(500);
      expect(confirm.body.detail).not.toMatch(/simulated|insert/);
    } finally {
      await knex.raw('drop trigger refuse_middle_offer on audit_events');
      await knex.raw('drop function refuse_middle_offer()');
    }
    expect(await knex('offers').count({ count: '*' }).first()).toEqual(before.offers);
    expect(await knex('offer_terms').count({ count: '*' }).first()).toEqual(before.terms);
    expect(await knex('locations').count({ count: '*' }).first()).toEqual(before.locations);
    expect(await knex('audit_events').count({ count: '*' }).first()).toEqual(before.events);
    expect(await knex('offers').whereIn('external_id', ['d-1', 'd-2', 'd-3'])).toHaveLength(0);
    const failed = await knex('import_runs').where({ status: 'failed' }).orderBy('finished_at', 'desc').first();
    expect(failed).toMatchObject({ rows_read: 3, rows_written: 0 });
  });

  it('updates offers matched by source and external id, and skips unchanged ones', async () => {
    const first = csv(staff.departmentA.code, [row('e-1', 'Erster Name'), row('e-2', 'Bleibt gleich')]);
    const dry1 = await upload(staff.editorA, 'csv', first);
    await upload(staff.editorA, 'csv', first, { dryRun: 'false', checksum: dry1.body.checksum });
    const second = csv(staff.departmentA.code, [row('e-1', 'Zweiter Name'), row('e-2', 'Bleibt gleich')]);
    const dry2 = await upload(staff.editorA, 'csv', second);
    expect(dry2.body).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const confirmed = await upload(staff.editorA, 'csv', second, { dryRun: 'false', checksum: dry2.body.checksum });
    expect(confirmed.status).toBe(200);
    const stored = await testDatabase.database.knex('offers').where({ source: 'stadt-test', external_id: 'e-1' }).first();
    expect(stored).toMatchObject({ name: 'Zweiter Name', version: 2 });
    const history = await staff.editorA.agent.get(`/api/offers/${stored.id}/history`);
    expect(history.body.items.at(-1)).toMatchObject({ action: 'offer.updated', changes: [{ field: 'name', before: 'Erster Name', after: 'Zweiter Name' }] });
  });

  it('reads German spreadsheet CSV: semicolons, byte order mark, decimal commas', async () => {
    const file = `\uFEFFsource;external_id;name;offer_type;longitude;latitude\nstadt-test;f-1;Semikolon-Treff;kita;6,955;50,935\n`;
    const dryRun = await upload(staff.editorA, 'csv', file);
    expect(dryRun.body, JSON.stringify(dryRun.body)).toMatchObject({ valid: true, created: 1 });
  });

  it('imports GeoJSON points; features with the same id become one offer with several locations', async () => {
    const feature = (lon: number, name: string) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, 50.94] },
      properties: { source: 'stadt-geo', external_id: 'g-1', name: 'Beratung an zwei Orten', offer_type: 'social_counselling', location_name: name },
    });
    const body = JSON.stringify({ type: 'FeatureCollection', features: [feature(6.95, 'Nord'), feature(6.96, 'Süd')] });
    const dryRun = await upload(staff.editorA, 'geojson', body, {}, 'application/geo+json');
    expect(dryRun.body).toMatchObject({ valid: true, records: 1, created: 1 });
    const confirmed = await upload(staff.editorA, 'geojson', body, { dryRun: 'false', checksum: dryRun.body.checksum }, 'application/geo+json');
    expect(confirmed.status).toBe(200);
    const stored = await testDatabase.database.knex('offers').where({ source: 'stadt-geo', external_id: 'g-1' }).first();
    const offer = await staff.planner.agent.get(`/api/offers/${stored.id}`);
    expect(offer.body.locations.map((location: { name: string }) => location.name)).toEqual(['Nord', 'Süd']);
  });

  it('says which file is not readable', async () => {
    const broken = await upload(staff.editorA, 'geojson', '{"type": "Feature"', {}, 'application/geo+json');
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0]).toMatchObject({ field: 'file', code: 'invalid_json' });
    const unknownFormat = await upload(staff.editorA, 'xlsx', 'x');
    expect(unknownFormat.status).toBe(400);
    expect(unknownFormat.body.errors[0].field).toBe('query.format');
  });

  it('round-trips: an exported CSV imports again without changes', async () => {
    await createOffer(staff.editorA, { name: 'Rundreise', targetGroups: ['seniors', 'migrants'], phone: '+49 221 12345', description: 'Text mit "Anführungszeichen", Komma; Semikolon\nund Zeilenumbruch' });
    const exported = await staff.editorA.agent.get('/api/offers/export').query({ format: 'csv', department: staff.departmentA.code, q: 'Rundreise' });
    expect(exported.status).toBe(200);
    const dryRun = await upload(staff.editorA, 'csv', exported.text);
    expect(dryRun.body, JSON.stringify(dryRun.body.errors)).toMatchObject({ valid: true, created: 0, updated: 0, unchanged: 1 });
  });
});
