import { sphereRadiusMeters } from '../streets/geodesic.ts';
import { SetColumn, ValueColumn } from './search-index-columns.ts';
import { buildTextIndexSteps, type TextWord } from './search-text.ts';
import type { SearchFilter, SearchIndexRow, SearchRow } from './search.repo.ts';

// The citizens' search answered from memory: every visible offer location in a grid of cells of
// about 200 m, with the columns of a result. Pure: built from rows, asked with
// the same filter as the SQL path (server/search/search.repo.ts), and answering alike: the same
// sphere distance (server/streets/geodesic.ts) as PostGIS's geography `<->` and ST_Distance(…, false), the same order
// (distance, then id), the radius cut at `distance <= radius`.

/** Runs stepped work (a generator that pauses with `yield`) to its end at once. */
function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The lexemes a row keeps after the build (none). */
const noLexemes = '';

function radians(degrees: number): number {
  return (Math.PI * degrees) / 180;
}

/**
 * What the index answers: the offer filters, the words of a full-text query as the database stemmed
 * them (search-text.ts), and a place (nearest first) or none (in the order of the rows: by name).
 */
export type IndexFilter = Omit<SearchFilter, 'origin' | 'text' | 'withOpeningHours'> & {
  origin: { lon: number; lat: number } | null;
  textWords?: readonly TextWord[] | null;
};

export interface IndexPage {
  /** The index's own row objects (not copies), nearest first. */
  rows: readonly SearchRow[];
  /** The distance of each row in metres (`distances[i]` of `rows[i]`); null without a place. */
  distances: Array<number | null>;
  /** Where each row stands in the rows the index was built from (callers may keep data by it). */
  ordinals: number[];
  /** [lon, lat] of each row, and its opening hours (one shared string per distinct value): what a
   * search needs of a row besides what callers keep by ordinal, without reading the row objects. */
  positions: Array<[number, number]>;
  openingHours: Array<string | null>;
  /** Every match within the radius, or of the whole city without a place (exact, never capped). */
  total: number;
}

/**
 * The nearest matches of a place, without building rows: what ordering them needs (the walking
 * order of the search, search-walking-order.ts), in typed arrays, nearest first (distance, then id).
 */
export interface NearestMatches {
  ordinals: Uint32Array;
  /** Airline metres, as `IndexPage.distances`. */
  distances: Float64Array;
  lons: Float64Array;
  lats: Float64Array;
  /** Every match within the radius, as `IndexPage.total`. */
  total: number;
}

export interface SearchIndex {
  /** The change counter of the data the index was built from. */
  readonly generation: number;
  readonly size: number;
  /** The distinct opening-hours values of the indexed offers (for "open now"). */
  readonly openingHoursValues: readonly string[];
  query(filter: IndexFilter, page: { limit: number; offset: number }): IndexPage;
  /** The first `limit` of `query(filter, { limit, offset: 0 })` as ordinals, distances and places, without rows. */
  nearest(filter: IndexFilter & { origin: { lon: number; lat: number } }, limit: number): NearestMatches;
  /** Every row matching a filter (its place ignored), as ordinals in the order of the rows (by name); kept per filter. */
  matchesByName(filter: IndexFilter): Uint32Array;
  /**
   * The work a filter not seen before costs (its selection, and its rows by name when `byName`),
   * as steps that pause every few thousand points (`runInSlices`), or null when it is kept
   * already: a caller runs them first, so that the other methods find the filter kept and a new
   * filter over a million offers does not hold the request thread for its whole time.
   */
  prepare(filter: IndexFilter, options: { byName: boolean }): Generator<void, void, void> | null;
  /** The page of these rows (ordinals), without distances; `total` as the caller counted it. */
  pageAt(ordinals: readonly number[], total: number): IndexPage;
  /** How many distinct offers the rows belong to: each has a number below this (numbered at the build). */
  readonly offerCount: number;
  /** The number of the offer of the row at this ordinal: a typed-array read, no string touched. */
  offerNumberAt(ordinal: number): number;
  /** The number of an offer by its id; undefined when no row of the index belongs to it. */
  offerNumberOf(offerId: string): number | undefined;
  /** The id (offer location) of the row at this ordinal. */
  idAt(ordinal: number): string;
  /** Whether the offer of the row at this ordinal has any lexeme in its text (`offers.search_vector`). */
  hasTextAt(ordinal: number): boolean;
  /**
   * How many of these rows (ordinals) match the filter, within its radius when it has a place
   * (`distance <= radius`, as `query` counts) and within `withinMeters` if given: the same test as
   * every other method, on a few rows (search-index-changes.ts). A filter not kept yet is made here
   * unless prepared (`prepare`).
   */
  countAmong(filter: IndexFilter, ordinals: Uint32Array, withinMeters?: number): number;
}

/** Packing of `nearest`'s candidates for a sort without a comparator: positions, scaled distances (2^10 · 2^43 = 2^53). */
const packedPositions = 2 ** 10;
const packedDistanceSpan = 2 ** 43;

/** A max-heap of the k smallest values seen (the k-th smallest is on top). */
class SmallestK {
  private values = new Float64Array(64);
  size = 0;
  capacity = 0;

  /** Empties the heap for the k smallest values (its storage is kept between queries). */
  reset(capacity: number): void {
    if (capacity > this.values.length) this.values = new Float64Array(capacity);
    this.capacity = capacity;
    this.size = 0;
  }

  /** The k-th smallest value so far, or Infinity while fewer than k were offered. */
  get bound(): number {
    return this.size < this.capacity ? Number.POSITIVE_INFINITY : this.values[0]!;
  }

  offer(value: number): void {
    const values = this.values;
    if (this.size < this.capacity) {
      let index = this.size;
      this.size += 1;
      while (index > 0) {
        const parent = (index - 1) >> 1;
        if (values[parent]! >= value) break;
        values[index] = values[parent]!;
        index = parent;
      }
      values[index] = value;
      return;
    }
    if (this.capacity === 0 || value >= values[0]!) return;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const larger = right < this.size && values[right]! > values[left]! ? right : left;
      if (values[larger]! <= value) break;
      values[index] = values[larger]!;
      index = larger;
    }
    values[index] = value;
  }
}

