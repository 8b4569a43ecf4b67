import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearchIndexCycle } from '../../server/search/search-index-cycle.ts';
import { listSearchIndexRows, noFilter, type SearchIndexRow } from '../../server/search/search.repo.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertSearchDepartment, insertSearchOffer, metersEast, metersNorth } from '../helpers/search-factories.ts';

// Issue 11, defect 5: the search index reads its rows page by page (keyset on the row id), so that at
// 1M offers other requests — and on the embedded database their statements — run between the pages.
// The pages together are exactly the rows of one statement.

const origin: [number, number] = [6.95, 50.94];
let testDatabase: TestDatabase;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  const knex = testDatabase.database.knex;
  const departmentId = await insertSearchDepartment(knex);
  for (let index = 0; index < 23; index += 1) {
    const point = metersEast(metersNorth(origin, (index % 5) * 300), Math.floor(index / 5) * 300);
    await insertSearchOffer(knex, {
      departmentId,
      name: `Angebot ${index}`,
      publication: index % 11 === 3 ? 'draft' : 'published',
      // two locations: two index rows of one offer
      locations: index % 4 === 0 ? [point, metersEast(point, 100)] : [point],
    });
  }
}, 300_000);

afterAll(async () => {
  await testDatabase.destroy();
});

/** The index built by the cycle from pages of 5 rows. */
async function indexReadInPages() {
  const cycle = createSearchIndexCycle(testDatabase.database.knex, { enabled: true, checkIntervalMs: 60_000, loadPageRows: 5 });
  expect(await cycle.warm()).toBe(true);
  const inUse = await cycle.current();
  if (!inUse) throw new Error('the cycle built no index');
  expect(inUse.changes).toBeNull();
  return inUse.index;
}

describe('the search index read page by page', () => {
  it('gives the rows of one statement, each once, in pages of at most the limit', async () => {
    const knex = testDatabase.database.knex;
    const whole = await listSearchIndexRows(knex);
    const pages: string[][] = [];
    let afterId: string | null = null;
    for (;;) {
      const page = await listSearchIndexRows(knex, undefined, { afterId, limit: 4 });
      pages.push(page.map((row) => row.id));
      if (page.length < 4) break;
      afterId = page[page.length - 1]!.id;
    }
    // 23 offers, 6 with two locations, 2 drafts (not visible): 27 rows
    expect(whole).toHaveLength(27);
    expect(pages.every((ids) => ids.length <= 4)).toBe(true);
    const paged = pages.flat();
    expect(new Set(paged).size).toBe(paged.length);
    expect([...paged].sort()).toEqual(whole.map((row) => row.id).sort());
  });

  it('builds the index from pages and answers every visible row', async () => {
    const index = await indexReadInPages();
    expect(index.size).toBe(27);
    const answer = index.query({ ...noFilter, origin: { lon: origin[0], lat: origin[1] }, radiusMeters: 5000 }, { limit: 50, offset: 0 });
    expect(answer.total).toBe(27);
    expect(answer.rows.map((row) => row.name)).toContain('Angebot 22');
  });

  it("keeps each row's values, with one frozen list for the rows of the same languages or terms", async () => {
    // server/search/search-row-values.ts: the rows of a load share their repeated values.
    const index = await indexReadInPages();
    // The index's rows are the loaded objects themselves (typed as result rows).
    const held = index.pageAt(
      Array.from({ length: index.size }, (_, ordinal) => ordinal),
      index.size,
    ).rows as SearchIndexRow[];
    // The lexemes are the index's to drop once its dictionaries hold them.
    const values = (rows: typeof held) =>
      rows.map(({ lexemes: _lexemes, endings: _endings, organizationLexemes: _organization, ...row }) => row).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(values(held)).toEqual(values(await listSearchIndexRows(testDatabase.database.knex)));
    for (const list of ['termIds', 'languages'] as const) {
      const instances = new Map<string, Set<string[]>>();
      for (const row of held) {
        const key = row[list].join(',');
        instances.set(key, (instances.get(key) ?? new Set()).add(row[list]));
      }
      expect([...instances.values()].map((lists) => lists.size)).toEqual([...instances.keys()].map(() => 1));
      // fewer lists than rows: shared, not merely equal
      expect(instances.size).toBeLessThan(held.length);
      expect(held.every((row) => Object.isFrozen(row[list]))).toBe(true);
    }
  });
});
