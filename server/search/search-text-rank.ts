import type { Knex } from 'knex';
import { createBoundedTurns } from '../shared/bounded-turns.ts';
import type { Message } from '../http/localized-validation.ts';
import type { IndexFilter, SearchIndex } from './search-index.ts';
import { listTextRanks, type TextQuery } from './search.repo.ts';
import { takeTurn } from './search-turns.ts';

// Full text without a place from the in-memory index (issue 14): the index finds the matching rows
// (search-text.ts, in the order of the rows: lower(name), id), and they are ordered as the SQL path
// orders them, by `ts_rank(o.search_vector, query) desc`, then by name. The ranks come from the
// database itself (one statement per index version and query text, kept): ts_rank weighs the
// positions and weights of the stored vector, which the index does not hold, and float4 arithmetic
// written again in JavaScript could order ties differently. A popular word asked again, the usual
// case, is then answered from memory alone.

/** How many query texts keep their ranks per index version (a word's ranks: ≈ 50 bytes per ranked offer). */
const rankedTextLimit = 64;

/**
 * Offers ranked per text: the best this many by `ts_rank` (then name) come from the database, the
 * other matches follow them by name. A common word at 1M offers matches ≈ 250,000: reading all their
 * ranks cost the request thread 0.5–6 s (rows parsed, a Map, a comparator sort, garbage collection);
 * the database sorts them instead and sends 5,000 (docs/search.md, docs/benchmarks.md).
 */
const rankedOffersLimit = 5000;

interface RankedText {
  ranks: Promise<{ ranks: Map<string, number>; otherRank: number }>;
  /** The ordered ordinals per matching set of the index (the index keeps each set as one array). */
  ordered: WeakMap<Uint32Array, Uint32Array>;
}

export type TextRanks = (index: SearchIndex, filter: IndexFilter, text: Extract<TextQuery, { kind: 'prefix' }>) => Promise<Uint32Array>;

type ListRanks = (text: { text: string; terms: string[] }) => Promise<{ ranks: Map<string, number>; otherRank: number }>;

export interface TextRankLimits {
  /** Rank statements run at the same time (each reads every offer holding one of the words). */
  concurrency: number;
  /** Texts that may wait for a turn; one more is refused with 503 and Retry-After. */
  maxWaiting: number;
  /** A rank statement is cancelled after this long (503 query_timeout). */
  statementTimeoutMs: number;
}

// A new text costs the database one ranking statement over every offer holding one of its words
// (≈ 300 ms for a common word at 100k offers). Anonymous visitors can send new texts at will, so
// these statements take turns (by default one at a time: one of the pool's sessions at most), a
// short line may wait, and each statement is cancelled after a few seconds (docs/security.md).
export const defaultTextRankLimits: TextRankLimits = { concurrency: 1, maxWaiting: 8, statementTimeoutMs: 5000 };

const busyMessage: Message = {
  de: 'Der Server bewertet gerade zu viele neue Suchtexte; bitte in {retryAfter} Sekunden erneut versuchen.',
  en: 'The server is ranking too many new search texts right now; please try again in {retryAfter} seconds.',
};

/** Runs `listRanks` at most `concurrency` at a time with at most `maxWaiting` in line; refuses beyond. */
function takingTurns(listRanks: ListRanks, limits: TextRankLimits): ListRanks {
  const turns = createBoundedTurns(limits.concurrency, limits.maxWaiting);
  return async (text) => {
    await takeTurn(turns, busyMessage);
    try {
      return await listRanks(text);
    } finally {
      turns.release();
    }
  };
}

