import type { Knex } from 'knex';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { indexChangesSteps, type IndexChanges } from './search-index-changes.ts';
import { searchIndexBuildSteps, type SearchIndex } from './search-index.ts';
import { createRowValues } from './search-row-values.ts';
import { listSearchIndexOrder, listSearchIndexRows, readSearchChanges, readSearchGeneration, type SearchIndexRow } from './search.repo.ts';

// The life cycle of the in-memory search index (docs/search.md): built in the background from all
// visible offers, switched to in one assignment, and dropped as stale when the database's change
// counter has moved past it. The counter is read at most once per interval, which bounds how stale
// an answer can be. The build runs in slices of a few milliseconds on the request thread: at 1M
// offers it takes 10–14 s of CPU, which blocked every request that long (issue 11, defect 5;
// docs/benchmarks.md, "Search index build"). While a stale index waits for its successor, it still
// answers the searches that no offer changed since touches (search-index-changes.ts).

/** How long one slice of a build may keep the request thread before other work runs. */
const buildSliceMs = 10;

/**
 * Rows per page of the index's read. The driver makes a page's rows into objects as they arrive,
 * and the young rows' collections come with them: pages of 20,000 held the request thread up to
 * 130–230 ms at a time at 100k offers, pages of 10,000 up to 120 ms, mostly under 80, in the same
 * load time; pages of 5,000 took a quarter longer (bench/search-index-load-stalls.ts;
 * docs/benchmarks.md, "The index load in slices").
 */
const defaultLoadPageRows = 10_000;

/**
 * Changed offers a stale index answers around (their rows read anew, search-index-changes.ts);
 * beyond, SQL answers every search until the new index is in use.
 */
const maxChangedOffers = 1000;

/**
 * Runs a stepped computation (a generator that pauses with `yield`), giving the event loop back
 * once a slice has taken `sliceMs`: requests that arrived meanwhile (I/O callbacks) run before the
 * next slice (`setImmediate` comes after the poll phase).
 */
export async function runInSlices<T>(steps: Generator<void, T, void>, sliceMs: number = buildSliceMs): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}

/** The index to answer from: current (`changes` null), or behind the data by `changes`. */
export interface IndexInUse {
  index: SearchIndex;
  changes: IndexChanges | null;
}

export interface SearchIndexCycle {
  /**
   * The index when it is current, or when it is stale and the offers changed since are known
   * (the caller asks SQL for the searches they touch); otherwise null. A stale index is rebuilt
   * in the background.
   */
  current(): Promise<IndexInUse | null>;
  /** Builds the index now if it is missing or stale; resolves whether it is in use. */
  warm(): Promise<boolean>;
  /**
   * Builds the index anew in the background, the one in use answering meanwhile (a build already
   * running does): for the search thread, which lost its copy when it stopped (search-thread.ts).
   */
  refresh(): void;
}

export interface SearchIndexCycleOptions {
  enabled: boolean;
  checkIntervalMs: number;
  /** The city whose offers the index holds (issue 13). */
  cityId?: string | undefined;
  /** Rows per page when the index reads the offers (default 10,000). */
  loadPageRows?: number;
  /**
   * How long a stale index whose changes are known answers around them before the rebuild starts
   * (default 0: at once). Edits that come in a burst then cost one build, not one each.
   */
  rebuildDelayMs?: number;
  /** Whether a stale index answers around the changes (default true); false: SQL answers until the new index is in use. */
  answerWhileStale?: boolean;
  /**
   * Called with the rows of each build before it (the build empties their lexemes); what it
   * returns is called with the index once it is in use (the search thread copies the rows and
   * builds the same index, search-thread.ts).
   */
  onRows?: ((rows: readonly SearchIndexRow[]) => Promise<(index: SearchIndex) => void>) | undefined;
}

/**
 * Keeps a page's rows by id, their repeated values shared (search-row-values.ts), in steps: at 1M
 * offers the sharing takes 25–60 ms per page of 20,000 rows, which in one piece would hold up the
 * requests waiting meanwhile.
 */
function* keepRows(page: SearchIndexRow[], shareValues: (row: SearchIndexRow) => void, byId: Map<string, SearchIndexRow>): Generator<void, void, void> {
  for (let index = 0; index < page.length; index += 1) {
    if (index % 1000 === 999) yield;
    const row = page[index]!;
    shareValues(row);
    byId.set(row.id, row);
  }
}

