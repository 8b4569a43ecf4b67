// Filter columns of the in-memory search index (search-index.ts): the offers' taxonomy terms,
// languages, offer type and opening hours as numbers, so that a filter costs a few integer
// operations per point instead of string comparisons.

/** One value or none per point (offer type, opening hours): the value's number, -1 for none. */
export class ValueColumn {
  private readonly numbers = new Map<string, number>();
  private readonly data: Int32Array;
  /** The values by number: one string object per distinct value, shared by all its points. */
  private readonly byNumber: string[] = [];

  private constructor(count: number) {
    this.data = new Int32Array(count);
  }

  /** Builds the column, pausing (`yield`) every `slotsPerStep` points (search-index.ts builds in steps). */
  static *build(count: number, valueOf: (slot: number) => string | null, slotsPerStep: number): Generator<void, ValueColumn, void> {
    const column = new ValueColumn(count);
    for (let slot = 0; slot < count; slot += 1) {
      if (slot % slotsPerStep === 0) yield;
      const value = valueOf(slot);
      if (value === null) {
        column.data[slot] = -1;
        continue;
      }
      let number = column.numbers.get(value);
      if (number === undefined) {
        number = column.numbers.size;
        column.numbers.set(value, number);
        column.byNumber.push(value);
      }
      column.data[slot] = number;
    }
    return column;
  }

  /** The distinct values, in order of appearance. */
  values(): string[] {
    return [...this.byNumber];
  }

  /** A point's value (the shared string of its value), or null. */
  valueAt(slot: number): string | null {
    const number = this.data[slot]!;
    return number < 0 ? null : this.byNumber[number]!;
  }

  /** The wanted values as a lookup by number; null when no point has any of them. */
  wanted(values: readonly string[]): Uint8Array | null {
    const lookup = new Uint8Array(this.numbers.size);
    let known = false;
    for (const value of values) {
      const number = this.numbers.get(value);
      if (number === undefined) continue;
      lookup[number] = 1;
      known = true;
    }
    return known ? lookup : null;
  }

  has(slot: number, wanted: Uint8Array): boolean {
    const number = this.data[slot]!;
    return number >= 0 && wanted[number] === 1;
  }
}

/** Any number of values per point (taxonomy terms, languages): a bit set of a few 32-bit words. */
export class SetColumn {
  private readonly bits: Map<string, number>;
  private readonly words: number;
  private readonly data: Uint32Array;

  private constructor(bits: Map<string, number>, words: number, data: Uint32Array) {
    this.bits = bits;
    this.words = words;
    this.data = data;
  }

  /** Builds the column, pausing (`yield`) every `slotsPerStep` points (search-index.ts builds in steps). */
  static *build(count: number, valuesOf: (slot: number) => readonly string[], slotsPerStep: number): Generator<void, SetColumn, void> {
    // One pass numbers the values in order of appearance (one Map lookup per value: hashing the
    // strings is the expensive part); the bits then follow the sorted values, so the same data gives
    // the same bits whatever the order of the points.
    const seen = new Map<string, number>();
    const offsets = new Uint32Array(count + 1);
    let numbers = new Uint32Array(Math.max(count, 16));
    let used = 0;
    for (let slot = 0; slot < count; slot += 1) {
      if (slot % slotsPerStep === 0) yield;
      for (const value of valuesOf(slot)) {
        let number = seen.get(value);
        if (number === undefined) {
          number = seen.size;
          seen.set(value, number);
        }
        if (used === numbers.length) {
          const grown = new Uint32Array(numbers.length * 2);
          grown.set(numbers);
          numbers = grown;
        }
        numbers[used] = number;
        used += 1;
      }
      offsets[slot + 1] = used;
    }
    const bits = new Map<string, number>();
    const sorted = [...seen.keys()].sort();
    sorted.forEach((value, bit) => bits.set(value, bit));
    const bitOf = new Uint32Array(seen.size);
    for (const [value, number] of seen) bitOf[number] = bits.get(value)!;
    const words = Math.max(1, Math.ceil(bits.size / 32));
    const data = new Uint32Array(count * words);
    for (let slot = 0; slot < count; slot += 1) {
      if (slot % slotsPerStep === 0) yield;
      for (let index = offsets[slot]!; index < offsets[slot + 1]!; index += 1) {
        const bit = bitOf[numbers[index]!]!;
        data[slot * words + (bit >>> 5)]! |= 1 << (bit & 31);
      }
    }
    return new SetColumn(bits, words, data);
  }

  private mask(values: readonly string[]): { mask: Uint32Array; unknown: number } {
    const mask = new Uint32Array(this.words);
    let unknown = 0;
    for (const value of new Set(values)) {
      const bit = this.bits.get(value);
      if (bit === undefined) unknown += 1;
      else mask[bit >>> 5]! |= 1 << (bit & 31);
    }
    return { mask, unknown };
  }

  /** A mask for "any of these"; null when no point has any of them. */
  anyMask(values: readonly string[]): Uint32Array | null {
    const { mask, unknown } = this.mask(values);
    return unknown === new Set(values).size ? null : mask;
  }

  /** A mask for "all of these"; null when one of them is on no point. */
  allMask(values: readonly string[]): Uint32Array | null {
    const { mask, unknown } = this.mask(values);
    return unknown > 0 ? null : mask;
  }

  hasAny(slot: number, mask: Uint32Array): boolean {
    const base = slot * this.words;
    for (let word = 0; word < this.words; word += 1) if ((this.data[base + word]! & mask[word]!) !== 0) return true;
    return false;
  }

  hasAll(slot: number, mask: Uint32Array): boolean {
    const base = slot * this.words;
    for (let word = 0; word < this.words; word += 1) if ((this.data[base + word]! & mask[word]!) >>> 0 !== mask[word]) return false;
    return true;
  }
}
