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

/**
 * `values.sort()` (UTF-16 code unit order) in steps that pause (`yield`) every `perStep`
 * comparisons or so: runs of `perStep` sorted natively, then merged pairwise (stable). Returns a
 * new array; `values` is left as it was.
 */
export function* sortInSteps(values: readonly string[], perStep: number): Generator<void, string[], void> {
  const run = Math.max(1, Math.floor(perStep));
  let source = values.slice();
  for (let start = 0; start < source.length; start += run) {
    const sorted = source.slice(start, start + run).sort();
    for (let offset = 0; offset < sorted.length; offset += 1) source[start + offset] = sorted[offset]!;
    yield;
  }
  let target = source.slice();
  let work = 0;
  for (let width = run; width < source.length; width *= 2) {
    for (let left = 0; left < source.length; left += 2 * width) {
      const middle = Math.min(left + width, source.length);
      const end = Math.min(left + 2 * width, source.length);
      let from = left;
      let other = middle;
      let next = left;
      while (from < middle && other < end) {
        // The left run first on equal values: stable, as Array.prototype.sort.
        target[next++] = source[other]! < source[from]! ? source[other++]! : source[from++]!;
        work += 1;
        if (work >= run) {
          work = 0;
          yield;
        }
      }
      while (from < middle) target[next++] = source[from++]!;
      while (other < end) target[next++] = source[other++]!;
    }
    [source, target] = [target, source];
  }
  return source;
}

/** A string of its own, not a view into a longer one (V8 makes parts of 13 characters and more views). */
function ownCopy(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'utf8').toString('utf8');
}

/** The lexemes of one kind (offer vector, reversed stems, provider) with the rows holding each. */
class LexemeField {
  private readonly lexemes: string[];
  private readonly offsets: Uint32Array;
  private readonly postings: Uint32Array;
  private readonly rowCount: number;

  private constructor(lexemes: string[], offsets: Uint32Array, postings: Uint32Array, rowCount: number) {
    this.lexemes = lexemes;
    this.offsets = offsets;
    this.postings = postings;
    this.rowCount = rowCount;
  }

