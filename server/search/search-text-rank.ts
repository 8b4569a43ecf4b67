import type { Knex } from 'knex';
import { AppError } from '../http/errors.ts';
import { createBoundedTurns } from '../shared/bounded-turns.ts';
import { fillMessage, inBothLanguages, type Message } from '../http/localized-validation.ts';
import type { IndexFilter, SearchIndex } from './search-index.ts';
import { listTextRanks, type TextQuery } from './search.repo.ts';

// Full text without a place from the in-memory index (issue 14): the index finds the matching rows
// (search-text.ts, in the order of the rows: lower(name), id), and they are ordered as the SQL path
// orders them, by `ts_rank(o.search_vector, query) desc`, then by name. The ranks come from the
// database itself (one statement per index version and query text, kept): ts_rank weighs the
// positions and weights of the stored vector, which the index does not hold, and float4 arithmetic
// written again in JavaScript could order ties differently. A popular word asked again, the usual
// case, is then answered from memory alone.

/** How many query texts keep their ranks per index version (a word's ranks: ≈ 50 bytes per offer holding it). */
const rankedTextLimit = 64;

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
    await new Promise<void>((resolve, reject) => {
      if (turns.enter(resolve)) return;
      const retryAfter = 2;
      reject(inBothLanguages(new AppError('server_busy', 503, fillMessage(busyMessage, 'en', { retryAfter }), { retryAfter }), busyMessage, { retryAfter }));
    });
    try {
      return await listRanks(text);
    } finally {
      turns.release();
    }
  };
}

/** The matching rows of a full-text search without a place, ordered by rank (desc), then by name. */
export function createTextRanks(db: Knex, limits: TextRankLimits = defaultTextRankLimits, listRanks?: ListRanks): TextRanks {
  const rankTurn = takingTurns(listRanks ?? ((text) => listTextRanks(db, text, limits.statementTimeoutMs)), limits);
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
    const rankOf = new Float64Array(matches.length);
    const positions = new Uint32Array(matches.length);
    for (let position = 0; position < matches.length; position += 1) {
      positions[position] = position;
      const ordinal = matches[position]!;
      rankOf[position] = ranks.get(index.offerIdAt(ordinal)) ?? (index.hasTextAt(ordinal) ? otherRank : 0);
    }
    // Rank descending; equal ranks keep the order of the rows (by name, then id), as the SQL's tie-breakers.
    positions.sort((a, b) => rankOf[b]! - rankOf[a]! || a - b);
    const ordered = positions.map((position) => matches[position]!);
    ranked.ordered.set(matches, ordered);
    return ordered;
  };
}
