import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { createWorkerClient } from '../shared/worker-client.ts';
import type { NetworkVersion } from '../streets/streets.service.ts';
import { createWalkingThread, type WalkingThread } from '../streets/walking-thread.ts';
import type { WalkableSegment } from '../streets/street-network.ts';
import { prepareBusyRefusal } from './search-prepare.ts';
import type { IndexFilter, SearchIndex } from './search-index.ts';
import { runInSlices } from './search-index-cycle.ts';
import type { WindowPage } from './search-window.ts';
import type { SearchIndexRow } from './search.repo.ts';

// The search thread (search.worker.ts): the walking-order window of searches near a place, found
// and walked in a worker thread on a copy of the index and of the street network. The window is
// most of such a search's CPU (the index's nearest matches and the walk: two thirds of a full-text
// search within 5 km); on the request thread it held up every other request that long, in the
// thread the request thread parses, answers and writes other requests meanwhile
// (docs/benchmarks.md, "The search near a place in worker threads").
//
// Each index the cycle builds is copied: the rows' fields the index reads (not names, addresses or
// texts shown) are sent in slices after the request thread's index is in use, and the thread
// builds the same index from them (same rows, same order: the same ordinals). The network goes
// once per version. A window asked of an index or network the thread does not hold yet gets null
// and the service finds it on the request thread, with the same answer.

/** The fields of an index row the index reads (search-index.ts): the rest is what results show. */
type IndexedFields = Pick<
  SearchIndexRow,
  'id' | 'offerId' | 'lon' | 'lat' | 'offerTypeId' | 'openingHours' | 'termIds' | 'languages' | 'costKind' | 'minAge' | 'maxAge' | 'lexemes' | 'endings' | 'organizationLexemes'
>;

export type SearchThreadRequest =
  | { kind: 'network'; signature: string; segments: readonly WalkableSegment[] }
  | { kind: 'rows'; copy: number; rows: IndexedFields[]; last: boolean }
  | {
      kind: 'window';
      id: number;
      copy: number;
      signature: string;
      /** The filter, its opening-hours values sent as a number once they were sent with one (`openValues`). */
      filter: ThreadFilter;
      /** The opening-hours values open at the asked minute, sent with the first window that has them. */
      openValues: { number: number; values: readonly string[] | null } | null;
      page: { offset: number; limit: number };
    };

/** The index's fields of a filter near a place, without `openingHoursIn` (sent apart, see `openValues`). */
export type ThreadFilter = Omit<IndexFilter, 'openingHoursIn'> & { origin: { lon: number; lat: number } };

/** What the thread answers to a window: the page, `busy` when it refused a new filter (503), or null when it does not hold that copy or network. */
export type SearchThreadAnswer = { page: WindowPage } | { busy: true } | null;

export type SearchThreadEvent = { networkReady: string } | { copyReady: number };

export interface SearchThread {
  /**
   * Copies the rows of an index about to be built (before the build empties their lexemes); the
   * returned function is called with the index once it is in use, and sends the copy.
   */
  copyRows(rows: readonly SearchIndexRow[]): Promise<(index: SearchIndex) => void>;
  /** A page of the walking-order window from the thread; null when it does not hold this index or network yet. */
  window(index: SearchIndex, network: NetworkVersion, filter: IndexFilter & { origin: { lon: number; lat: number } }, page: { offset: number; limit: number }): Promise<WindowPage | null>;
  /**
   * Calls `rebuild` when the thread stopped while it held the index in use, once it may start
   * again (`restartAfterMs` after the stop): the owner builds the index anew (search-index-cycle.ts
   * `refresh`), which sends a new copy; at most once per 15 minutes. A thread that stopped while it
   * built a copy is given none until the data changes: the copy may be what stopped it.
   */
  onCopyLost(rebuild: () => void): void;
  /** Ends the thread as a failure would (worker-client.ts `interrupt`): for tests. */
  interrupt(): Promise<void>;
  close(): Promise<void>;
  /** How many windows the thread has answered. */
  readonly answered: number;
}

export interface SearchThreadOptions {
  detourFactor: number;
  logger?: Pick<Logger, 'warn'> | undefined;
  /** How long after a stop the thread may start again (default 10 s, worker-client.ts). */
  restartAfterMs?: number;
}

const entry = new URL('./search.worker.ts', import.meta.url);

/**
 * A thread that stopped while it held the index in use asks for a rebuild at most this often: a
 * rebuild reads every offer (minutes at 1M), and a thread that keeps stopping should not keep the
 * database busy with them.
 */
const copyLostRebuildEveryMs = 15 * 60_000;

/** Rows per message: ≈ 5 ms of the request thread to write, at 100k offers. */
const rowsPerMessage = 1000;

/** The index's fields of a filter (a search's filter holds its text and city too). */
function threadFilterOf(filter: IndexFilter & { origin: { lon: number; lat: number } }): ThreadFilter {
  const { cityId, origin, radiusMeters, offerTypeIds, targetGroupIds, fieldOfActionIds, accessibilityIds, languages, free, age, textWords } = filter;
  return { cityId, origin, radiusMeters, offerTypeIds, targetGroupIds, fieldOfActionIds, accessibilityIds, languages, free, age, textWords };
}

/** The indexed fields of rows, copied in steps (a few milliseconds each). */
function* indexedFieldsOf(rows: readonly SearchIndexRow[]): Generator<void, IndexedFields[], void> {
  const copied: IndexedFields[] = new Array<IndexedFields>(rows.length);
  for (let index = 0; index < rows.length; index += 1) {
    if (index % 4096 === 4095) yield;
    const { id, offerId, lon, lat, offerTypeId, openingHours, termIds, languages, costKind, minAge, maxAge, lexemes, endings, organizationLexemes } = rows[index]!;
    copied[index] = { id, offerId, lon, lat, offerTypeId, openingHours, termIds, languages, costKind, minAge, maxAge, lexemes, endings, organizationLexemes };
  }
  return copied;
}

