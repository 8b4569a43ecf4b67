// Full text in memory (issue 14, docs/search.md): the lexemes PostgreSQL stored for each offer
// (`offers.search_vector`, the reversed stems in `offers.search_endings` and the provider's name
// through `to_tsvector('german', organizations.name)`) held as sorted dictionaries with the rows
// that carry each lexeme, and the query evaluated on them as PostgreSQL's `@@` does: a lexeme
// matches equal lexemes, a prefix lexeme (`'senior':*`) every lexeme that begins with it. The query
// words are stemmed by the database itself (to_tsquery, word_ending_query: one constant statement
// per distinct word, kept), so both sides use the same stemmer whichever PostgreSQL runs.

/** A tsquery as PostgreSQL prints it, limited to what the citizens' prefix queries produce. */
export type TextNode = { kind: 'lexeme'; lexeme: string; prefix: boolean } | { kind: 'and' | 'or'; left: TextNode; right: TextNode };

/** One word of a prefix query, stemmed by the database (search.repo.ts `describeTextWord`). */
export interface TextWord {
  /** The word's own query (`to_tsquery('german', 'senioren:*')`); null: only stop words, the word is ignored. */
  query: TextNode | null;
  /** The end of a compound (`word_ending_query`); null for stop words and stems under four letters. */
  ending: TextNode | null;
}

/**
 * Reads `tsquery::text` into a tree; null for an empty query, undefined for operators the index
 * does not evaluate (phrases, negation, weight restrictions), which leaves the search to SQL.
 */
export function parseTsquery(text: string): TextNode | null | undefined {
  let position = 0;
  const skipSpaces = () => {
    while (text[position] === ' ') position += 1;
  };
  function operand(): TextNode | undefined {
    skipSpaces();
    if (text[position] === '(') {
      position += 1;
      const inner = or();
      skipSpaces();
      if (!inner || text[position] !== ')') return undefined;
      position += 1;
      return inner;
    }
    if (text[position] !== "'") return undefined;
    position += 1;
    let lexeme = '';
    for (;;) {
      const char = text[position];
      if (char === undefined) return undefined;
      // Quotes and backslashes are doubled in the printed form.
      if ((char === "'" || char === '\\') && text[position + 1] === char) {
        lexeme += char;
        position += 2;
        continue;
      }
      if (char === "'") break;
      lexeme += char;
      position += 1;
    }
    position += 1;
    let prefix = false;
    if (text[position] === ':') {
      const flags = /^:([*A-D]+)/.exec(text.slice(position));
      if (!flags || flags[1] !== '*') return undefined;
      prefix = true;
      position += flags[0].length;
    }
    return { kind: 'lexeme', lexeme, prefix };
  }
  function and(): TextNode | undefined {
    let left = operand();
    for (;;) {
      skipSpaces();
      if (!left || text[position] !== '&') return left;
      position += 1;
      const right = operand();
      if (!right) return undefined;
      left = { kind: 'and', left, right };
    }
  }
  function or(): TextNode | undefined {
    let left = and();
    for (;;) {
      skipSpaces();
      if (!left || text[position] !== '|') return left;
      position += 1;
      const right = and();
      if (!right) return undefined;
      left = { kind: 'or', left, right };
    }
  }
  if (text.trim() === '') return null;
  const tree = or();
  skipSpaces();
  return tree && position === text.length ? tree : undefined;
}

/** The lexemes of one kind (offer vector, reversed stems, provider) with the rows holding each. */
class LexemeField {
  private readonly lexemes: string[];
  private readonly offsets: Uint32Array;
  private readonly postings: Uint32Array;

  private constructor(lexemes: string[], offsets: Uint32Array, postings: Uint32Array) {
    this.lexemes = lexemes;
    this.offsets = offsets;
    this.postings = postings;
  }

