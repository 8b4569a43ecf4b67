import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import { createImportsService } from '../../server/imports/imports.service.ts';
import type { Offer } from '../../server/offers/offers.schema.ts';
import { createTaxonomiesService } from '../../server/taxonomies/taxonomies.service.ts';
import { createTestApp, silentLogger } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createOffer, createStaff, type Staff } from '../helpers/offer-factories.ts';
import { geodataDir } from './import-geodata.ts';

// Issue 10: one offer-content rule. The same record, sent to the API and imported from a city's
// data file with the CLI's importer, is stored alike: names on one line, descriptions with their
// line breaks, contact and address fields under the API's own rules.
describe('one content rule for offers from the API and from city-data imports', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let staff: Staff;
  let folder: string;

  const record = {
    name: '  Treffpunkt   am\tMarkt ',
    description: 'Kaffee und Kuchen.\nDienstags Spiele.',
    phone: '0221 123456',
    website: 'https://treff.example.org/programm',
    email: 'info@treff.example.org',
    street: 'Markt  straße',
    houseNumber: '5',
    postalCode: '50667',
    capacity: 25,
    lon: 6.955,
    lat: 50.935,
  };

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    app = createTestApp(testDatabase.database);
    staff = await createStaff(testDatabase.database.knex, app);
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'offer-content-rule-'));
  });
  afterAll(async () => {
    await testDatabase?.destroy();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  async function viaApi(): Promise<Offer> {
    return createOffer(staff.editorA, {
      name: record.name,
      description: record.description,
      phone: record.phone,
      website: record.website,
      email: record.email,
      capacity: { value: record.capacity, unit: 'places' },
      locations: [
        {
          address: { street: record.street, houseNumber: record.houseNumber, postalCode: record.postalCode, city: 'Köln' },
          geometry: { type: 'Point', coordinates: [record.lon, record.lat] },
        },
      ],
    });
  }

  async function viaImport(): Promise<Offer> {
    const file = path.join(folder, 'treffpunkte.geojson');
    const mappingFile = path.join(folder, 'mapping.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: {
              nr: 'R1',
              name: record.name,
              text: record.description,
              tel: record.phone,
              web: record.website,
              mail: record.email,
              strasse: record.street,
              hnr: record.houseNumber,
              plz: record.postalCode,
              plaetze: String(record.capacity),
            },
            geometry: { type: 'Point', coordinates: [record.lon, record.lat] },
          },
        ],
      }),
    );
    fs.writeFileSync(
      mappingFile,
      JSON.stringify({
        kind: 'offers',
        city: 'koeln',
        crs: 'EPSG:4326',
        mapping: {
          externalId: 'nr',
          name: 'name',
          description: 'text',
          phone: 'tel',
          website: 'web',
          email: 'mail',
          capacity: { field: 'plaetze', unit: 'places' },
          address: { street: 'strasse', houseNumber: 'hnr', postalCode: 'plz', city: { value: 'Köln' } },
          offerType: 'senior_meeting_place',
          targetGroups: [],
          department: { code: 'content-rule', name: 'Inhaltsregel' },
        },
      }),
    );
    const knex = testDatabase.database.knex;
    const imports = createImportsService({
      db: knex,
      taxonomies: createTaxonomiesService({ db: knex }),
      datasets: createDatasetsService({ geodataDir, city: 'koeln' }),
      logger: silentLogger,
    });
    const report = await imports.run(imports.resolve(file, { mappingFile }), { actor: 'test' });
    expect(report.status, JSON.stringify(report.errors)).toBe('succeeded');
    const row = (await knex('offers').where({ external_id: 'R1' }).first('id')) as { id: string };
    const response = await staff.admin.agent.get(`/api/offers/${row.id}`);
    expect(response.status).toBe(200);
    return response.body as Offer;
  }

  const content = (offer: Offer) => ({
    name: offer.name,
    description: offer.description,
    phone: offer.phone,
    website: offer.website,
    email: offer.email,
    capacity: offer.capacity,
    address: offer.locations[0]?.address,
    coordinates: offer.locations[0]?.geometry.coordinates,
  });

  it('stores one record alike from both paths', async () => {
    const fromApi = content(await viaApi());
    const fromImport = content(await viaImport());
    expect(fromImport).toEqual(fromApi);
    expect(fromApi).toMatchObject({
      name: 'Treffpunkt am Markt',
      description: 'Kaffee und Kuchen.\nDienstags Spiele.',
      address: { street: 'Markt straße', houseNumber: '5', postalCode: '50667', city: 'Köln' },
    });
  });
});