/**
 * All index rows, page by page (keyset on the row id). Between two pages other requests run — on
 * the embedded database also their statements, which share its one session. Without one snapshot
 * for all pages a change made meanwhile may be missing from the rows, but it moved the change
 * counter, which was read before the first page: the next check rebuilds (as for one statement).
 */
async function loadIndexRows(db: Knex, cityId: string | undefined, pageRows: number): Promise<SearchIndexRow[]> {
  const byId = new Map<string, SearchIndexRow>();
  const shareValues = createRowValues();
  let next: Promise<SearchIndexRow[]> | null = listSearchIndexRows(db, cityId, { afterId: null, limit: pageRows });
  while (next) {
    const page: SearchIndexRow[] = await next;
    // The next page is read while this one is kept: the database works meanwhile. Its failure is
    // thrown by the await above; the handler only keeps it from counting as unhandled when the
    // keeping fails first.
    next = page.length < pageRows ? null : listSearchIndexRows(db, cityId, { afterId: page[page.length - 1]!.id, limit: pageRows });
    next?.catch(() => undefined);
    await runInSlices(keepRows(page, shareValues, byId));
  }
  // The index keeps its rows in the order of a search without a place (by name, the database's
  // collation). A row read by one statement and not the other changed meanwhile: it moved the
  // change counter, so the next check rebuilds; until then it stands at the end.
  return runInSlices(inOrder(await listSearchIndexOrder(db, cityId), byId));
}

/**
 * The rows of `byId` in the order of `ids`, those not named there at the end; in steps (at 100k
 * offers the lookups took 100–130 ms in one piece).
 */
function* inOrder(ids: readonly string[], byId: Map<string, SearchIndexRow>): Generator<void, SearchIndexRow[], void> {
  const rows: SearchIndexRow[] = [];
  for (let index = 0; index < ids.length; index += 1) {
    if (index % 4096 === 4095) yield;
    const row = byId.get(ids[index]!);
    if (row === undefined) continue;
    rows.push(row);
    byId.delete(ids[index]!);
  }
  for (const row of byId.values()) rows.push(row);
  return rows;
}

interface ChangesReader {
  /**
   * The changes of `base` up to `generation`, read once and shared by the requests that ask
   * meanwhile (as the counter's check): null when the log cannot name the offers, or the read failed.
   */
  changesOf(base: SearchIndex, generation: number): Promise<IndexChanges | null>;
  /** Drops what was read (a new index is in use: the old one is not kept alive by it). */
  forget(): void;
}

/** Reads which offers changed since an index was built and their rows now, once per generation of the counter. */
function createChangesReader(
  db: Knex,
  cityId: string | undefined,
  inUse: () => SearchIndex | null,
  onGeneration: (generation: number) => void,
): ChangesReader {
  let read: { base: SearchIndex; generation: number; changes: IndexChanges | null } | null = null;
  let reading: { base: SearchIndex; done: Promise<void> } | null = null;
  const readNow = (base: SearchIndex, generation: number): Promise<void> =>
    (async () => {
      const found = await readSearchChanges(db, base.generation, maxChangedOffers);
      const rows = found.offerIds && found.offerIds.length > 0 ? await listSearchIndexRows(db, cityId, { offerIds: found.offerIds }) : [];
      const changes = found.offerIds ? await runInSlices(indexChangesSteps(base, found.offerIds, rows, found.generation)) : null;
      // Kept only while its index is in use: a read that ends after the switch to a new index
      // would otherwise keep the old one (hundreds of MB at 1M offers) alive.
      if (inUse() === base) read = { base, generation: found.generation, changes };
      onGeneration(found.generation);
    })()
      .catch(() => {
        // SQL answers the stale index's searches; the rebuild makes it current.
        if (inUse() === base) read = { base, generation, changes: null };
      })
      .finally(() => {
        reading = null;
      });
  const known = (base: SearchIndex, generation: number) => (read?.base === base && read.generation >= generation ? read : null);
  return {
    async changesOf(base, generation) {
      if (!known(base, generation)) {
        // A read for another index, or for an older generation, is waited for and then one more made.
        while (reading && !known(base, generation)) await reading.done;
        if (!known(base, generation)) {
          reading = { base, done: readNow(base, generation) };
          await reading.done;
        }
      }
      return known(base, generation)?.changes ?? null;
    },
    forget() {
      read = null;
    },
  };
}

