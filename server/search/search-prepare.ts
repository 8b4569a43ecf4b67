import type { Message } from '../http/localized-validation.ts';
import { createBoundedTurns } from '../shared/bounded-turns.ts';
import { runInSlices } from './search-index-cycle.ts';
import type { IndexFilter, SearchIndex } from './search-index.ts';
import { busyRefusal, takeTurn } from './search-turns.ts';

// A filter the index has not seen costs its selection once (search-index.ts `prepare`): every
// point's columns tested, and its rows by name without a place (a new filter's first search at 1M
// offers took 30–70 ms, docs/benchmarks.md, "A new word apart"). An
// anonymous visitor can send new filters at will (types × target groups × languages × ages, and
// "open now" is new every minute), so that work runs in slices of a few milliseconds between the
// other requests, one filter at a time, a short line may wait, and a further one is refused with
// 503 and Retry-After (docs/security.md V11). Filters kept already cost nothing here.

export interface PrepareLimits {
  /** New filters prepared at the same time. */
  concurrency: number;
  /** New filters that may wait for a turn; one more is refused with 503. */
  maxWaiting: number;
}

export const defaultPrepareLimits: PrepareLimits = { concurrency: 1, maxWaiting: 16 };

const busyMessage: Message = {
  de: 'Der Server bereitet gerade zu viele neue Suchfilter vor; bitte in {retryAfter} Sekunden erneut versuchen.',
  en: 'The server is preparing too many new search filters right now; please try again in {retryAfter} seconds.',
};

export type PrepareIndex = (index: SearchIndex, filter: IndexFilter, options: { byName: boolean }) => Promise<void>;

/** Prepares a filter the index has not kept yet: in slices, taking turns (see above). */
export function createIndexPreparer(limits: PrepareLimits = defaultPrepareLimits): PrepareIndex {
  const turns = createBoundedTurns(limits.concurrency, limits.maxWaiting);
  return async (index, filter, options) => {
    if (index.prepare(filter, options) === null) return;
    await takeTurn(turns, busyMessage);
    try {
      // Asked again: a caller before in line may have prepared the same filter.
      const steps = index.prepare(filter, options);
      if (steps) await runInSlices(steps);
    } finally {
      turns.release();
    }
  };
}

/** What a caller gets when the search thread refused to prepare a new filter (search-thread.ts). */
export function prepareBusyRefusal(): Error {
  return busyRefusal(busyMessage);
}
