import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { uniqueCode } from '../helpers/factories.ts';

// The change counter of the in-memory search index (migration 20261124140000).
describe('search generation counter', () => {
  let testDatabase: TestDatabase;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  const generation = async () =>
    Number(((await testDatabase.database.knex('search_generation').first('generation')) as { generation: number }).generation);

  it('moves once per committed transaction, however many rows it writes, and not for a rollback', async () => {
    const { knex } = testDatabase.database;
    const before = await generation();
    await knex.transaction(async (trx) => {
      for (let index = 0; index < 3; index += 1) await trx('organizations').insert({ name: `Träger ${uniqueCode()}` });
      await trx('organizations').update({ description: 'geändert' });
      // deferred to the commit: inside the transaction the counter has not moved yet
      expect(Number(((await trx('search_generation').first('generation')) as { generation: number }).generation)).toBe(before);
    });
    expect(await generation()).toBe(before + 1);
    await knex
      .transaction(async (trx) => {
        await trx('organizations').insert({ name: `Träger ${uniqueCode()}` });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await generation()).toBe(before + 1);
    await knex('organizations').insert({ name: `Träger ${uniqueCode()}` });
    expect(await generation()).toBe(before + 2);
  });
});