export function createSearchIndexCycle(db: Knex, options: SearchIndexCycleOptions): SearchIndexCycle {
  let searchIndex: SearchIndex | null = null;
  /** The newest change counter read from the database (it only grows). */
  let knownGeneration = -1;
  let lastCheckAt = Number.NEGATIVE_INFINITY;
  let checking: Promise<void> | null = null;
  let building: Promise<void> | null = null;
  const changesReader = createChangesReader(db, options.cityId, () => searchIndex, (generation) => {
    knownGeneration = Math.max(knownGeneration, generation);
  });
  /** When the index in use was first seen stale (the rebuild delay counts from there). */
  let staleSince: number | null = null;

  function isCurrent(): boolean {
    return searchIndex !== null && searchIndex.generation >= knownGeneration;
  }

  /** Loads all visible offers in the background and switches to the new index in one assignment. */
  function startBuild(): Promise<void> {
    building ??= (async () => {
      // The counter is read before the rows: a change committed in between is in the rows and
      // moves the counter past this number, so the next check rebuilds once more (never less).
      const generation = await readSearchGeneration(db);
      const rows = await loadIndexRows(db, options.cityId, options.loadPageRows ?? defaultLoadPageRows);
      // The copy for the search thread is optional: if it fails, the index is built all the same.
      const inUse = await options.onRows?.(rows).catch(() => undefined);
      const built = await runInSlices(searchIndexBuildSteps(rows, generation));
      if (searchIndex === null || generation >= searchIndex.generation) {
        searchIndex = built;
        staleSince = null;
        changesReader.forget();
        inUse?.(built);
      }
      knownGeneration = Math.max(knownGeneration, generation);
    })()
      .catch(() => {
        // The SQL path answers meanwhile; the next check tries again.
      })
      .finally(() => {
        building = null;
      });
    return building;
  }

  /**
   * For a stale index: the changes to answer around (read once per generation, and awaited as the
   * counter's check is), and the rebuild when due.
   */
  async function staleChanges(): Promise<IndexChanges | null> {
    staleSince ??= Date.now();
    if (Date.now() - staleSince >= (options.rebuildDelayMs ?? 0)) void startBuild();
    const changes = searchIndex && options.answerWhileStale !== false ? await changesReader.changesOf(searchIndex, knownGeneration) : null;
    // Without changes to answer around, SQL answers until the rebuild, which starts now.
    if (!changes) void startBuild();
    return changes;
  }

  /** At most one counter read per interval, shared by the requests that arrive meanwhile. */
  async function current(): Promise<IndexInUse | null> {
    if (!options.enabled) return null;
    if (checking === null && Date.now() - lastCheckAt >= options.checkIntervalMs) {
      lastCheckAt = Date.now();
      checking = readSearchGeneration(db)
        .then((generation) => {
          knownGeneration = Math.max(knownGeneration, generation);
        })
        .catch(() => {
          // Whether the index is current is unknown: drop it (SQL answers) and check again next time.
          searchIndex = null;
          lastCheckAt = Number.NEGATIVE_INFINITY;
        })
        .finally(() => {
          checking = null;
        });
    }
    if (checking) await checking;
    if (isCurrent()) return { index: searchIndex!, changes: null };
    // Stale or missing: rebuilt in the background; meanwhile the stale index answers around the
    // changes once they are read, and SQL the rest.
    const changes = await staleChanges();
    // The new index may have come in use while the changes were read.
    if (isCurrent()) return { index: searchIndex!, changes: null };
    return changes && changes.base === searchIndex ? { index: changes.base, changes } : null;
  }

  async function warm(): Promise<boolean> {
    if (!options.enabled) return false;
    lastCheckAt = Number.NEGATIVE_INFINITY;
    await current();
    if (!isCurrent()) await startBuild();
    return isCurrent();
  }

  function refresh(): void {
    if (options.enabled) void startBuild();
  }

  return { current, warm, refresh };
}