  /** Built in steps: it pauses (`yield`) every `rowsPerStep` rows (search-index-cycle.ts runs it in slices). */
  static *build(count: number, joinedOf: (row: number) => string | undefined, rowsPerStep: number): Generator<void, LexemeField, void> {
    // One pass numbers the lexemes (one Map lookup per occurrence: hashing is the expensive part)
    // and remembers each occurrence's number; the postings are then filled without hashing again.
    const numbers = new Map<string, number>();
    const counts: number[] = [];
    const rowEnds = new Uint32Array(count);
    let occurrences = new Uint32Array(Math.max(16, count));
    let used = 0;
    for (let row = 0; row < count; row += 1) {
      if (row % rowsPerStep === 0) yield;
      const joined = joinedOf(row);
      if (!joined) {
        rowEnds[row] = used;
        continue;
      }
      for (const lexeme of joined.split(lexemeSeparator)) {
        let number = numbers.get(lexeme);
        if (number === undefined) {
          number = counts.length;
          // A part of a split may be a view of the whole text; the dictionary keeps a copy of its
          // own, so that it does not keep every row's joined text alive.
          numbers.set(ownCopy(lexeme), number);
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
    // Sorted by UTF-16 code units: a prefix's lexemes are one run in any lexicographic order. In
    // steps: a city's texts hold 100,000 distinct lexemes and more, whose sort in one piece held
    // the request thread 80 ms at 100k offers (docs/benchmarks.md, "The index load in slices").
    const lexemes = yield* sortInSteps([...numbers.keys()], rowsPerStep);
    const rank = new Uint32Array(lexemes.length);
    for (let position = 0; position < lexemes.length; position += 1) {
      if (position % rowsPerStep === 0) yield;
      rank[numbers.get(lexemes[position]!)!] = position;
    }
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
    return new LexemeField(lexemes, offsets, postings, count);
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

  /**
   * The rows that hold the lexeme (or, as a prefix, any lexeme beginning with it): ascending, each
   * once. One lexeme's postings are in row order already; several lexemes' are merged by one sort,
   * or, when they name many rows (a prefix as common as "berat": 46 % of the rows), marked in
   * `scratch` (one byte per row, left all zero) and read in row order: a sort of half a million
   * postings cost ≈ 60 ms at 1M offers, the pass over the rows ≈ 2 ms.
   */
  rowsOf(lexeme: string, prefix: boolean, scratch: () => Uint8Array): Uint32Array {
    const first = this.firstFrom(lexeme);
    let end = first;
    while (end < this.lexemes.length && (prefix ? this.lexemes[end]!.startsWith(lexeme) : this.lexemes[end] === lexeme)) end += 1;
    const from = this.offsets[first]!;
    const to = this.offsets[end]!;
    if (end - first > 1 && (to - from) * denseShare > this.rowCount) {
      const marks = scratch();
      for (let index = from; index < to; index += 1) marks[this.postings[index]!] = 1;
      const rows = new Uint32Array(to - from);
      let kept = 0;
      for (let row = 0; row < this.rowCount; row += 1) {
        if (marks[row] === 1) {
          rows[kept++] = row;
          marks[row] = 0;
        }
      }
      return rows.subarray(0, kept);
    }
    const postings = this.postings.slice(from, to);
    if (end - first > 1) postings.sort();
    return uniqueSorted(postings);
  }
}

/** Postings above this share of the rows (1 in 64) are merged by a pass over the rows, not a sort. */
const denseShare = 64;

/** An ascending list without its repeated entries (in place; the list's start). */
function uniqueSorted(list: Uint32Array): Uint32Array {
  if (list.length === 0) return list;
  let kept = 1;
  for (let index = 1; index < list.length; index += 1) if (list[index] !== list[kept - 1]) list[kept++] = list[index]!;
  return list.subarray(0, kept);
}

/** The rows in both ascending lists. */
function intersectSorted(a: Uint32Array, b: Uint32Array): Uint32Array {
  const both = new Uint32Array(Math.min(a.length, b.length));
  let kept = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i += 1;
    else if (a[i]! > b[j]!) j += 1;
    else {
      both[kept++] = a[i]!;
      i += 1;
      j += 1;
    }
  }
  return both.subarray(0, kept);
}

/** The rows in either ascending list, ascending and each once. */
function unionSorted(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const either = new Uint32Array(a.length + b.length);
  let kept = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) either[kept++] = a[i++]!;
    else if (a[i]! > b[j]!) either[kept++] = b[j++]!;
    else {
      either[kept++] = a[i++]!;
      j += 1;
    }
  }
  while (i < a.length) either[kept++] = a[i++]!;
  while (j < b.length) either[kept++] = b[j++]!;
  return either.subarray(0, kept);
}

/**
 * The stored lexemes of the index rows: what a row's text, endings and provider hold, each kind
 * joined by U+001F (`lexemeSeparator`; no lexeme holds a control character: the parser splits there).
 */
export interface TextRowLexemes {
  lexemes?: string;
  endings?: string;
  organizationLexemes?: string;
}

/** What joins a row's lexemes of one kind (search.repo.ts reads them joined by it). */
export const lexemeSeparator = '\u001f';

/** A row's lexemes of one kind, joined by `lexemeSeparator` (for callers that hold a list). */
export function joinLexemes(lexemes: readonly string[]): string {
  return lexemes.join(lexemeSeparator);
}

export interface TextIndex {
  /**
   * The rows (by their place in the build, ascending) matching every word, as the SQL's full-text
   * condition. Worked out from the lexemes' row lists: its cost follows the rows the words name, not
   * the index's size (a new word at 1M offers cost ≈ 100 ms as a pass over every row).
   */
  matchingRows(words: readonly TextWord[]): Uint32Array;
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

  /** One byte per row for `rowsOf`, all zero between calls (made on first use). */
  let marks: Uint8Array | null = null;
  const scratch = () => (marks ??= new Uint8Array(count));

  /** The rows where `field @@ node`, ascending. */
  function evaluate(field: LexemeField, node: TextNode): Uint32Array {
    if (node.kind === 'lexeme') return field.rowsOf(node.lexeme, node.prefix, scratch);
    const left = evaluate(field, node.left);
    const right = evaluate(field, node.right);
    return node.kind === 'and' ? intersectSorted(left, right) : unionSorted(left, right);
  }

  return {
    matchingRows(words) {
      let all: Uint32Array | null = null;
      for (const word of words) {
        // numnode(query) = 0: a word of stop words only is ignored, as in the SQL.
        if (word.query === null) continue;
        let one = unionSorted(evaluate(vector, word.query), evaluate(organization, word.query));
        if (word.ending) one = unionSorted(one, evaluate(endings, word.ending));
        all = all ? intersectSorted(all, one) : one;
        if (all.length === 0) break;
      }
      return all ?? Uint32Array.from({ length: count }, (_, row) => row);
    },
  };
}
