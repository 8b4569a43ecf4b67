import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/http/errors.ts';
import type { IndexFilter, SearchIndex } from '../../server/search/search-index.ts';
import { createTextRanks } from '../../server/search/search-text-rank.ts';
import type { TextQuery } from '../../server/search/search.repo.ts';
import type { Knex } from 'knex';

// A new full-text query without a place costs one ranking statement in the database; anonymous
// visitors can send new texts at will, so the statements take turns and a full line is refused at once.

const ids = ['a', 'b', 'c'];
const index = {
  matchesByName: () => Uint32Array.of(0, 1, 2),
  offerCount: ids.length,
  offerNumberAt: (ordinal: number) => ordinal,
  offerNumberOf: (offerId: string) => (ids.includes(offerId) ? ids.indexOf(offerId) : undefined),
  hasTextAt: () => true,
} as unknown as SearchIndex;
const filter = { textWords: [{ query: 'x' }] } as unknown as IndexFilter;
const textQuery = (text: string) => ({ kind: 'prefix', text, words: [{ term: text }] }) as unknown as Extract<TextQuery, { kind: 'prefix' }>;

describe('full-text ranks without a place', () => {
  it('runs one rank statement at a time, lets a short line wait, refuses beyond it with 503 server_busy, and answers those admitted', async () => {
    let running = 0;
    let mostAtOnce = 0;
    const finish: Array<() => void> = [];
    const listRanks = async (text: { text: string }) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise<void>((resolve) => finish.push(resolve));
      running -= 1;
      // The text's own order: c first, then b, then a.
      return { ranks: new Map([['a', 0.1], ['b', 0.2], ['c', text.text.length]]), otherRank: 0 };
    };
    const ranks = createTextRanks({} as Knex, { concurrency: 1, maxWaiting: 2, statementTimeoutMs: 1000 }, listRanks);
    const answers = ['eins', 'zwei', 'drei', 'vier', 'fünf'].map((text) => ranks(index, filter, textQuery(text)).then((order) => [...order], (error: unknown) => error));
    // Let the queue settle: one statement runs, two wait, two were refused.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(finish).toHaveLength(1);
    while (finish.length > 0) {
      finish.shift()!();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const settled = await Promise.all(answers);
    expect(mostAtOnce).toBe(1);
    expect(settled.slice(0, 3)).toEqual([[2, 1, 0], [2, 1, 0], [2, 1, 0]]);
    for (const refused of settled.slice(3)) {
      expect(refused).toBeInstanceOf(AppError);
      const error = refused as AppError;
      expect(error.status).toBe(503);
      expect(error.code).toBe('server_busy');
      expect(error.extra).toMatchObject({ retryAfter: 2 });
      expect(error.translations?.de.detail).toContain('Sekunden');
    }
  });

  it('asks again for a refused text once there is room (a refusal is not kept as the text\'s ranks)', async () => {
    const calls: string[] = [];
    let release: () => void = () => undefined;
    const listRanks = async (text: { text: string }) => {
      calls.push(text.text);
      if (text.text === 'lang') await new Promise<void>((resolve) => (release = resolve));
      return { ranks: new Map([['b', 1]]), otherRank: 0 };
    };
    const ranks = createTextRanks({} as Knex, { concurrency: 1, maxWaiting: 0, statementTimeoutMs: 1000 }, listRanks);
    const slow = ranks(index, filter, textQuery('lang'));
    await expect(ranks(index, filter, textQuery('kurz'))).rejects.toMatchObject({ code: 'server_busy' });
    release();
    await slow;
    expect([...(await ranks(index, filter, textQuery('kurz')))]).toEqual([1, 0, 2]);
    expect(calls).toEqual(['lang', 'kurz']);
  });
});