/**
 * One micrometre on the unit sphere: the margin between the cheap chord comparisons and the exact
 * distance. Both are computed to about 1e-8 m, so a point farther than this from a bound is on the
 * same side of it by either measure; only points inside the margin get the exact formula.
 */
const marginRadians = 1e-6 / sphereRadiusMeters;

/** Chord length on the unit sphere of a central angle (monotonic in the angle up to π). */
function chordOf(angle: number): number {
  if (angle >= Math.PI) return 2;
  if (angle <= 0) return 0;
  return 2 * Math.sin(angle / 2);
}

/** Grid cells in degrees: ≈ 220 m × 210 m in Cologne. */
const cellLat = 0.002;
const cellLon = 0.003;

function cellKey(x: number, y: number): number {
  // Cell indices stay within ±100,000 for any lon/lat; one safe integer keys the Map.
  return (x + 100_000) * 200_000 + (y + 100_000);
}

/** A query's origin: longitude in radians, the sine and cosine of its latitude, and its unit vector (z is sinLat). */
interface Origin {
  lon: number;
  sinLat: number;
  cosLat: number;
  x: number;
  y: number;
}

function originOf(origin: { lon: number; lat: number }): Origin {
  const lon = radians(origin.lon);
  const sinLat = Math.sin(radians(origin.lat));
  const cosLat = Math.cos(radians(origin.lat));
  return { lon, sinLat, cosLat, x: cosLat * Math.cos(lon), y: cosLat * Math.sin(lon) };
}

/** The radius in metres and as chords: points nearer than `surelyInside` are inside, farther than `surelyOutside` outside; between, the exact distance decides. */
interface Radius {
  meters: number;
  surelyInside: number;
  surelyOutside: number;
}

/**
 * The index. Points are stored cell by cell (a cell's points are neighbours in every array), each
 * cell with its centre and reach as unit-sphere vectors: the triangle inequality bounds the chord
 * from the origin to all of a cell's points at once. A search without filters counts the cells
 * that lie wholly inside the radius without looking at their points, and looks at the points of a
 * whole cell only when the cell may hold one of the nearest results.
 */
export function buildSearchIndex(rows: readonly SearchIndexRow[], generation: number): SearchIndex {
  return runToEnd(searchIndexBuildSteps(rows, generation));
}

/**
 * A filtered search near a place looks at each match instead of each cell in reach when the filter
 * has fewer than this many matches per cell in reach: a match costs a few multiplications, a cell
 * its centre's distance and, on the circle's edge, each of its points (bench/search-ab.ts --in-process).
 */
const matchesPerCellVisit = 4;

/**
 * The points a build step handles between two pauses: a few milliseconds (8,192 took 12–17 ms at
 * 100k offers on a quiet machine, 30–45 ms while the rows were being read; docs/benchmarks.md,
 * "The index load in slices").
 */
const pointsPerStep = 2048;

/** The rows a step of the full-text build handles: each row has a dozen lexemes or more to hash. */
const textRowsPerStep = 1024;

/**
 * The build of {@link buildSearchIndex} in steps: it pauses (`yield`) every few thousand points, so
 * that a caller can let other work run between the steps (server/search/search-index-cycle.ts): at
 * 1M offers the build takes 10–14 s of CPU, which must not block the request thread (issue 11,
 * defect 5).
 */
