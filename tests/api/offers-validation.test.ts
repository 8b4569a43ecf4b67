import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfferCreateInput } from '../../server/offers/offers.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertArea } from '../helpers/factories.ts';
import { createOffer, createStaff, makeOffer, type Staff } from '../helpers/offer-factories.ts';

interface FieldErrorBody {
  field: string;
  code: string;
  message: string;
}

describe('offer validation: field-level problem+json in German and English', () => {
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

  async function create(body: unknown, language = 'de') {
    return staff.editorA.agent
      .post('/api/offers')
      .set('X-CSRF-Token', staff.editorA.csrfToken)
      .set('Accept-Language', language)
      .send(body as object);
  }

  async function errorsOf(body: unknown, language = 'de'): Promise<FieldErrorBody[]> {
    const response = await create(body, language);
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.code).toBe('validation_failed');
    return response.body.errors as FieldErrorBody[];
  }

  function withOverrides(overrides: Record<string, unknown>): OfferCreateInput {
    return { ...makeOffer(), ...overrides } as OfferCreateInput;
  }

  it('names every missing required field, in German by default', async () => {
    const response = await create({});
    expect(response.status).toBe(400);
    expect(response.body.title).toBe('Ungültige Anfrage');
    expect(response.body.detail).toMatch(/^name: Dieses Feld ist erforderlich\. \(und \d+ weitere\)$/);
    const fields = (response.body.errors as FieldErrorBody[]).map((error) => [error.field, error.message]);
    expect(fields).toContainEqual(['name', 'Dieses Feld ist erforderlich.']);
    expect(fields).toContainEqual(['offerType', 'Dieses Feld ist erforderlich.']);
    expect(fields).toContainEqual(['locations', 'Bitte mindestens einen Standort angeben (oder als Reichweite Gebiete wählen).']);
  });

  it('answers in English when the request asks for it', async () => {
    const response = await create({ name: '' }, 'en-GB,en;q=0.9');
    expect(response.body.title).toBe('Bad request');
    expect(response.body.errors).toContainEqual({ field: 'name', code: 'too_small', message: 'Must not be empty.' });
    expect(response.body.errors).toContainEqual({ field: 'offerType', code: 'invalid_type', message: 'This field is required.' });
  });

  it('checks lengths', async () => {
    const errors = await errorsOf(withOverrides({ name: 'x'.repeat(301), description: 'y'.repeat(10_001) }));
    expect(errors).toContainEqual({ field: 'name', code: 'too_big', message: 'Darf höchstens 300 Zeichen lang sein.' });
    expect(errors).toContainEqual({ field: 'description', code: 'too_big', message: 'Darf höchstens 10000 Zeichen lang sein.' });
  });

  it('checks e-mail, web address and telephone formats', async () => {
    const errors = await errorsOf(withOverrides({ email: 'treff.example.org', website: 'ftp://example.org', phone: 'ruf an!' }), 'en');
    expect(errors.map((error) => error.field).sort()).toEqual(['email', 'phone', 'website']);
    expect(errors.find((error) => error.field === 'email')!.message).toMatch(/not a valid e-mail address/);
    expect(errors.find((error) => error.field === 'website')!.message).toMatch(/must start with http:\/\/ or https:\/\//);
    expect(errors.find((error) => error.field === 'phone')!.message).toMatch(/^Is not a telephone number/);
  });

  it('checks wrong types, unknown fields and language codes', async () => {
    const errors = await errorsOf(withOverrides({ minAge: 'zehn', colour: 'blue', languages: ['deutsch'] }));
    expect(errors).toContainEqual({ field: 'minAge', code: 'invalid_type', message: 'Erwartet wird eine Zahl.' });
    expect(errors).toContainEqual({ field: 'body', code: 'unrecognized_keys', message: 'Unbekanntes Feld: colour.' });
    expect(errors).toContainEqual(expect.objectContaining({ field: 'languages.0', message: expect.stringMatching(/ISO-639/) }));
  });

  it('checks opening hours in OpenStreetMap syntax', async () => {
    const errors = await errorsOf(withOverrides({ openingHours: 'montags ab neun' }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: 'openingHours', code: 'opening_hours_syntax' });
    expect(errors[0]!.message).toMatch(/^Die Öffnungszeiten sind nicht im OpenStreetMap-Format/);
    const valid = await create(withOverrides({ openingHours: 'Mo,We 14:00-18:00; PH off; Dec 24-26 off' }));
    expect(valid.status).toBe(201);
  });

  it('keeps points inside the city and says when longitude and latitude look swapped', async () => {
    const swapped = await errorsOf(withOverrides({ locations: [{ geometry: { type: 'Point', coordinates: [50.935, 6.955] } }] }), 'en');
    expect(swapped).toEqual([
      {
        field: 'locations.0.geometry.coordinates',
        code: 'outside_city',
        message: expect.stringMatching(/outside Köln .* Are longitude and latitude swapped\?/) as unknown as string,
      },
    ]);
    const berlin = await errorsOf(withOverrides({ locations: [{ geometry: { type: 'Point', coordinates: [13.4, 52.5] } }] }));
    expect(berlin[0]!.code).toBe('outside_city');
    const outOfRange = await errorsOf(withOverrides({ locations: [{ geometry: { type: 'Point', coordinates: [6.95, 95] } }] }));
    expect(outOfRange).toContainEqual({ field: 'locations.0.geometry.coordinates.1', code: 'too_big', message: 'Darf höchstens 90 sein.' });
    const notAPoint = await errorsOf(withOverrides({ locations: [{ geometry: { type: 'LineString', coordinates: [[6.95, 50.93]] } }] }));
    expect(notAPoint[0]!.field).toMatch(/^locations\.0\.geometry/);
  });

  it('accepts only taxonomy codes that exist', async () => {
    const errors = await errorsOf(withOverrides({ offerType: 'spa', targetGroups: ['seniors', 'aliens'], accessibility: ['elevator', 'teleporter'] }));
    expect(errors.map((error) => [error.field, error.code])).toEqual([
      ['offerType', 'unknown_term'],
      ['targetGroups.1', 'unknown_term'],
      ['accessibility.1', 'unknown_term'],
    ]);
    // Issue 12: staff are pointed to the import page and the form, not to an API route.
    expect(errors[1]!.message).toBe('Unbekanntes Kürzel „aliens“ (Zielgruppe). Die gültigen Kürzel stehen in der Spaltenliste der Importseite und in der Auswahl des Angebotsformulars.');
  });

  it('requires the minimum age not to exceed the maximum age, also across a PATCH', async () => {
    const errors = await errorsOf(withOverrides({ minAge: 70, maxAge: 60 }));
    expect(errors).toEqual([{ field: 'maxAge', code: 'age_range', message: 'Das Höchstalter darf nicht unter dem Mindestalter (70) liegen.' }]);
    const offer = await createOffer(staff.editorA, { minAge: 60, maxAge: 80 });
    const patch = await staff.editorA.agent
      .patch(`/api/offers/${offer.id}`)
      .set('X-CSRF-Token', staff.editorA.csrfToken)
      .set('If-Match', '"1"')
      .send({ minAge: 90 });
    expect(patch.status).toBe(400);
    expect(patch.body.errors[0]).toMatchObject({ field: 'maxAge', code: 'age_range' });
  });

  it('requires a consistent reach', async () => {
    const noMeters = await errorsOf(withOverrides({ reach: { kind: 'walk' } }));
    expect(noMeters).toContainEqual({ field: 'reach.meters', code: 'invalid_type', message: 'Dieses Feld ist erforderlich.' });
    const tooFar = await errorsOf(withOverrides({ reach: { kind: 'walk', meters: 25_000 } }));
    expect(tooFar).toContainEqual({ field: 'reach.meters', code: 'too_big', message: 'Darf höchstens 10000 sein.' });
    const mixed = await errorsOf(withOverrides({ reach: { kind: 'area', meters: 500 } }));
    expect(mixed.map((error) => error.field)).toEqual(expect.arrayContaining(['reach.areaIds', 'reach']));
    const unknownArea = await errorsOf(withOverrides({ reach: { kind: 'area', areaIds: ['00000000-0000-4000-8000-000000000000'] } }));
    expect(unknownArea).toEqual([expect.objectContaining({ field: 'reach.areaIds.0', code: 'unknown_area' })]);
    const area = await insertArea(testDatabase.database.knex, { level: 'district' });
    const byArea = await create(withOverrides({ reach: { kind: 'area', areaIds: [area.id] }, locations: [] }));
    expect(byArea.status).toBe(201);
    expect(byArea.body.reachAreas).toEqual([{ id: area.id, code: area.code, name: area.name, level: 'district' }]);
  });

  it('is backed by database constraints', async () => {
    const knex = testDatabase.database.knex;
    const offer = await createOffer(staff.editorA);
    const attempts: Record<string, unknown>[] = [
      { min_age: 70, max_age: 60 },
      { reach_kind: 'walk', reach_meters: null },
      { reach_kind: 'walk', reach_meters: 20_000 },
      { reach_kind: 'area', reach_meters: 500 },
      { email: 'not-an-address' },
      { website: 'ftp://example.org' },
      { name: '   ' },
      { status: 'closed' },
      { cost_kind: null, cost_text: 'kostet etwas' },
      { languages: '{Deutsch}' },
    ];
    for (const attempt of attempts) {
      await expect(knex('offers').where({ id: offer.id }).update(attempt), JSON.stringify(attempt)).rejects.toThrow(/violates check constraint/);
    }
    await expect(
      knex('offer_terms').insert({ offer_id: offer.id, taxonomy: 'target_group', term_id: knex('taxonomy_terms').select('id').where({ taxonomy: 'accessibility' }).first() }),
    ).rejects.toThrow(/foreign key/);
  });
});
