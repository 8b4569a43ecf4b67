import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSearchChanges, readSearchGeneration } from '../../server/search/search.repo.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertSearchOffer } from '../helpers/search-factories.ts';

// The log of changed offers per generation of the search's change counter (migration 20261206130000).
describe('search change log', () => {
  let testDatabase: TestDatabase;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  const changedSince = async (generation: number, limit = 1000) => {
    const changes = await readSearchChanges(testDatabase.database.knex, generation, limit);
    return changes.offerIds === null ? null : [...changes.offerIds].sort();
  };

  it('names the offers an edit of an offer, its terms, locations or organization touched, once per generation', async () => {
    const { knex } = testDatabase.database;
    const first = await insertSearchOffer(knex, { name: 'Erstes', targetGroups: ['seniors'], organization: 'Träger Eins' });
    const second = await insertSearchOffer(knex, { name: 'Zweites' });
    const before = await readSearchGeneration(knex);
    expect(await changedSince(before)).toEqual([]);

    await knex('offers').where({ id: first.offerId }).update({ name: 'Erstes, umbenannt' });
    expect(await changedSince(before)).toEqual([first.offerId]);
    const afterRename = await readSearchGeneration(knex);
    expect(afterRename).toBe(before + 1);

    // a location shared by both offers: both are named
    await knex('offer_locations').insert({ offer_id: second.offerId, location_id: first.locationIds[0] });
    const shared = await readSearchGeneration(knex);
    expect(await changedSince(afterRename)).toEqual([second.offerId]);
    await knex('locations').where({ id: first.locationIds[0] }).update({ name: 'Begegnungsstätte' });
    expect(await changedSince(shared)).toEqual([first.offerId, second.offerId].sort());

    // the organization's offers
    const organizationEdit = await readSearchGeneration(knex);
    const [offer] = (await knex('offers').where({ id: first.offerId }).select('organization_id')) as Array<{ organization_id: string }>;
    await knex('organizations').where({ id: offer!.organization_id }).update({ name: 'Träger Eins e. V.' });
    expect(await changedSince(organizationEdit)).toEqual([first.offerId]);

    // terms removed, a deleted offer
    const termsEdit = await readSearchGeneration(knex);
    await knex('offer_terms').where({ offer_id: first.offerId }).delete();
    await knex('offers').where({ id: second.offerId }).delete();
    expect(await changedSince(termsEdit)).toEqual([first.offerId, second.offerId].sort());
    // one transaction writing many rows of one offer: one generation, one row
    const oneTransaction = await readSearchGeneration(knex);
    await knex.transaction(async (trx) => {
      await trx('offers').where({ id: first.offerId }).update({ description: 'a' });
      await trx('offers').where({ id: first.offerId }).update({ description: 'b' });
      await trx('locations').where({ id: first.locationIds[0] }).update({ name: 'c' });
    });
    expect(await readSearchGeneration(knex)).toBe(oneTransaction + 1);
    expect(Number(((await knex('search_changes').where({ generation: oneTransaction + 1 }).first(knex.raw('count(*) as n'))) as { n: string }).n)).toBe(1);
    // a rolled-back transaction logs nothing
    await knex
      .transaction(async (trx) => {
        await trx('offers').where({ id: first.offerId }).update({ description: 'd' });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await changedSince(oneTransaction + 1)).toEqual([]);
  });

  it('cannot name the offers of a taxonomy change, of more offers than asked, or of generations before the log', async () => {
    const { knex } = testDatabase.database;
    const offers = [await insertSearchOffer(knex, { name: 'A' }), await insertSearchOffer(knex, { name: 'B' }), await insertSearchOffer(knex, { name: 'C' })];
    const before = await readSearchGeneration(knex);
    for (const offer of offers) await knex('offers').where({ id: offer.offerId }).update({ description: 'neu' });
    expect(await changedSince(before, 3)).toHaveLength(3);
    expect(await changedSince(before, 2)).toBeNull();

    const termChange = await readSearchGeneration(knex);
    await knex('taxonomy_terms').where({ code: 'seniors' }).update({ label_de: 'Seniorinnen und Senioren' });
    expect(await changedSince(termChange)).toBeNull();
    // before the log began (the migration's generation): unknown
    const logStart = (await knex('search_generation').first('changes_logged_after')) as { changes_logged_after: string };
    expect(await changedSince(Number(logStart.changes_logged_after) - 1)).toBeNull();
    // after the term's generation the log can say again
    expect(await changedSince(termChange + 1)).toEqual([]);
  });

  it('logs one row without an offer for a transaction that changes more than a thousand offers', async () => {
    const { knex } = testDatabase.database;
    const { departmentId } = await insertSearchOffer(knex, { name: 'Vorlage' });
    const [type] = (await knex('taxonomy_terms').where({ taxonomy: 'offer_type', code: 'senior_meeting_place' }).select('id')) as Array<{ id: string }>;
    const before = await readSearchGeneration(knex);
    await knex.batchInsert(
      'offers',
      Array.from({ length: 1100 }, (_, index) => ({ department_id: departmentId, name: `Import ${index}`, status: 'active', publication: 'published', offer_type_id: type!.id })),
      500,
    );
    // batchInsert writes in one transaction: one generation
    expect(await readSearchGeneration(knex)).toBe(before + 1);
    expect(await changedSince(before, 5000)).toBeNull();
    // the first thousand and one offers, then the row without an offer, then nothing more
    const logged = (await knex('search_changes').where('generation', '>', before).select('offer_id')) as Array<{ offer_id: string | null }>;
    expect(logged.filter((row) => row.offer_id !== null)).toHaveLength(1001);
    expect(logged.filter((row) => row.offer_id === null)).toHaveLength(1);
  });
});
