import type { Knex } from 'knex';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { searchIndexBuildSteps, type SearchIndex } from './search-index.ts';
import { createRowValues } from './search-row-values.ts';
import { listSearchIndexOrder, listSearchIndexRows, readSearchGeneration, type SearchIndexRow } from './search.repo.ts';

// The life cycle of the in-memory search index (docs/search.md): built in the background from all
// visible offers, switched to in one assignment, and dropped as stale when the database's change
// counter has moved past it. The counter is read at most once per interval, which bounds how stale
// an answer can be. The build runs in slices of a few milliseconds on the request thread: at 1M
// offers it takes 10–14 s of CPU, which blocked every request that long (issue 11, defect 5;
// docs/benchmarks.md, "Search index build").

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

export interface SearchIndexCycle {
  /** The index when it is current; otherwise null (a rebuild starts in the background). */
  current(): Promise<SearchIndex | null>;
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

export function createSearchIndexCycle(db: Knex, options: SearchIndexCycleOptions): SearchIndexCycle {
  let searchIndex: SearchIndex | null = null;
  /** The newest change counter read from the database (it only grows). */
  let knownGeneration = -1;
  let lastCheckAt = Number.NEGATIVE_INFINITY;
  let checking: Promise<void> | null = null;
  let building: Promise<void> | null = null;

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

  /** At most one counter read per interval, shared by the requests that arrive meanwhile. */
  async function current(): Promise<SearchIndex | null> {
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
    if (isCurrent()) return searchIndex;
    // Stale or missing: rebuild in the background and answer from SQL until it is current.
    void startBuild();
    return null;
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