// eslint-disable-next-line max-lines-per-function -- the index factory: builds the typed arrays once and closes over them; query and the helpers are counted on their own
export function* searchIndexBuildSteps(rows: readonly SearchIndexRow[], generation: number): Generator<void, SearchIndex, void> {
  const count = rows.length;
  const cellX = (lon: number) => Math.floor(lon / cellLon);
  const cellY = (lat: number) => Math.floor(lat / cellLat);
  // Slots: the points ordered by cell key (column of cells, then row), in row order within a cell
  // (a counting sort over the few thousand distinct cells).
  const keys = new Float64Array(count);
  const cellNumber = new Map<number, number>();
  for (let index = 0; index < count; index += 1) {
    if (index % pointsPerStep === 0) yield;
    const key = cellKey(cellX(rows[index]!.lon), cellY(rows[index]!.lat));
    keys[index] = key;
    if (!cellNumber.has(key)) cellNumber.set(key, cellNumber.size);
  }
  const sortedKeys = Float64Array.from(cellNumber.keys()).sort();
  const rank = new Uint32Array(cellNumber.size);
  sortedKeys.forEach((key, position) => {
    rank[cellNumber.get(key)!] = position;
  });
  const firstSlot = new Uint32Array(sortedKeys.length + 1);
  const cellOfRow = new Uint32Array(count);
  for (let index = 0; index < count; index += 1) {
    if (index % pointsPerStep === 0) yield;
    cellOfRow[index] = rank[cellNumber.get(keys[index]!)!]!;
    firstSlot[cellOfRow[index]! + 1]! += 1;
  }
  for (let cell = 0; cell < sortedKeys.length; cell += 1) firstSlot[cell + 1]! += firstSlot[cell]!;
  const order = new Uint32Array(count);
  const fill = firstSlot.slice(0, sortedKeys.length);
  for (let index = 0; index < count; index += 1) {
    if (index % pointsPerStep === 0) yield;
    order[fill[cellOfRow[index]!]!] = index;
    fill[cellOfRow[index]!]! += 1;
  }
  const rowOfSlot = order;
  // The trigonometry of each point is computed once here, with the same expressions as
  // sphereDistanceMeters, so the distances are the same to the last bit. The unit vector of each
  // point gives the chord to the origin with three multiplications.
  const lonDegrees = new Float64Array(count);
  const latDegrees = new Float64Array(count);
  const lonRadians = new Float64Array(count);
  const sinLat = new Float64Array(count);
  const cosLat = new Float64Array(count);
  const unitX = new Float64Array(count);
  const unitY = new Float64Array(count);
  const cellStart: number[] = [];
  const cellX0: number[] = [];
  const cellY0: number[] = [];
  for (let slot = 0; slot < count; slot += 1) {
    if (slot % pointsPerStep === 0) yield;
    const rowIndex = order[slot]!;
    const row = rows[rowIndex]!;
    lonDegrees[slot] = row.lon;
    latDegrees[slot] = row.lat;
    lonRadians[slot] = radians(row.lon);
    sinLat[slot] = Math.sin(radians(row.lat));
    cosLat[slot] = Math.cos(radians(row.lat));
    unitX[slot] = cosLat[slot]! * Math.cos(lonRadians[slot]!);
    unitY[slot] = cosLat[slot]! * Math.sin(lonRadians[slot]!);
    const key = keys[rowIndex]!;
    if (slot === 0 || keys[order[slot - 1]!] !== key) {
      cellStart.push(slot);
      cellX0.push(cellX(row.lon));
      cellY0.push(cellY(row.lat));
    }
  }
  const cellCount = cellStart.length;
  const cellEnd = new Uint32Array(cellCount);
  const centreX = new Float64Array(cellCount);
  const centreY = new Float64Array(cellCount);
  const centreZ = new Float64Array(cellCount);
  const reach = new Float64Array(cellCount);
  for (let cell = 0; cell < cellCount; cell += 1) {
    if (cell % 64 === 0) yield;
    const first = cellStart[cell]!;
    const end = cell + 1 < cellCount ? cellStart[cell + 1]! : count;
    cellEnd[cell] = end;
    const lat = radians((cellY0[cell]! + 0.5) * cellLat);
    const lon = radians((cellX0[cell]! + 0.5) * cellLon);
    centreX[cell] = Math.cos(lat) * Math.cos(lon);
    centreY[cell] = Math.cos(lat) * Math.sin(lon);
    centreZ[cell] = Math.sin(lat);
    let farthest = 0;
    for (let slot = first; slot < end; slot += 1) {
      const dx = unitX[slot]! - centreX[cell]!;
      const dy = unitY[slot]! - centreY[cell]!;
      const dz = sinLat[slot]! - centreZ[cell]!;
      farthest = Math.max(farthest, Math.sqrt(dx * dx + dy * dy + dz * dz));
    }
    // Widened by far more than the rounding of these few operations.
    reach[cell] = farthest * (1 + 1e-12) + 1e-15;
  }
  const startOf = Uint32Array.from(cellStart);
  const cellKeys = Float64Array.from(cellX0, (x, cell) => cellKey(x, cellY0[cell]!));
  /** The first cell whose key is at least `key` (binary search). */
  const firstCellFrom = (key: number): number => {
    let low = 0;
    let high = cellCount;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cellKeys[middle]! < key) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  // The filter columns, in slot order.
  const rowAt = (slot: number) => rows[order[slot]!]!;
  const offerTypeColumn = yield* ValueColumn.build(count, (slot) => rowAt(slot).offerTypeId, pointsPerStep);
  const openingHoursColumn = yield* ValueColumn.build(count, (slot) => rowAt(slot).openingHours, pointsPerStep);
  const openingHoursValues = openingHoursColumn.values();
  const termColumn = yield* SetColumn.build(count, (slot) => rowAt(slot).termIds, pointsPerStep);
  const languageColumn = yield* SetColumn.build(count, (slot) => rowAt(slot).languages, pointsPerStep);
  const freeOfCharge = new Uint8Array(count);
  const minAge = new Float64Array(count);
  const maxAge = new Float64Array(count);
  for (let slot = 0; slot < count; slot += 1) {
    if (slot % pointsPerStep === 0) yield;
    const row = rowAt(slot);
    freeOfCharge[slot] = row.costKind === 'free' ? 1 : 0;
    minAge[slot] = row.minAge ?? Number.NEGATIVE_INFINITY;
    maxAge[slot] = row.maxAge ?? Number.POSITIVE_INFINITY;
  }
  // Scratch space of one query (queries run synchronously, one at a time).
  const matchSlots = new Uint32Array(count);
  const matchChords = new Float64Array(count);
  const wholeCells = new Uint32Array(cellCount);
  const wholeLower = new Float64Array(cellCount);
  const visit = new Uint32Array(cellCount);
  const nearest = new SmallestK();
  /** The candidates of `nearest()`: slots, exact distances and their order (grown as needed). */
  let candidateSlots = new Uint32Array(256);
  let candidateDistances = new Float64Array(256);
  let candidateOrder = new Uint32Array(256);
  let candidateKeys = new Float64Array(256);

  // Full text: the rows' stored lexemes, by the rows' place in the build. The build takes the rows
  // over: their joined lexemes are dropped once the dictionaries hold them.
  const textIndex = yield* buildTextIndexSteps(rows, textRowsPerStep);
  // Whether a row's offer has any text lexeme: ts_rank gives an empty text 0, another without the words not always.
  const hasLexemes = new Uint8Array(count);
  for (let ordinal = 0; ordinal < count; ordinal += 1) {
    if (ordinal % pointsPerStep === 0) yield;
    const row = rows[ordinal]!;
    hasLexemes[ordinal] = (row.lexemes?.length ?? 0) > 0 ? 1 : 0;
    // Assigned, not deleted: a deleted property would turn every row into a slow dictionary object.
    row.lexemes = noLexemes;
    row.endings = noLexemes;
    row.organizationLexemes = noLexemes;
  }
  // The offers numbered once, so that a question about many rows' offers (the ranks of full text
  // without a place: up to a million matches) reads numbers, not the rows' id strings (hashing and
  // a cache miss per row: 0.1 s at 100k offers, over a second at 1M; docs/benchmarks.md).
  const offerNumbers = new Map<string, number>();
  const offerNumberOfRow = new Uint32Array(count);
  for (let ordinal = 0; ordinal < count; ordinal += 1) {
    if (ordinal % pointsPerStep === 0) yield;
    const offerId = rows[ordinal]!.offerId;
    let number = offerNumbers.get(offerId);
    if (number === undefined) {
      number = offerNumbers.size;
      offerNumbers.set(offerId, number);
    }
    offerNumberOfRow[ordinal] = number;
  }
  const slotOfRow = new Uint32Array(count);
  for (let slot = 0; slot < count; slot += 1) {
    if (slot % pointsPerStep === 0) yield;
    slotOfRow[rowOfSlot[slot]!] = slot;
  }

  /**
   * Which points a filter keeps: their slots grouped by cell and each cell's running count, so that
   * a cell wholly inside the radius is counted with one subtraction, as without a filter, and a
   * cell on the circle's edge reads its matches alone. Computed once per distinct filter (and, for
   * "open now", per minute: the open values change) and kept. Full text starts from the rows its
   * words name (search-text.ts), so its cost follows the matches, not the index's size.
   */
  interface Selection {
    /** The matching slots, cell by cell (the cells in slot order). */
    slots: Uint32Array;
    /** Matches in the cells before each cell (`cellCounts[cell]`), `cellCounts[cellCount]` of all. */
    cellCounts: Uint32Array;
    /** The matching rows in the order of the rows (by name); from full text at once, else made on first use without a place. */
    byName: Uint32Array | null;
    /**
     * The unit vector of each match (x, y, z of `slots[i]` at 3i, 3i + 1, 3i + 2): a search near a
     * place reads its matches' positions in one run instead of three arrays over all points at
     * scattered places (docs/benchmarks.md, "A selection's positions in one run").
     */
    points: Float64Array;
  }
  const selections = new Map<string, { selection: Selection | null; bytes: number }>();
  /** What the kept selections may hold (their lists: 32 bytes per match, 4 per cell) and how many. */
  const selectionBytesLimit = 128e6;
  const selectionCountLimit = 256;
  let selectionBytes = 0;
  /** Counted with its list by name, made now or later (as long as the slots). */
  const bytesOf = (selection: Selection | null) => (selection ? 2 * selection.slots.byteLength + selection.cellCounts.byteLength + selection.points.byteLength : 0);

  /** The unit vectors of these slots, in their order (`Selection.points`), in steps. */
  function* pointsSteps(slots: Uint32Array): Generator<void, Float64Array, void> {
    const points = new Float64Array(3 * slots.length);
    for (let index = 0; index < slots.length; index += 1) {
      if (index % (4 * pointsPerStep) === 4 * pointsPerStep - 1) yield;
      const slot = slots[index]!;
      points[3 * index] = unitX[slot]!;
      points[3 * index + 1] = unitY[slot]!;
      points[3 * index + 2] = sinLat[slot]!;
    }
    return points;
  }

  /**
   * A selection of the slots passing `test` among `candidateRows` (ascending rows), or among all
   * slots. Candidates are looked at one by one when they are few; many (more than 1 in 8 rows) are
   * marked and the slots passed in order, which reads the columns in order (one by one, half a
   * million candidates at 1M offers cost ≈ 60 ms in cache misses).
   */
  function* selectionSteps(test: (slot: number) => boolean, candidateRows: Uint32Array | null): Generator<void, Selection, void> {
    const cellCounts = new Uint32Array(cellCount + 1);
    if (!candidateRows || candidateRows.length * 8 > count) {
      let marked: Uint8Array | null = null;
      if (candidateRows) {
        marked = new Uint8Array(count);
        for (let index = 0; index < candidateRows.length; index += 1) marked[candidateRows[index]!] = 1;
      }
      // Slot order is cell order: each cell's matches are one run.
      const kept = new Uint32Array(candidateRows ? candidateRows.length : count);
      let matched = 0;
      let stepEnd = pointsPerStep;
      for (let cell = 0; cell < cellCount; cell += 1) {
        if (startOf[cell]! >= stepEnd) {
          yield;
          stepEnd = startOf[cell]! + pointsPerStep;
        }
        for (let slot = startOf[cell]!; slot < cellEnd[cell]!; slot += 1) {
          if ((marked === null || marked[rowOfSlot[slot]!] === 1) && test(slot)) kept[matched++] = slot;
        }
        cellCounts[cell + 1] = matched;
      }
      const slots = kept.slice(0, matched);
      return { slots, cellCounts, byName: null, points: yield* pointsSteps(slots) };
    }
    // The candidates in row order (the order by name) and grouped by cell (a counting sort).
    const byName = new Uint32Array(candidateRows.length);
    let matched = 0;
    for (let index = 0; index < candidateRows.length; index += 1) {
      if (index % pointsPerStep === pointsPerStep - 1) yield;
      const row = candidateRows[index]!;
      if (!test(slotOfRow[row]!)) continue;
      byName[matched++] = row;
      cellCounts[cellOfRow[row]! + 1]! += 1;
    }
    for (let cell = 0; cell < cellCount; cell += 1) cellCounts[cell + 1]! += cellCounts[cell]!;
    const fill = cellCounts.slice(0, cellCount);
    const slots = new Uint32Array(matched);
    for (let index = 0; index < matched; index += 1) {
      const row = byName[index]!;
      slots[fill[cellOfRow[row]!]!++] = slotOfRow[row]!;
    }
    return { slots, cellCounts, byName: byName.slice(0, matched), points: yield* pointsSteps(slots) };
  }

  /** The key under which a filter's selection is kept; undefined: the filter keeps every point. */
  function selectionKeyOf(filter: IndexFilter): string | undefined {
    const { accessibilityIds, age, free } = filter;
    const textWords = textWordsOf(filter);
    const filtered =
      filter.offerTypeIds !== null ||
      filter.targetGroupIds !== null ||
      filter.fieldOfActionIds !== null ||
      accessibilityIds.length > 0 ||
      filter.languages !== null ||
      filter.openingHoursIn !== null ||
      free ||
      age !== null ||
      textWords !== null;
    if (!filtered) return undefined;
    return JSON.stringify([
      filter.offerTypeIds,
      filter.targetGroupIds,
      filter.fieldOfActionIds,
      accessibilityIds,
      filter.languages,
      free,
      age,
      filter.openingHoursIn,
      textWords,
    ]);
  }

  /** The words of full text that name rows (a word of stop words only names none). */
  function textWordsOf(filter: IndexFilter): readonly TextWord[] | null {
    return filter.textWords && filter.textWords.some((word) => word.query !== null) ? filter.textWords : null;
  }

  /** The kept selection of a key (made the most recently used), or undefined when none is kept. */
  function keptSelection(key: string): Selection | null | undefined {
    const known = selections.get(key);
    if (known === undefined) return undefined;
    // Most recently used last: the first entry is the one to drop.
    selections.delete(key);
    selections.set(key, known);
    return known.selection;
  }

  /** undefined: no filter; null: no point can match (an unknown code); else the points kept. */
  function selectionOf(filter: IndexFilter): Selection | null | undefined {
    const key = selectionKeyOf(filter);
    if (key === undefined) return undefined;
    const known = keptSelection(key);
    if (known !== undefined) return known;
    return runToEnd(newSelectionSteps(filter, key));
  }

  /** Makes and keeps the selection of a filter not kept yet, in steps (`selectionSteps`). */
  function* newSelectionSteps(filter: IndexFilter, key: string): Generator<void, Selection | null, void> {
    const { accessibilityIds, age, free } = filter;
    const textWords = textWordsOf(filter);
    // Each filter as a mask over the columns; null: no point can match (an unknown code).
    const offerTypes = filter.offerTypeIds ? offerTypeColumn.wanted(filter.offerTypeIds) : undefined;
    const targetGroups = filter.targetGroupIds ? termColumn.anyMask(filter.targetGroupIds) : undefined;
    const fieldsOfAction = filter.fieldOfActionIds ? termColumn.anyMask(filter.fieldOfActionIds) : undefined;
    const accessibility = accessibilityIds.length > 0 ? termColumn.allMask(accessibilityIds) : undefined;
    const languages = filter.languages ? languageColumn.anyMask(filter.languages) : undefined;
    const openingHours = filter.openingHoursIn ? openingHoursColumn.wanted(filter.openingHoursIn) : undefined;
    let selection: Selection | null = null;
    if (![offerTypes, targetGroups, fieldsOfAction, accessibility, languages, openingHours].includes(null)) {
      const test = (slot: number) =>
        (!offerTypes || offerTypeColumn.has(slot, offerTypes)) &&
        (!targetGroups || termColumn.hasAny(slot, targetGroups)) &&
        (!fieldsOfAction || termColumn.hasAny(slot, fieldsOfAction)) &&
        (!accessibility || termColumn.hasAll(slot, accessibility)) &&
        (!languages || languageColumn.hasAny(slot, languages)) &&
        (!openingHours || openingHoursColumn.has(slot, openingHours)) &&
        (!free || freeOfCharge[slot] === 1) &&
        (age === null || (minAge[slot]! <= age && maxAge[slot]! >= age));
      const candidateRows = textWords ? textIndex.matchingRows(textWords) : null;
      if (candidateRows) yield;
      selection = yield* selectionSteps(test, candidateRows);
    }
    // Made by another caller meanwhile (steps run between other requests): that one stays.
    const known = keptSelection(key);
    if (known !== undefined) return known;
    remember(key, selection);
    return selection;
  }

  /** Keeps a selection, dropping the least recently used beyond the limits. */
  function remember(key: string, selection: Selection | null): void {
    const bytes = bytesOf(selection);
    while (selections.size > 0 && (selections.size >= selectionCountLimit || selectionBytes + bytes > selectionBytesLimit)) {
      const [oldest, entry] = selections.entries().next().value!;
      selections.delete(oldest);
      selectionBytes -= entry.bytes;
    }
    selections.set(key, { selection, bytes });
    selectionBytes += bytes;
  }

  /** The matching rows in the order of the rows (lower(name), id), made on first use and kept with the selection. */
  function byNameOf(selection: Selection): Uint32Array {
    if (!selection.byName) runToEnd(byNameSteps(selection));
    return selection.byName!;
  }

  /** `byNameOf` in steps: the rows marked, then read in their order (no sort of the matches). */
  function* byNameSteps(selection: Selection): Generator<void, void, void> {
    const marked = new Uint8Array(count);
    const { slots } = selection;
    for (let index = 0; index < slots.length; index += 1) {
      if (index % pointsPerStep === pointsPerStep - 1) yield;
      marked[rowOfSlot[slots[index]!]!] = 1;
    }
    const byName = new Uint32Array(slots.length);
    let next = 0;
    for (let row = 0; row < count; row += 1) {
      if (row % (8 * pointsPerStep) === 8 * pointsPerStep - 1) yield;
      if (marked[row] === 1) byName[next++] = row;
    }
    selection.byName ??= byName;
  }

  /** Every ordinal, for a filter that keeps every row (made once). */
  let allOrdinals: Uint32Array | null = null;

  function pageAt(ordinals: readonly number[], total: number): IndexPage {
    return {
      total,
      rows: ordinals.map((ordinal) => rows[ordinal]!),
      distances: ordinals.map(() => null),
      ordinals: [...ordinals],
      positions: ordinals.map((ordinal) => [lonDegrees[slotOfRow[ordinal]!]!, latDegrees[slotOfRow[ordinal]!]!]),
      openingHours: ordinals.map((ordinal) => openingHoursColumn.valueAt(slotOfRow[ordinal]!)),
    };
  }

  /** A page without a place: the matching rows in the order of the rows (lower(name), id). */
  function byName(selection: Selection | undefined, page: { limit: number; offset: number }): IndexPage {
    if (selection) {
      const list = byNameOf(selection);
      const total = list.length;
      return pageAt(Array.from(list.subarray(Math.min(page.offset, total), Math.min(page.offset + page.limit, total))), total);
    }
    const ordinals: number[] = [];
    for (let ordinal = page.offset; ordinal < Math.min(page.offset + page.limit, count); ordinal += 1) ordinals.push(ordinal);
    return pageAt(ordinals, count);
  }

  /** earthDistanceMeters (server/streets/geodesic.ts), with the point's terms precomputed. */
  const exactDistance = (slot: number, origin: Origin): number => {
    const deltaLon = lonRadians[slot]! - origin.lon;
    const cosDeltaLon = Math.cos(deltaLon);
    const a1 = (cosLat[slot]! * Math.sin(deltaLon)) ** 2;
    const a2 = (origin.cosLat * sinLat[slot]! - origin.sinLat * cosLat[slot]! * cosDeltaLon) ** 2;
    const b = origin.sinLat * sinLat[slot]! + origin.cosLat * cosLat[slot]! * cosDeltaLon;
    return sphereRadiusMeters * Math.atan2(Math.sqrt(a1 + a2), b);
  };

  /**
   * The cells the circle may touch, into `visit`: those of its bounding box, or every cell when
   * that is fewer (a large radius) or the box is not a plain box (near a pole, across the
   * antimeridian). Returns how many.
   */
  const cellsInReach = (origin: { lon: number; lat: number }, radiusMeters: number): number => {
    const latDelta = ((radiusMeters / sphereRadiusMeters) * 180) / Math.PI;
    const maxAbsLat = Math.abs(origin.lat) + latDelta;
    let box: { x0: number; x1: number; y0: number; y1: number } | null = null;
    if (maxAbsLat < 89) {
      const lonDelta = latDelta / Math.cos(radians(maxAbsLat));
      const margin = 1.01;
      const west = origin.lon - lonDelta * margin;
      const east = origin.lon + lonDelta * margin;
      if (west >= -180 && east <= 180) {
        box = { x0: cellX(west), x1: cellX(east), y0: cellY(origin.lat - latDelta * margin), y1: cellY(origin.lat + latDelta * margin) };
      }
    }
    if (!box || box.x1 - box.x0 >= cellCount) {
      for (let cell = 0; cell < cellCount; cell += 1) visit[cell] = cell;
      return cellCount;
    }
    let visits = 0;
    // Cells are ordered by key, i.e. column by column: each column of the box is one run.
    for (let x = box.x0; x <= box.x1; x += 1) {
      const last = cellKey(x, box.y1);
      for (let cell = firstCellFrom(cellKey(x, box.y0)); cell < cellCount && cellKeys[cell]! <= last; cell += 1) {
        visit[visits] = cell;
        visits += 1;
      }
    }
    return visits;
  };

  /**
   * Keeps point `slot` as match number `matched` (into matchSlots/matchChords, offered to `nearest`)
   * if it lies within the radius; returns the matches kept then. The chord decides away from the
   * radius, the exact distance within the margin.
   */
  const keepIfWithin = (slot: number, x: number, y: number, z: number, origin: Origin, radius: Radius, matched: number): number => {
    const px = x - origin.x;
    const py = y - origin.y;
    const pz = z - origin.sinLat;
    const chord = Math.sqrt(px * px + py * py + pz * pz);
    if (chord > radius.surelyOutside) return matched;
    if (chord > radius.surelyInside && exactDistance(slot, origin) > radius.meters) return matched;
    matchSlots[matched] = slot;
    matchChords[matched] = chord;
    nearest.offer(chord);
    return matched + 1;
  };

  /**
   * Looks at the visited cells: points of cells that straddle the circle one by one, cells wholly
   * inside only counted (by the selection's running counts with a filter; into `wholeCells`, looked
   * at later if they may hold a result). Returns the matches kept, the cells set aside and the
   * count of every match.
   */
  const scanCells = (visits: number, origin: Origin, radius: Radius, selection: Selection | undefined): { matched: number; whole: number; total: number } => {
    // With a filter a cell's matches are read from the selection's matching slots: they lie between
    // the running counts of the cell and the next. At 1M offers a cell on the circle holds ≈ 75
    // points, of which a word of full text matches a few: looking at every point and its mask was
    // most of a search's time there (docs/benchmarks.md).
    const counts = selection?.cellCounts;
    const slots = selection?.slots;
    const points = selection?.points;
    // Plain locals in the loops: the origin's and the radius's fields read once.
    const { x: originX, y: originY, sinLat: originZ } = origin;
    const { surelyInside, surelyOutside } = radius;
    let matched = 0;
    let total = 0;
    let whole = 0;
    for (let visited = 0; visited < visits; visited += 1) {
      const cell = visit[visited]!;
      const dx = centreX[cell]! - originX;
      const dy = centreY[cell]! - originY;
      const dz = centreZ[cell]! - originZ;
      const toCentre = Math.sqrt(dx * dx + dy * dy + dz * dz);
      const lower = toCentre - reach[cell]!;
      if (lower > surelyOutside) continue;
      const inside = toCentre + reach[cell]! <= surelyInside;
      if (inside) {
        const inCell = counts ? counts[cell + 1]! - counts[cell]! : cellEnd[cell]! - startOf[cell]!;
        if (inCell === 0) continue;
        total += inCell;
        wholeCells[whole] = cell;
        wholeLower[whole] = lower;
        whole += 1;
        continue;
      }
      if (counts && slots && points) {
        for (let index = counts[cell]!, end = counts[cell + 1]!; index < end; index += 1) {
          matched = keepIfWithin(slots[index]!, points[3 * index]!, points[3 * index + 1]!, points[3 * index + 2]!, origin, radius, matched);
        }
      } else {
        for (let slot = startOf[cell]!; slot < cellEnd[cell]!; slot += 1) matched = keepIfWithin(slot, unitX[slot]!, unitY[slot]!, sinLat[slot]!, origin, radius, matched);
      }
    }
    return { matched, whole, total: total + matched };
  };

  /** Restores the min-heap order of `wholeLower` (and `wholeCells` with it) below `from`, in a heap of `size`. */
  const siftWholeDown = (from: number, size: number): void => {
    const cell = wholeCells[from]!;
    const lower = wholeLower[from]!;
    let index = from;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= size) break;
      if (child + 1 < size && wholeLower[child + 1]! < wholeLower[child]!) child += 1;
      if (wholeLower[child]! >= lower) break;
      wholeCells[index] = wholeCells[child]!;
      wholeLower[index] = wholeLower[child]!;
      index = child;
    }
    wholeCells[index] = cell;
    wholeLower[index] = lower;
  };

  /**
   * Adds the points of the whole cells set aside, nearest cell first, until the next cannot hold
   * one of the first `needed`. The cells are made a binary heap by their lower bound in place
   * (linear), and each round takes the nearest: a sparse filter within 5 km takes hundreds of
   * rounds over a thousand cells, where a scan per round cost 0.1 ms per search. Returns the
   * matches kept now.
   */
  const addWholeCells = (whole: number, matchedBefore: number, origin: Origin, needed: number, selection: Selection | undefined): number => {
    const { x: originX, y: originY, sinLat: originZ } = origin;
    // A cell's matches from the selection's matching slots, as in scanCells.
    const counts = selection?.cellCounts;
    const slots = selection?.slots;
    const points = selection?.points;
    let matched = matchedBefore;
    let remaining = needed > 0 ? whole : 0;
    for (let parent = (remaining >> 1) - 1; parent >= 0; parent -= 1) siftWholeDown(parent, remaining);
    while (remaining > 0) {
      if (wholeLower[0]! > nearest.bound + marginRadians) break;
      const cell = wholeCells[0]!;
      remaining -= 1;
      wholeCells[0] = wholeCells[remaining]!;
      wholeLower[0] = wholeLower[remaining]!;
      siftWholeDown(0, remaining);
      const first = counts ? counts[cell]! : startOf[cell]!;
      const end = counts ? counts[cell + 1]! : cellEnd[cell]!;
      for (let index = first; index < end; index += 1) {
        const slot = slots ? slots[index]! : index;
        const px = (points ? points[3 * index]! : unitX[slot]!) - originX;
        const py = (points ? points[3 * index + 1]! : unitY[slot]!) - originY;
        const pz = (points ? points[3 * index + 2]! : sinLat[slot]!) - originZ;
        const chord = Math.sqrt(px * px + py * py + pz * pz);
        matchSlots[matched] = slot;
        matchChords[matched] = chord;
        matched += 1;
        nearest.offer(chord);
      }
    }
    return matched;
  };

  // Ties by id (read only for ties): ids are lower-case UUIDs, so string order is PostgreSQL's uuid order.
  const idOf = (slot: number) => rows[rowOfSlot[slot]!]!.id;
  const byDistanceThenId = (a: { slot: number; distance: number }, b: { slot: number; distance: number }): number =>
    a.distance - b.distance || (idOf(a.slot) < idOf(b.slot) ? -1 : idOf(a.slot) > idOf(b.slot) ? 1 : 0);

  /**
   * The page: only the first offset + limit are ordered. The k-th smallest chord bounds them,
   * widened by the margin so that ties and rounding cannot leave out a point the exact order puts first.
   */
  const pageOf = (matched: number, origin: Origin, page: { limit: number; offset: number }, total: number): IndexPage => {
    const needed = page.offset + page.limit;
    const bound = nearest.bound + marginRadians;
    const candidates: Array<{ slot: number; distance: number }> = [];
    if (needed > 0) {
      for (let index = 0; index < matched; index += 1) {
        if (matchChords[index]! <= bound) {
          const slot = matchSlots[index]!;
          candidates.push({ slot, distance: exactDistance(slot, origin) });
        }
      }
    }
    candidates.sort(byDistanceThenId);
    const found = candidates.slice(page.offset, needed);
    return {
      total,
      rows: found.map(({ slot }) => rows[rowOfSlot[slot]!]!),
      distances: found.map(({ distance }) => distance),
      ordinals: found.map(({ slot }) => rowOfSlot[slot]!),
      positions: found.map(({ slot }): [number, number] => [lonDegrees[slot]!, latDegrees[slot]!]),
      openingHours: found.map(({ slot }) => openingHoursColumn.valueAt(slot)),
    };
  };

  /** The matches of a place into matchSlots/matchChords: enough to order the first `needed`; and the count of all within the radius. */
  const matchesNear = (
    place: { lon: number; lat: number },
    radiusMeters: number,
    origin: Origin,
    needed: number,
    selection: Selection | undefined,
  ): { matched: number; total: number } => {
    const radiusAngle = radiusMeters / sphereRadiusMeters;
    const radius: Radius = { meters: radiusMeters, surelyInside: chordOf(radiusAngle - marginRadians), surelyOutside: chordOf(radiusAngle + marginRadians) };
    const visits = cellsInReach(place, radiusMeters);
    nearest.reset(needed);
    // A filter with few matches for the cells in reach (within 5 km ≈ 1,800 cells are in reach:
    // at 100k offers "Kita" with 7,188 matches in the city) looks at each match instead of each cell.
    if (selection && selection.slots.length < visits * matchesPerCellVisit) return scanMatches(selection, origin, radius);
    const scanned = scanCells(visits, origin, radius, selection);
    return { matched: addWholeCells(scanned.whole, scanned.matched, origin, needed, selection), total: scanned.total };
  };

  /** The matches of a selection within the radius, into matchSlots/matchChords: all of them. */
  const scanMatches = ({ slots, points }: Selection, origin: Origin, radius: Radius): { matched: number; total: number } => {
    let matched = 0;
    for (let index = 0; index < slots.length; index += 1) {
      matched = keepIfWithin(slots[index]!, points[3 * index]!, points[3 * index + 1]!, points[3 * index + 2]!, origin, radius, matched);
    }
    return { matched, total: matched };
  };

  /** As pageOf for the first `limit`, into typed arrays: no object per candidate or row. */
  const nearestOf = (matched: number, origin: Origin, limit: number, total: number): NearestMatches => {
    const bound = nearest.bound + marginRadians;
    let candidates = 0;
    for (let index = 0; index < matched; index += 1) if (matchChords[index]! <= bound) candidates += 1;
    if (candidateOrder.length < candidates) {
      const size = Math.max(candidates, 2 * candidateOrder.length);
      candidateSlots = new Uint32Array(size);
      candidateDistances = new Float64Array(size);
      candidateOrder = new Uint32Array(size);
      candidateKeys = new Float64Array(size);
    }
    const slots = candidateSlots;
    const exact = candidateDistances;
    let next = 0;
    for (let index = 0; index < matched; index += 1) {
      if (matchChords[index]! <= bound) {
        slots[next] = matchSlots[index]!;
        exact[next] = exactDistance(matchSlots[index]!, origin);
        next += 1;
      }
    }
    const order = candidateOrder.subarray(0, candidates);
    const byDistanceThenIdAt = (a: number, b: number): number =>
      exact[a]! - exact[b]! || (idOf(slots[a]!) < idOf(slots[b]!) ? -1 : idOf(slots[a]!) > idOf(slots[b]!) ? 1 : 0);
    if (candidates <= packedPositions) {
      // Sorted as numbers without a comparator: each candidate's distance, scaled to 43 bits and
      // floored (never out of order), packed with its position; runs of one scaled distance are
      // then put in the exact order (distance, then id).
      let farthest = 0;
      for (let index = 0; index < candidates; index += 1) farthest = Math.max(farthest, exact[index]!);
      const scale = packedDistanceSpan / (farthest + 1);
      const keys = candidateKeys.subarray(0, candidates);
      for (let index = 0; index < candidates; index += 1) keys[index] = Math.floor(exact[index]! * scale) * packedPositions + index;
      keys.sort();
      for (let index = 0; index < candidates; index += 1) order[index] = keys[index]! % packedPositions;
      for (let first = 0; first < candidates; ) {
        const scaled = Math.floor(keys[first]! / packedPositions);
        let end = first + 1;
        while (end < candidates && Math.floor(keys[end]! / packedPositions) === scaled) end += 1;
        if (end - first > 1) order.subarray(first, end).sort(byDistanceThenIdAt);
        first = end;
      }
    } else {
      for (let index = 0; index < candidates; index += 1) order[index] = index;
      order.sort(byDistanceThenIdAt);
    }
    const size = Math.min(limit, candidates);
    const found: NearestMatches = {
      ordinals: new Uint32Array(size),
      distances: new Float64Array(size),
      lons: new Float64Array(size),
      lats: new Float64Array(size),
      total,
    };
    for (let position = 0; position < size; position += 1) {
      const candidate = order[position]!;
      const slot = slots[candidate]!;
      found.ordinals[position] = rowOfSlot[slot]!;
      found.distances[position] = exact[candidate]!;
      found.lons[position] = lonDegrees[slot]!;
      found.lats[position] = latDegrees[slot]!;
    }
    return found;
  };

  return {
    generation,
    size: count,
    openingHoursValues,
    pageAt,
    offerCount: offerNumbers.size,
    offerNumberAt: (ordinal) => offerNumberOfRow[ordinal]!,
    offerNumberOf: (offerId) => offerNumbers.get(offerId),
    idAt: (ordinal) => rows[ordinal]!.id,
    hasTextAt: (ordinal) => hasLexemes[ordinal] === 1,
    countAmong(filter, ordinals, withinMeters = filter.radiusMeters) {
      if (ordinals.length === 0) return 0;
      const selection = selectionOf(filter);
      if (selection === null) return 0;
      const origin = filter.origin ? originOf(filter.origin) : null;
      const reach = Math.min(filter.radiusMeters, withinMeters);
      let matching = 0;
      for (const ordinal of ordinals) {
        const slot = slotOfRow[ordinal]!;
        if (origin && exactDistance(slot, origin) > reach) continue;
        if (!selection) {
          matching += 1;
          continue;
        }
        // A selection's matching slots of a cell lie between the cell's running counts (scanCells).
        const cell = cellOfRow[ordinal]!;
        for (let index = selection.cellCounts[cell]!; index < selection.cellCounts[cell + 1]!; index += 1) {
          if (selection.slots[index] === slot) {
            matching += 1;
            break;
          }
        }
      }
      return matching;
    },
    prepare(filter, options) {
      const key = selectionKeyOf(filter);
      if (key === undefined) return null;
      const known = keptSelection(key);
      const needsByName = (selection: Selection | null | undefined) => options.byName && selection !== null && selection !== undefined && selection.byName === null;
      if (known !== undefined && !needsByName(known)) return null;
      return (function* () {
        const selection = known !== undefined ? known : yield* newSelectionSteps(filter, key);
        if (needsByName(selection)) yield* byNameSteps(selection!);
      })();
    },
    matchesByName(filter) {
      const selection = selectionOf(filter);
      if (selection === null) return new Uint32Array(0);
      if (selection) return byNameOf(selection);
      allOrdinals ??= Uint32Array.from({ length: count }, (_, ordinal) => ordinal);
      return allOrdinals;
    },
    query(filter, page) {
      const selection = selectionOf(filter);
      if (selection === null) return { rows: [], distances: [], ordinals: [], positions: [], openingHours: [], total: 0 };
      if (!filter.origin) return byName(selection, page);
      const origin = originOf(filter.origin);
      const { matched, total } = matchesNear(filter.origin, filter.radiusMeters, origin, page.offset + page.limit, selection);
      return pageOf(matched, origin, page, total);
    },
    nearest(filter, limit) {
      const selection = selectionOf(filter);
      if (selection === null || limit <= 0) {
        return { ordinals: new Uint32Array(0), distances: new Float64Array(0), lons: new Float64Array(0), lats: new Float64Array(0), total: 0 };
      }
      const origin = originOf(filter.origin);
      const { matched, total } = matchesNear(filter.origin, filter.radiusMeters, origin, limit, selection);
      return nearestOf(matched, origin, limit, total);
    },
  };
}