  /** Built in steps: it pauses (`yield`) every `rowsPerStep` rows (search-index-cycle.ts runs it in slices). */
  static *build(count: number, lexemesOf: (row: number) => readonly string[] | undefined, rowsPerStep: number): Generator<void, LexemeField, void> {
    // One pass numbers the lexemes (one Map lookup per occurrence: hashing is the expensive part)
    // and remembers each occurrence's number; the postings are then filled without hashing again.
    const numbers = new Map<string, number>();
    const counts: number[] = [];
    const rowEnds = new Uint32Array(count);
    let occurrences = new Uint32Array(Math.max(16, count));
    let used = 0;
    for (let row = 0; row < count; row += 1) {
      if (row % rowsPerStep === 0) yield;
      for (const lexeme of lexemesOf(row) ?? []) {
        let number = numbers.get(lexeme);
        if (number === undefined) {
          number = counts.length;
          numbers.set(lexeme, number);
          counts.push(0);
        }
        counts[number]! += 1;
        if (used === occurrences.length) {
          const grown = new Uint32Array(occurrences.length * 2);
          grown.set(occurrences);
          occurrences = grown;
        }
        occurrences[used] = number;
        used += 1;
      }
      rowEnds[row] = used;
    }
    // Sorted by UTF-16 code units: a prefix's lexemes are one run in any lexicographic order.
    const lexemes = [...numbers.keys()].sort();
    yield;
    const rank = new Uint32Array(lexemes.length);
    lexemes.forEach((lexeme, position) => {
      rank[numbers.get(lexeme)!] = position;
    });
    const offsets = new Uint32Array(lexemes.length + 1);
    counts.forEach((rows, number) => {
      offsets[rank[number]! + 1] = rows;
    });
    for (let position = 0; position < lexemes.length; position += 1) offsets[position + 1]! += offsets[position]!;
    const postings = new Uint32Array(used);
    const fill = offsets.slice(0, lexemes.length);
    yield;
    let occurrence = 0;
    for (let row = 0; row < count; row += 1) {
      if (row % rowsPerStep === 0) yield;
      for (; occurrence < rowEnds[row]!; occurrence += 1) {
        const position = rank[occurrences[occurrence]!]!;
        postings[fill[position]!] = row;
        fill[position]! += 1;
      }
    }
    return new LexemeField(lexemes, offsets, postings);
  }

  private firstFrom(lexeme: string): number {
    let low = 0;
    let high = this.lexemes.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.lexemes[middle]! < lexeme) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Marks the rows that hold the lexeme (or, as a prefix, any lexeme beginning with it). */
  mark(lexeme: string, prefix: boolean, into: Uint8Array): void {
    let position = this.firstFrom(lexeme);
    for (; position < this.lexemes.length; position += 1) {
      const candidate = this.lexemes[position]!;
      if (prefix ? !candidate.startsWith(lexeme) : candidate !== lexeme) break;
      for (let index = this.offsets[position]!; index < this.offsets[position + 1]!; index += 1) into[this.postings[index]!] = 1;
    }
  }
}

/** The stored lexemes of the index rows: what a row's text, endings and provider hold. */
export interface TextRowLexemes {
  lexemes?: readonly string[];
  endings?: readonly string[];
  organizationLexemes?: readonly string[];
}

export interface TextIndex {
  /** Rows (by their place in the build) matching every word, as the SQL's full-text condition. */
  matches(words: readonly TextWord[]): Uint8Array;
}

export function buildTextIndex(rows: readonly TextRowLexemes[]): TextIndex {
  const steps = buildTextIndexSteps(rows, Number.POSITIVE_INFINITY);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** {@link buildTextIndex} in steps: it pauses every `rowsPerStep` rows (issue 11, defect 5). */
export function* buildTextIndexSteps(rows: readonly TextRowLexemes[], rowsPerStep: number): Generator<void, TextIndex, void> {
  const count = rows.length;
  const vector = yield* LexemeField.build(count, (row) => rows[row]!.lexemes, rowsPerStep);
  const endings = yield* LexemeField.build(count, (row) => rows[row]!.endings, rowsPerStep);
  const organization = yield* LexemeField.build(count, (row) => rows[row]!.organizationLexemes, rowsPerStep);

  /** `field @@ node` for every row. */
  function evaluate(field: LexemeField, node: TextNode): Uint8Array {
    if (node.kind === 'lexeme') {
      const marked = new Uint8Array(count);
      field.mark(node.lexeme, node.prefix, marked);
      return marked;
    }
    const left = evaluate(field, node.left);
    const right = evaluate(field, node.right);
    for (let row = 0; row < count; row += 1) left[row] = node.kind === 'and' ? left[row]! & right[row]! : left[row]! | right[row]!;
    return left;
  }

  return {
    matches(words) {
      const all = new Uint8Array(count).fill(1);
      for (const word of words) {
        // numnode(query) = 0: a word of stop words only is ignored, as in the SQL.
        if (word.query === null) continue;
        const one = evaluate(vector, word.query);
        const byProvider = evaluate(organization, word.query);
        const byEnding = word.ending ? evaluate(endings, word.ending) : null;
        for (let row = 0; row < count; row += 1) all[row] = all[row]! & (one[row]! | byProvider[row]! | (byEnding ? byEnding[row]! : 0));
      }
      return all;
    },
  };
}
