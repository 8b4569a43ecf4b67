import { describe, expect, it } from 'vitest';
import { buildTextIndex, joinLexemes, parseTsquery, sortInSteps, type TextRowLexemes, type TextWord } from '../../server/search/search-text.ts';

// Full text in memory evaluates PostgreSQL's printed tsquery against the lexemes PostgreSQL stored;
// the API test (tests/api/search-index.test.ts) compares it with the SQL on both databases.

describe('parseTsquery', () => {
  it('reads lexemes, prefixes, and, or and parentheses as PostgreSQL prints them', () => {
    expect(parseTsquery("'senior':*")).toEqual({ kind: 'lexeme', lexeme: 'senior', prefix: true });
    expect(parseTsquery("'begegnungsstaett':* | 'begegnungsstatt':*")).toEqual({
      kind: 'or',
      left: { kind: 'lexeme', lexeme: 'begegnungsstaett', prefix: true },
      right: { kind: 'lexeme', lexeme: 'begegnungsstatt', prefix: true },
    });
    expect(parseTsquery("'a' & ( 'b':* | 'c' ) & 'd'")).toEqual({
      kind: 'and',
      left: {
        kind: 'and',
        left: { kind: 'lexeme', lexeme: 'a', prefix: false },
        right: { kind: 'or', left: { kind: 'lexeme', lexeme: 'b', prefix: true }, right: { kind: 'lexeme', lexeme: 'c', prefix: false } },
      },
      right: { kind: 'lexeme', lexeme: 'd', prefix: false },
    });
    // Quotes and backslashes are doubled in the printed form.
    expect(parseTsquery("'it''s\\\\'")).toEqual({ kind: 'lexeme', lexeme: "it's\\", prefix: false });
  });

  it('gives null for an empty query and undefined for what the index leaves to SQL', () => {
    expect(parseTsquery('')).toBeNull();
    expect(parseTsquery("'a' <-> 'b'")).toBeUndefined();
    expect(parseTsquery("!'a'")).toBeUndefined();
    expect(parseTsquery("'a':A")).toBeUndefined();
    expect(parseTsquery("'a':*B")).toBeUndefined();
    expect(parseTsquery("'a' &")).toBeUndefined();
    expect(parseTsquery("('a'")).toBeUndefined();
    expect(parseTsquery("'unterminated")).toBeUndefined();
  });
});

describe('buildTextIndex', () => {
  // Each kind's lexemes joined, as the index statement reads them.
  const rows: TextRowLexemes[] = [
    { lexemes: ['seniorentreff', 'nipp'], endings: ['fferteroines', 'ppin'], organizationLexemes: [] },
    { lexemes: ['schuldnerberat', 'caritas'], endings: ['tarebrendluhcs', 'satirac'], organizationLexemes: ['caritasverband', 'koln'] },
    { lexemes: ['berat', 'schuld'], endings: ['tareb', 'dluhcs'], organizationLexemes: ['diakoni'] },
  ].map((row) => ({ lexemes: joinLexemes(row.lexemes), endings: joinLexemes(row.endings), organizationLexemes: joinLexemes(row.organizationLexemes) }));
  rows.push({});
  const index = buildTextIndex(rows);
  const word = (query: string, ending: string | null = null): TextWord => ({ query: parseTsquery(query)!, ending: ending === null ? null : parseTsquery(ending)! });
  const matching = (words: TextWord[]) => [...index.matchingRows(words)];

  it('matches a prefix, an equal lexeme, a compound end and a provider', () => {
    expect(matching([word("'senior':*")])).toEqual([0]);
    expect(matching([word("'senior'")])).toEqual([]);
    expect(matching([word("'berat':*", "'tareb':*")])).toEqual([1, 2]);
    expect(matching([word("'berat':*")])).toEqual([2]);
    expect(matching([word("'caritas':*")])).toEqual([1]);
    expect(matching([word("'diakoni':*")])).toEqual([2]);
  });

  it('needs every word, ignores stop words and finds nothing for an unknown word', () => {
    expect(matching([word("'berat':*", "'tareb':*"), word("'caritas':*")])).toEqual([1]);
    expect(matching([{ query: null, ending: null }, word("'nipp':*")])).toEqual([0]);
    expect(matching([{ query: null, ending: null }])).toEqual([0, 1, 2, 3]);
    expect(matching([word("'xyz':*")])).toEqual([]);
    expect(matching([word("'schuld':* & 'berat':*")])).toEqual([2]);
    expect(matching([word("'nipp' | 'schuld'")])).toEqual([0, 2]);
  });

  it('merges the rows of a prefix over several lexemes, one after another, each time anew', () => {
    // Several lexemes naming many of the rows are marked in one shared scratch and read in row order.
    const many = buildTextIndex([['aa', 'ab'], ['ac'], ['ba', 'bb'], ['bc', 'ab']].map((lexemes) => ({ lexemes: joinLexemes(lexemes) })));
    const rowsOf = (query: string) => [...many.matchingRows([word(query)])];
    expect(rowsOf("'a':*")).toEqual([0, 1, 3]);
    expect(rowsOf("'b':*")).toEqual([2, 3]);
    expect(rowsOf("'a':* & 'b':*")).toEqual([3]);
    expect(rowsOf("'a':* | 'b':*")).toEqual([0, 1, 2, 3]);
    expect(rowsOf("'ab'")).toEqual([0, 3]);
  });
});

describe('sortInSteps', () => {
  it('sorts as Array.prototype.sort does (UTF-16 code units), pausing every few comparisons', () => {
    let seed = 17;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const alphabet = ['a', 'b', 'z', 'ä', 'ß', 'é', 'Z', '1', '\u{1F600}', '\uFFFD', 'ü', ' '];
    const values = Array.from({ length: 5_000 }, () =>
      Array.from({ length: 1 + Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)]!).join(''),
    );
    values.push('', '', 'a', 'a');
    const before = [...values];
    for (const perStep of [1, 3, 64, 1_000, 100_000]) {
      const steps = sortInSteps(values, perStep);
      let pauses = 0;
      let sorted: string[];
      for (;;) {
        const step = steps.next();
        if (step.done) {
          sorted = step.value;
          break;
        }
        pauses += 1;
      }
      expect(sorted).toEqual([...values].sort());
      // Runs of perStep sorted natively, then about one pause per perStep comparisons of each merge pass.
      expect(pauses).toBeGreaterThanOrEqual(Math.ceil(values.length / perStep));
    }
    expect(values).toEqual(before);
    expect(sortInSteps([], 8).next()).toEqual({ done: true, value: [] });
  });
});
