import type { Knex } from 'knex';
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

/** The matching rows of a full-text search without a place, ordered by rank (desc), then by name. */
export function createTextRanks(db: Knex): TextRanks {
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
      ranked = { ranks: listTextRanks(db, { text: text.text, terms: text.words.map((word) => word.term) }), ordered: new WeakMap() };
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