/**
 * The opening-hours values open at a minute come as one array per index and minute (the service's
 * `openValuesOf`), hundreds of strings in a real city: each array is sent once with a number, which
 * later windows send instead (messages arrive in order, and a new thread starts without any:
 * `forget` when it stopped).
 */
function openValuesNumbering() {
  let sent = new WeakMap<readonly string[], number>();
  let next = 0;
  return {
    of(values: readonly string[] | null): { number: number; values: readonly string[] | null } | null {
      if (values === null) return null;
      const number = sent.get(values);
      if (number !== undefined) return { number, values: null };
      sent.set(values, next);
      return { number: next++, values };
    },
    forget(): void {
      sent = new WeakMap();
    },
  };
}

/** The owner's rebuild of a lost copy (`onCopyLost`): asked at most once per `copyLostRebuildEveryMs`, `afterMs` later, unless closed by then. */
function copyLostRebuilds(isClosed: () => boolean) {
  let rebuild: (() => void) | null = null;
  let askedAt = Number.NEGATIVE_INFINITY;
  return {
    listen(listener: () => void): void {
      rebuild = listener;
    },
    ask(afterMs: number): void {
      const listener = rebuild;
      if (!listener || isClosed() || Date.now() - askedAt < copyLostRebuildEveryMs) return;
      askedAt = Date.now();
      setTimeout(() => {
        if (!isClosed()) listener();
      }, afterMs).unref();
    },
  };
}

export function createSearchThread(options: SearchThreadOptions): SearchThread {
  let networkSent: string | null = null;
  let networkReady: string | null = null;
  /** The copy each index was sent as, the copy last sent, and the one the thread holds. */
  const copyOf = new WeakMap<SearchIndex, number>();
  let copySent = -1;
  let copyReady = -1;
  let nextCopy = 0;
  let answered = 0;
  let closed = false;
  const rebuilds = copyLostRebuilds(() => closed);
  const openValues = openValuesNumbering();
  const client = createWorkerClient<SearchThreadRequest, SearchThreadAnswer, SearchThreadEvent>({
    entry,
    data: { detourFactor: options.detourFactor },
    name: 'search thread',
    logger: options.logger,
    restartAfterMs: options.restartAfterMs,
    onEvent: (event) => {
      if ('networkReady' in event && event.networkReady === networkSent) networkReady = event.networkReady;
      if ('copyReady' in event && event.copyReady === copySent) copyReady = event.copyReady;
    },
    onStopped: () => {
      if (copyReady >= 0 && copyReady === copySent) rebuilds.ask(client.restartableIn());
      openValues.forget();
      networkSent = null;
      networkReady = null;
      copySent = -1;
      copyReady = -1;
    },
  });

  /** Sends a copy in messages of `rowsPerMessage`, a turn of the event loop between two; stops when a newer copy is sent. */
  async function send(copy: number, rows: IndexedFields[]): Promise<void> {
    if (!client.start()) return;
    copySent = copy;
    for (let start = 0; start < rows.length || start === 0; start += rowsPerMessage) {
      if (copySent !== copy || !client.running) return;
      const last = start + rowsPerMessage >= rows.length;
      client.post({ kind: 'rows', copy, rows: rows.slice(start, start + rowsPerMessage), last });
      if (last) return;
      await nextTurn();
    }
  }

  return {
    async copyRows(rows) {
      const copied = await runInSlices(indexedFieldsOf(rows));
      const copy = nextCopy++;
      return (index) => {
        copyOf.set(index, copy);
        void send(copy, copied);
      };
    },

    async window(index, network, filter, page) {
      const copy = copyOf.get(index);
      if (copy === undefined) return null;
      if (network.signature !== networkSent && client.start()) {
        networkSent = network.signature;
        networkReady = null;
        client.post({ kind: 'network', signature: network.signature, segments: network.segments });
      }
      if (copy !== copyReady || network.signature !== networkReady) return null;
      const answer = await client.request({ kind: 'window', id: 0, copy, signature: network.signature, filter: threadFilterOf(filter), openValues: openValues.of(filter.openingHoursIn), page });
      if (answer && 'busy' in answer) throw prepareBusyRefusal();
      if (answer) answered += 1;
      return answer?.page ?? null;
    },

    onCopyLost: (rebuild) => rebuilds.listen(rebuild),

    interrupt: () => client.interrupt(),

    close: () => {
      closed = true;
      return client.close();
    },

    get answered() {
      return answered;
    },
  };
}

/** The search's two threads: the window near a place (this module) and the walks outside it (walking-thread.ts). */
export interface SearchThreads {
  search: SearchThread;
  walking: WalkingThread;
  close(): Promise<void>;
}

/** Starts both (SEARCH_THREADS); each starts its worker when first given work. */
export function createSearchThreads(options: SearchThreadOptions): SearchThreads {
  const search = createSearchThread(options);
  const walking = createWalkingThread(options);
  return {
    search,
    walking,
    close: async () => {
      await Promise.all([search.close(), walking.close()]);
    },
  };
}

/** The search's threads as configured (`SEARCH_THREADS`, `WALKING_DETOUR_FACTOR`); none when turned off. */
export function searchThreadsOf(config: Pick<Config, 'searchThreads' | 'walkingDetourFactor'>, logger?: Pick<Logger, 'warn'>): SearchThreads | undefined {
  return config.searchThreads ? createSearchThreads({ detourFactor: config.walkingDetourFactor, logger }) : undefined;
}
