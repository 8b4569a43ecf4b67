// The import as staff use it: a spreadsheet with German headers and addresses but no coordinates,
// mapped, placed by the local geocoder (real Cologne street segments) and published in one go.
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport, Offer } from '../../server/offers/offers.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createStaff, type SignedIn, type Staff } from '../helpers/offer-factories.ts';
import { importKoelnStreets, koelnDataAvailable } from '../helpers/search-factories.ts';

const hasData = koelnDataAvailable();

describe.skipIf(!hasData)('staff import: German headers, address lookup, publish on import', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let staff: Staff;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await importKoelnStreets(testDatabase.database.knex);
    app = createTestApp(testDatabase.database);
    staff = await createStaff(testDatabase.database.knex, app);
  });
  afterAll(async () => {
    await testDatabase?.destroy();
  });

  function upload(as: SignedIn, body: string, query: Record<string, string> = {}, language = 'de') {
    return as.agent
      .post('/api/offers/import')
      .query({ format: 'csv', ...query })
      .set('X-CSRF-Token', as.csrfToken)
      .set('Accept-Language', language)
      .set('Content-Type', 'text/csv')
      .send(body);
  }

  const germanFile = [
    'Einrichtung;Angebotsart;Zielgruppen;Straße;Hausnummer;PLZ;Ort;Sprachen;Kennung;Quelle',
    'Seniorentreff Venloer;senior_meeting_place;seniors, families;Venloer Straße;300;50823;Köln;de, tr;v-300;amt-50',
    'Seniorentreff Aachener;senior_meeting_place;seniors;Aachener Straße;100;50674;Köln;de;a-100;amt-50',
  ].join('\r\n');
  const columns = JSON.stringify({ Einrichtung: 'name' });

  it('maps German headers, places addresses without coordinates and publishes the new offers', async () => {
    const dryRun = await upload(staff.editorA, germanFile, { columns, publish: 'true' });
    expect(dryRun.status, JSON.stringify(dryRun.body)).toBe(200);
    const report = dryRun.body as ImportReport;
    expect(report).toMatchObject({ valid: true, records: 2, created: 2, geocoded: 2, published: 2, errors: [] });
    expect(report.warnings.filter((warning) => warning.code === 'unknown_column')).toEqual([]);

    const confirmed = await upload(staff.editorA, germanFile, { columns, publish: 'true', dryRun: 'false', checksum: report.checksum });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body).toMatchObject({ created: 2, published: 2 });

    // published: an anonymous visitor sees them
    const visible = await request(app).get('/api/offers').query({ q: 'Seniorentreff' });
    const offers = (visible.body.items as Offer[]).filter((offer) => offer.source === 'amt-50').sort((a, b) => a.name.localeCompare(b.name));
    expect(offers.map((offer) => [offer.name, offer.publication])).toEqual([
      ['Seniorentreff Aachener', 'published'],
      ['Seniorentreff Venloer', 'published'],
    ]);
    const venloer = offers[1]!;
    expect(venloer.targetGroups.sort()).toEqual(['families', 'seniors']);
    expect(venloer.languages).toEqual(['de', 'tr']);
    expect(venloer.locations[0]!.address).toMatchObject({ street: 'Venloer Straße', houseNumber: '300', postalCode: '50823' });
    // Venloer Straße 300 lies in Ehrenfeld, about 6.92 E, 50.95 N
    const [lon, lat] = venloer.locations[0]!.geometry.coordinates;
    expect(lon).toBeGreaterThan(6.9);
    expect(lon).toBeLessThan(6.94);
    expect(lat).toBeGreaterThan(50.94);
    expect(lat).toBeLessThan(50.96);
  });

  it('lists the rows whose address it cannot place, naming the address and the columns', async () => {
    const file = ['Name;Angebotsart;Straße;Hausnummer;PLZ', 'Treff Nirgendwo;senior_meeting_place;Gibtsnichtweg;7;50999', 'Treff Venlo;senior_meeting_place;Venloer Straße;301;50823'].join('\n');
    const response = await upload(staff.editorA, file);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const report = response.body as ImportReport;
    expect(report.valid).toBe(false);
    expect(report.geocoded).toBe(1);
    expect(report.errors).toEqual([
      {
        row: 2,
        field: 'Straße, Hausnummer, PLZ',
        code: 'address_not_found',
        message: 'Die Adresse „Gibtsnichtweg 7, 50999“ ist im Straßenverzeichnis der Stadt nicht zu finden. Bitte Straße und Hausnummer prüfen oder Längen- und Breitengrad angeben.',
      },
    ]);
  });

  it('speaks the user\'s language in parser and code errors, without API paths', async () => {
    const broken = ['Name;Angebotsart;Straße;Hausnummer', 'Treff;senior_meeting_place;Venloer Straße;300;zu viel'].join('\n');
    const german = await upload(staff.editorA, broken);
    expect(german.status).toBe(400);
    expect(german.body.errors[0].message).toBe(
      'Die CSV-Datei ist nicht lesbar: Zeile 2 hat 5 Spalten, die Kopfzeile 4. Oft fehlen Anführungszeichen um einen Text mit Komma oder Semikolon.',
    );
    const english = await upload(staff.editorA, broken, {}, 'en');
    expect(english.body.errors[0].message).toMatch(/^The CSV file cannot be read: line 2 has 5 columns, the header 4\./);

    const unknownGroup = ['Name;Angebotsart;Zielgruppen;Straße;Hausnummer', 'Treff;senior_meeting_place;rentner;Venloer Straße;300'].join('\n');
    const report = (await upload(staff.editorA, unknownGroup)).body as ImportReport;
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ field: 'Zielgruppen', code: 'unknown_term' });
    expect(report.errors[0]!.message).toContain('„rentner“ (Zielgruppe)');
    expect(report.errors[0]!.message).not.toMatch(/GET |\/api\//);
  });

  it('refuses a column mapping that names no known field', async () => {
    const response = await upload(staff.editorA, germanFile, { columns: JSON.stringify({ Einrichtung: 'title' }) });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ field: 'query.columns', code: 'invalid_column_mapping' });
  });
});
