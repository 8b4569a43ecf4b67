import type { ResultJsonParts } from './search-json.ts';
import type { SearchIndex } from './search-index.ts';
import type { TaxonomyCache } from './search-taxonomy.ts';

// The JSON of an index row's own fields (search-json.ts), kept between searches by the row's place
// in the index (an array: no hashing, and the row object is not read), for one index and taxonomy
// version; at most `limit` rows (≈ 1 kB each), the oldest written leave first. Rows read by SQL get
// theirs written with the answer.

/** How many index rows keep their JSON between searches. */
const rowMemoryLimit = 20_000;

export interface RowMemory {
  index: SearchIndex;
  taxonomy: TaxonomyCache;
  byOrdinal: Array<ResultJsonParts | undefined>;
  /** The ordinals in the order they were written (a ring of `limit`). */
  written: Int32Array;
  next: number;
}

export interface AnswerCache {
  /** The memory of one index and taxonomy version (a new one when either changed). */
  memoryOf(index: SearchIndex, taxonomy: TaxonomyCache): RowMemory;
  remember(memory: RowMemory, ordinal: number, parts: ResultJsonParts): void;
}

export function createAnswerCache(limit = rowMemoryLimit): AnswerCache {
  let rowMemory: RowMemory | null = null;
  return {
    memoryOf(index, taxonomy) {
      if (rowMemory?.index !== index || rowMemory.taxonomy !== taxonomy) {
        rowMemory = { index, taxonomy, byOrdinal: new Array(index.size), written: new Int32Array(limit).fill(-1), next: 0 };
      }
      return rowMemory;
    },
    remember(memory, ordinal, parts) {
      const leaving = memory.written[memory.next]!;
      if (leaving >= 0) memory.byOrdinal[leaving] = undefined;
      memory.written[memory.next] = ordinal;
      memory.next = (memory.next + 1) % limit;
      memory.byOrdinal[ordinal] = parts;
    },
  };
}
