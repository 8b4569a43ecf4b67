import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization, OrganizationSummary } from '../../server/organizations/organizations.schema.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { uniqueCode } from '../helpers/factories.ts';
import { createStaff, type SignedIn, type Staff } from '../helpers/offer-factories.ts';

describe('providers (Träger)', () => {
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

  /** A provider with a name no other test uses: `<prefix> <unique word>`. */
  function uniqueName(prefix: string): string {
    return `${prefix} ${uniqueCode('T')}`;
  }

  function create(as: SignedIn, body: Record<string, unknown>, language = 'de') {
    return as.agent.post('/api/organizations').set('X-CSRF-Token', as.csrfToken).set('Accept-Language', language).send(body);
  }

  async function insertOrganization(name: string, fields: { website?: string; email?: string } = {}): Promise<string> {
    const [row] = (await testDatabase.database.knex('organizations').insert({ name, ...fields }).returning('id')) as { id: string }[];
    return row!.id;
  }

  it('finds providers by any part of their name, ignoring case, those starting with it first', async () => {
    const word = uniqueCode('Q').toLowerCase();
    const inside = await insertOrganization(`Caritasverband ${word} e. V.`, { website: 'https://caritas.example.org', email: 'info@caritas.example.org' });
    const starting = await insertOrganization(`${word.toUpperCase()} Jugendhilfe gGmbH`);
    await insertOrganization('Diakonie Michaelshoven');

    const response = await request(app).get('/api/organizations').query({ q: word });
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([
      { id: starting, name: `${word.toUpperCase()} Jugendhilfe gGmbH`, website: null },
      // public fields only: no e-mail address, telephone number or legal status
      { id: inside, name: `Caritasverband ${word} e. V.`, website: 'https://caritas.example.org' },
    ]);
  });

  it('matches umlauts whatever their case and takes search text literally', async () => {
    const word = uniqueCode('U').toLowerCase();
    const id = await insertOrganization(`Ärztehaus ${word} 100%_sicher`);
    const upper = await request(app).get('/api/organizations').query({ q: `ÄRZTEHAUS ${word.toUpperCase()}` });
    expect(upper.body.items.map((item: OrganizationSummary) => item.id)).toEqual([id]);
    // % and _ are no wildcards
    const wildcard = await request(app).get('/api/organizations').query({ q: `${word} 1%0` });
    expect(wildcard.body.items).toEqual([]);
    const literal = await request(app).get('/api/organizations').query({ q: '100%_sicher' });
    expect(literal.body.items.map((item: OrganizationSummary) => item.id)).toContain(id);
  });

  it('orders by name and answers at most `limit` providers', async () => {
    const word = uniqueCode('L');
    for (const letter of ['C', 'A', 'B']) await insertOrganization(`${word} Treff ${letter}`);
    const response = await request(app).get('/api/organizations').query({ q: word, limit: '2' });
    expect(response.status).toBe(200);
    expect((response.body.items as OrganizationSummary[]).map((item) => item.name)).toEqual([`${word} Treff A`, `${word} Treff B`]);
  });

  it('lists providers without search text', async () => {
    await insertOrganization(uniqueName('Ohne Suche'));
    const response = await request(app).get('/api/organizations');
    expect(response.status).toBe(200);
    expect(response.body.items.length).toBeGreaterThan(0);
    expect(response.body.items.length).toBeLessThanOrEqual(20);
    expect(Object.keys(response.body.items[0]).sort()).toEqual(['id', 'name', 'website']);
  });

  it('refuses a limit above 50, a search text above 200 characters and unknown parameters', async () => {
    const response = await request(app).get('/api/organizations').query({ limit: '51', q: 'x'.repeat(201), sort: 'name' });
    expect(response.status).toBe(400);
    const fields = (response.body.errors as { field: string }[]).map((error) => error.field).sort();
    expect(fields).toEqual(['query', 'query.limit', 'query.q']);
    expect(response.body.errors.find((error: { field: string }) => error.field === 'query.limit').message).toBe('Darf höchstens 50 sein.');
  });

  it('lets an editor create a provider, answers 201 and records the event in the same transaction', async () => {
    const name = uniqueName('Kinderschutzbund');
    const response = await create(staff.editorA, {
      name: `  ${name} `,
      website: 'https://kinderschutzbund.example.org',
      email: 'info@kinderschutzbund.example.org',
      phone: '0221 5770770',
      legalStatus: 'eingetragener Verein',
    });
    expect(response.status).toBe(201);
    const created = response.body as Organization;
    expect(created).toEqual({
      id: expect.any(String),
      name,
      website: 'https://kinderschutzbund.example.org',
      email: 'info@kinderschutzbund.example.org',
      phone: '0221 5770770',
      legalStatus: 'eingetragener Verein',
    });
    const knex = testDatabase.database.knex;
    expect(await knex('organizations').where({ id: created.id }).first()).toMatchObject({ name, legal_status: 'eingetragener Verein' });
    const events = await knex('audit_events').where({ entity_type: 'organization', entity_id: created.id });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'organization.create',
      actor_id: staff.editorA.user.id,
      actor_label: staff.editorA.user.email,
      before: null,
      after: { name, website: 'https://kinderschutzbund.example.org', email: 'info@kinderschutzbund.example.org', phone: '0221 5770770', legalStatus: 'eingetragener Verein' },
    });
    const found = await request(app).get('/api/organizations').query({ q: name });
    expect(found.body.items).toEqual([{ id: created.id, name, website: 'https://kinderschutzbund.example.org' }]);
  });

  it('lets an administrator create a provider with a name only; empty optional fields stay empty', async () => {
    const name = uniqueName('Bürgerzentrum');
    const response = await create(staff.admin, { name, website: '', email: '', phone: '', legalStatus: '' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ name, website: null, email: null, phone: null, legalStatus: null });
  });

  it('refuses anonymous visitors (401) and planners (403) and writes nothing', async () => {
    const name = uniqueName('Verboten');
    const anonymous = await request(app).post('/api/organizations').send({ name });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ code: 'unauthenticated', detail: 'Bitte zuerst anmelden.' });
    const planner = await create(staff.planner, { name });
    expect(planner.status).toBe(403);
    expect(planner.body.code).toBe('read_only_role');
    expect(planner.headers['content-type']).toMatch(/application\/problem\+json/);
    const knex = testDatabase.database.knex;
    expect(await knex('organizations').where({ name })).toEqual([]);
    expect(await knex('audit_events').where({ action: 'organization.create' }).whereRaw("after->>'name' = ?", [name])).toEqual([]);
  });

  it('names each bad field and why, in German by default', async () => {
    const response = await create(staff.editorA, {
      name: 'x'.repeat(301),
      website: 'ftp://example.org',
      email: 'keine-adresse',
      phone: '0'.repeat(41),
      legalStatus: 42,
      founded: 1900,
    });
    expect(response.status).toBe(400);
    const byField = Object.fromEntries((response.body.errors as { field: string; message: string }[]).map((error) => [error.field, error.message]));
    expect(Object.keys(byField).sort()).toEqual(['body', 'email', 'legalStatus', 'name', 'phone', 'website']);
    expect(byField.name).toBe('Darf höchstens 300 Zeichen lang sein.');
    expect(byField.website).toContain('http:// oder https://');
    expect(byField.email).toContain('keine gültige E-Mail-Adresse');
    const phoneMessages = (response.body.errors as { field: string; message: string }[]).filter((error) => error.field === 'phone').map((error) => error.message);
    expect(phoneMessages).toContain('Darf höchstens 40 Zeichen lang sein.');
    expect(byField.body).toContain('founded');
  });

  it('answers in English when asked to, and requires a name', async () => {
    const response = await create(staff.editorA, { website: 'https://example.org' }, 'en');
    expect(response.status).toBe(400);
    expect(response.body.title).toBe('Bad request');
    expect(response.body.errors).toEqual([{ field: 'name', code: 'invalid_type', message: 'This field is required.' }]);
  });

  it('refuses a telephone number that is not one', async () => {
    const response = await create(staff.editorA, { name: uniqueName('Telefon'), phone: 'ruf mich an' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'phone', message: expect.stringContaining('0221 123456') })]);
  });

  it('keeps one record per provider: the same name again is a conflict that names the existing one', async () => {
    const name = uniqueName('Sozialdienst katholischer Frauen');
    const first = await create(staff.editorA, { name });
    expect(first.status).toBe(201);
    const again = await create(staff.editorB, { name: name.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'duplicate_organization', existing: { id: first.body.id, name } });
    expect(await testDatabase.database.knex('organizations').whereRaw('lower(name) = lower(?)', [name])).toHaveLength(1);
  });

  it('keeps one record when the same new provider is created by several people at once', async () => {
    const name = uniqueName('Diakonie Michaelshoven');
    const spellings = [name, name.toUpperCase(), name.toLowerCase()];
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, index) => create(index % 2 === 0 ? staff.editorA : staff.editorB, { name: spellings[index % 3] })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, ...Array<number>(11).fill(409)]);
    const created = answers.find((answer) => answer.status === 201)!.body as Organization;
    for (const refused of answers.filter((answer) => answer.status === 409)) {
      expect(refused.body).toMatchObject({ code: 'duplicate_organization', existing: { id: created.id } });
    }
    expect(await testDatabase.database.knex('organizations').whereRaw('lower(name) = lower(?)', [name])).toHaveLength(1);
  });
});