/** The matching rows of a full-text search without a place, ordered by rank (desc), then by name. */
export function createTextRanks(db: Knex, limits: TextRankLimits = defaultTextRankLimits, listRanks?: ListRanks): TextRanks {
  const rankTurn = takingTurns(listRanks ?? ((text) => listTextRanks(db, text, limits.statementTimeoutMs, rankedOffersLimit)), limits);
  let kept: { index: SearchIndex; texts: Map<string, RankedText> } | null = null;
  return async (index, filter, text) => {
    const matches = index.matchesByName(filter);
    // A query of stop words only ranks every offer alike (its words are ignored): by name.
    if (matches.length === 0 || !filter.textWords?.some((word) => word.query !== null)) return matches;
    if (kept?.index !== index) kept = { index, texts: new Map() };
    const texts = kept.texts;
    let ranked = texts.get(text.text);
    if (ranked) {
      texts.delete(text.text);
    } else {
      ranked = { ranks: rankTurn({ text: text.text, terms: text.words.map((word) => word.term) }), ordered: new WeakMap() };
      ranked.ranks.catch(() => texts.delete(text.text));
      if (texts.size >= rankedTextLimit) texts.delete(texts.keys().next().value!);
    }
    texts.set(text.text, ranked);
    const known = ranked.ordered.get(matches);
    if (known) return known;
    const { ranks, otherRank } = await ranked.ranks;
    const ordered = orderByRank(matches, ranks, otherRank, index);
    ranked.ordered.set(matches, ordered);
    return ordered;
  };
}

/**
 * The matches (in the order of the rows: by name, then id) ordered by rank descending, equal ranks in
 * the order of the rows, as the SQL's tie-breakers. Only the ranked offers are sorted; every other
 * match ranks `otherRank` (it has text) or 0, so those two groups stay in the order of the rows and
 * are merged in: one pass and one sort of at most `rankedOffersLimit` offers' rows.
 */
function orderByRank(matches: Uint32Array, ranks: ReadonlyMap<string, number>, otherRank: number, index: SearchIndex): Uint32Array {
  const rankAt = new Float64Array(matches.length);
  // The ranked offers by the index's offer numbers (NaN: not ranked): each match then reads its rank
  // from a typed array by number, where a lookup by its offer's id cost a hash and a cache miss per
  // match (0.1 s of the request thread for a common word at 100k offers; docs/benchmarks.md).
  const rankOfOffer = ranks.size === 0 ? null : new Float64Array(index.offerCount).fill(Number.NaN);
  if (rankOfOffer) {
    for (const [offerId, rank] of ranks) {
      const number = index.offerNumberOf(offerId);
      if (number !== undefined) rankOfOffer[number] = rank;
    }
  }
  // Three lists of positions, each in (rank desc, position) order once the first is sorted; typed
  // arrays, as a common word at 1M offers matches about a million rows.
  const lists = [new Uint32Array(rankOfOffer ? matches.length : 0), new Uint32Array(matches.length), new Uint32Array(matches.length)] as const;
  const lengths = [0, 0, 0];
  for (let position = 0; position < matches.length; position += 1) {
    const ordinal = matches[position]!;
    const rank = rankOfOffer ? rankOfOffer[index.offerNumberAt(ordinal)]! : Number.NaN;
    const list = !Number.isNaN(rank) ? 0 : index.hasTextAt(ordinal) ? 1 : 2;
    rankAt[position] = list === 0 ? rank : list === 1 ? otherRank : 0;
    lists[list][lengths[list]!] = position;
    lengths[list]! += 1;
  }
  lists[0].subarray(0, lengths[0]).sort((a, b) => rankAt[b]! - rankAt[a]! || a - b);
  const heads = [0, 0, 0];
  const ordered = new Uint32Array(matches.length);
  for (let next = 0; next < matches.length; next += 1) {
    let best = -1;
    let bestPosition = 0;
    for (let list = 0; list < 3; list += 1) {
      if (heads[list]! >= lengths[list]!) continue;
      const position = lists[list]![heads[list]!]!;
      if (best < 0 || rankAt[position]! > rankAt[bestPosition]! || (rankAt[position] === rankAt[bestPosition] && position < bestPosition)) {
        best = list;
        bestPosition = position;
      }
    }
    ordered[next] = matches[bestPosition]!;
    heads[best]! += 1;
  }
  return ordered;
}
