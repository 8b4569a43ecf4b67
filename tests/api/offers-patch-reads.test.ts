import type { Express } from 'express';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createOffer, createStaff, type Staff } from '../helpers/offer-factories.ts';

/** Every statement knex sends while `run` is going on, in order. */
async function statementsDuring<T>(knex: Knex, run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const listener = (query: { sql: string }) => statements.push(query.sql);
  knex.on('query', listener);
  try {
    return { result: await run(), statements };
  } finally {
    knex.removeListener('query', listener);
  }
}

// a read of the stored offer row, the full offer or its head (both select its version)
const readsOffer = (sql: string) => /^select\b/i.test(sql) && /"o"\."version"/.test(sql) && /\bfrom "offers" as "o"/i.test(sql);
const writesOffer = (sql: string) => /^update "offers"/i.test(sql);

describe('PATCH /api/offers/:id reads the offer once', () => {
  let testDatabase: TestDatabase;
  let app: Express;
  let staff: Staff;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    app = createTestApp(testDatabase.database);
    staff = await createStaff(testDatabase.database.knex, app);
  }, 180_000);
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('reads the stored offer once, under its row lock, before it writes; then once for the answer', async () => {
    const offer = await createOffer(staff.editorA, { name: 'Treff vor dem Patch' });
    const { result: response, statements } = await statementsDuring(testDatabase.database.knex, () =>
      staff.editorA.agent
        .patch(`/api/offers/${offer.id}`)
        .set('X-CSRF-Token', staff.editorA.csrfToken)
        .set('If-Match', '"1"')
        .send({ name: 'Treff nach dem Patch', minAge: 60 }),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: 'Treff nach dem Patch', minAge: 60, version: 2 });

    const write = statements.findIndex(writesOffer);
    expect(write).toBeGreaterThan(-1);
    const readsBefore = statements.slice(0, write).filter(readsOffer);
    expect(readsBefore).toHaveLength(1);
    expect(readsBefore[0]).toMatch(/for update of "o"/i);
    expect(statements.slice(write).filter(readsOffer)).toHaveLength(1);
  });

  it('answers a stale version from the one read, without reading the offer again', async () => {
    const offer = await createOffer(staff.editorA, { name: 'Treff mit alter Version' });
    const { result: response, statements } = await statementsDuring(testDatabase.database.knex, () =>
      staff.editorA.agent
        .patch(`/api/offers/${offer.id}`)
        .set('X-CSRF-Token', staff.editorA.csrfToken)
        .set('If-Match', '"7"')
        .send({ name: 'Zu spät' }),
    );
    expect(response.status).toBe(412);
    expect(response.body).toMatchObject({ code: 'version_mismatch', currentVersion: 1 });
    expect(statements.filter(readsOffer)).toHaveLength(1);
    expect(statements.some(writesOffer)).toBe(false);
  });

  it('lays the patch over the stored offer: fields it does not name stay as they were', async () => {
    const offer = await createOffer(staff.editorA, { name: 'Treff mit Kosten', cost: { kind: 'reduced', text: '2 € für Mitglieder' }, minAge: 55 });
    const response = await staff.editorA.agent
      .patch(`/api/offers/${offer.id}`)
      .set('X-CSRF-Token', staff.editorA.csrfToken)
      .set('If-Match', '"1"')
      .send({ maxAge: 99, website: '' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: 'Treff mit Kosten', cost: { kind: 'reduced', text: '2 € für Mitglieder' }, minAge: 55, maxAge: 99, website: null });
    expect(response.body.locations.map((location: { id: string }) => location.id)).toEqual(offer.locations.map((location) => location.id));
  });

  it('checks the rules between fields on the patched whole and names the field, in German and English', async () => {
    const offer = await createOffer(staff.editorA, { name: 'Treff ab 60', minAge: 60 });
    for (const [language, text] of [['de', /Höchstalter.*60/], ['en', /maximum age.*60/]] as const) {
      const response = await staff.editorA.agent
        .patch(`/api/offers/${offer.id}`)
        .set('X-CSRF-Token', staff.editorA.csrfToken)
        .set('Accept-Language', language)
        .set('If-Match', '"1"')
        .send({ maxAge: 40 });
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.errors).toEqual([{ field: 'maxAge', code: 'age_range', message: expect.stringMatching(text) }]);
    }
  });
});
