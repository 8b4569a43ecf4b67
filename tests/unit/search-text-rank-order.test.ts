import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import type { IndexFilter, SearchIndex } from '../../server/search/search-index.ts';
import { createTextRanks } from '../../server/search/search-text-rank.ts';
import type { TextQuery } from '../../server/search/search.repo.ts';

// Full text without a place is ordered by rank (desc), then in the order of the rows (name, id).
// Only the offers the database ranked are sorted; the other matches (rank `otherRank` with text,
// 0 without) are merged in. The result must equal one sort of every match by (rank desc, position).

const filter = { textWords: [{ query: 'x' }] } as unknown as IndexFilter;
const textQuery = (text: string) => ({ kind: 'prefix', text, words: [{ term: text }] }) as unknown as Extract<TextQuery, { kind: 'prefix' }>;

/** A seeded random source (a linear congruential generator): the same ranks every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function fakeIndex(rows: number, offerOf: (ordinal: number) => string, hasText: (ordinal: number) => boolean): SearchIndex {
  const matches = Uint32Array.from({ length: rows }, (_value, ordinal) => ordinal);
  // The offers numbered in the order of their first row, as the index numbers them.
  const numbers = new Map<string, number>();
  for (let ordinal = 0; ordinal < rows; ordinal += 1) if (!numbers.has(offerOf(ordinal))) numbers.set(offerOf(ordinal), numbers.size);
  return {
    matchesByName: () => matches,
    offerCount: numbers.size,
    offerNumberAt: (ordinal: number) => numbers.get(offerOf(ordinal))!,
    offerNumberOf: (offerId: string) => numbers.get(offerId),
    hasTextAt: hasText,
  } as unknown as SearchIndex;
}

/** The order the path had before: every match sorted by (rank desc, position). */
function sortedAll(rows: number, rankOf: (ordinal: number) => number): number[] {
  return Array.from({ length: rows }, (_value, ordinal) => ordinal).sort((a, b) => rankOf(b) - rankOf(a) || a - b);
}

describe('full-text ranks without a place: the order', () => {
  for (const otherRank of [0, 1e-20]) {
    it(`equals one sort of every match by rank, then row, with ties, offers on several rows, rows without text (other rank ${otherRank})`, async () => {
      const random = seededRandom(7);
      const rows = 3000;
      // 2,000 offers (some on two or three rows), a few rank values so that ties are common, some ranking 0 or the other rank.
      const offerOf = (ordinal: number) => `o${ordinal % 2000}`;
      const hasText = (ordinal: number) => ordinal % 7 !== 0;
      const values = [0, 1e-20, 0.0303, 0.0607, 0.0607, 0.0991, 0.2];
      const ranks = new Map<string, number>();
      for (let offer = 0; offer < 2000; offer += 1) if (random() < 0.6) ranks.set(`o${offer}`, values[Math.floor(random() * values.length)]!);
      const rankOf = (ordinal: number) => ranks.get(offerOf(ordinal)) ?? (hasText(ordinal) ? otherRank : 0);
      const order = createTextRanks({} as Knex, undefined, async () => ({ ranks, otherRank }));
      const answer = await order(fakeIndex(rows, offerOf, hasText), filter, textQuery('wort'));
      expect([...answer]).toEqual(sortedAll(rows, rankOf));
    });
  }

  it('puts the ranked offers first by rank and the other matches after them in the order of the rows when the database sent only the best', async () => {
    const rows = 10;
    const offerOf = (ordinal: number) => `o${ordinal}`;
    // The database ranked three (the best); the other seven match as well but were not sent.
    const ranks = new Map([['o8', 0.3], ['o2', 0.5], ['o5', 0.3]]);
    const order = createTextRanks({} as Knex, undefined, async () => ({ ranks, otherRank: 1e-20 }));
    const answer = await order(fakeIndex(rows, offerOf, () => true), filter, textQuery('wort'));
    expect([...answer]).toEqual([2, 5, 8, 0, 1, 3, 4, 6, 7, 9]);
  });

  it('leaves out ranks of offers the index does not hold (changed since it was built) and ranks every row of a ranked offer', async () => {
    const rows = 6;
    // Rows 1 and 4 belong to one offer; "gone" was ranked by the database but is not in the index.
    const offerOf = (ordinal: number) => (ordinal === 4 ? 'o1' : `o${ordinal}`);
    const ranks = new Map([['gone', 0.9], ['o1', 0.4], ['o3', 0.2]]);
    const order = createTextRanks({} as Knex, undefined, async () => ({ ranks, otherRank: 1e-20 }));
    const answer = await order(fakeIndex(rows, offerOf, (ordinal) => ordinal !== 2), filter, textQuery('wort'));
    expect([...answer]).toEqual([1, 4, 3, 0, 5, 2]);
  });

});
