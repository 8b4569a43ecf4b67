// Small-typo tolerance for street and place keys. Pure and allocation-free per call: it runs
// against every distinct key (about 5,500 in Cologne) when exact and prefix lookups found nothing.

const maxKeyLength = 256;
let rowBeforePrevious = new Int32Array(maxKeyLength + 1);
let previousRow = new Int32Array(maxKeyLength + 1);
let currentRow = new Int32Array(maxKeyLength + 1);

/**
 * Optimal-string-alignment distance (Damerau–Levenshtein with adjacent transpositions) between
 * `a` and `b` — or, with `prefix`, between `a` and the closest prefix of `b` — or `max + 1` as
 * soon as it is certain to exceed `max`.
 */
export function boundedEditDistance(a: string, b: string, max: number, prefix = false): number {
  if (a === b) return 0;
  const lengthA = a.length;
  const lengthB = prefix ? Math.min(b.length, lengthA + max) : b.length;
  if (!prefix && Math.abs(lengthA - lengthB) > max) return max + 1;
  if (prefix && lengthB < lengthA - max) return max + 1;
  if (lengthA === 0) return prefix ? 0 : lengthB;
  if (lengthB === 0) return lengthA <= max ? lengthA : max + 1;
  if (lengthA > maxKeyLength || lengthB > maxKeyLength) return max + 1;
  for (let j = 0; j <= lengthB; j += 1) previousRow[j] = j;
  for (let i = 1; i <= lengthA; i += 1) {
    currentRow[0] = i;
    let rowMinimum = i;
    const charA = a.charCodeAt(i - 1);
    const charABefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= lengthB; j += 1) {
      const charB = b.charCodeAt(j - 1);
      let value = previousRow[j - 1]! + (charA === charB ? 0 : 1);
      const deletion = previousRow[j]! + 1;
      if (deletion < value) value = deletion;
      const insertion = currentRow[j - 1]! + 1;
      if (insertion < value) value = insertion;
      if (j > 1 && charA === b.charCodeAt(j - 2) && charABefore === charB) {
        const transposition = rowBeforePrevious[j - 2]! + 1;
        if (transposition < value) value = transposition;
      }
      currentRow[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > max) return max + 1;
    const spare = rowBeforePrevious;
    rowBeforePrevious = previousRow;
    previousRow = currentRow;
    currentRow = spare;
  }
  if (!prefix) return Math.min(previousRow[lengthB]!, max + 1);
  let best = max + 1;
  for (let j = Math.max(0, lengthA - max); j <= lengthB; j += 1) {
    if (previousRow[j]! < best) best = previousRow[j]!;
  }
  return best;
}

/** How many edits a key of this length may have and still count as "the same name". */
export function allowedEdits(keyLength: number): number {
  if (keyLength < 5) return 0;
  if (keyLength < 10) return 1;
  return 2;
}

/** Letters present in a key, as bits (a–z, digits share one bit): a cheap filter before the distance. */
export function letterMask(key: string): number {
  let mask = 0;
  for (let index = 0; index < key.length; index += 1) {
    const code = key.charCodeAt(index);
    mask |= code >= 97 && code <= 122 ? 1 << (code - 97) : 1 << 26;
  }
  return mask;
}

function bitCount(value: number): number {
  let count = 0;
  let rest = value;
  while (rest) {
    rest &= rest - 1;
    count += 1;
  }
  return count;
}

/**
 * True when `query` cannot be within `max` edits of `key` (or of a prefix of it): each edit
 * brings in at most one letter that the key lacks.
 */
export function lettersRuleOut(queryMask: number, keyMask: number, max: number): boolean {
  return bitCount(queryMask & ~keyMask) > max;
}
