import type { Logger } from 'pino';
import { createWorkerClient } from '../shared/worker-client.ts';
import type { Position } from './line-geometry.ts';
import type { WalkableSegment } from './street-network.ts';
import type { WalkingMeters } from './walking.ts';

// The search's walks in a worker thread (walking.worker.ts). A walk over the street network is a
// third to a half of a search's CPU near a place (docs/benchmarks.md, "The search near a place in
// worker threads"); on the request thread it held up every other request that long, in a worker
// the request thread parses, answers and writes other requests meanwhile. The search thread
// (server/search/search-thread.ts) walks its windows itself; this thread walks the rest (a window
// while the search thread copies a new index, pages from SQL). It holds a copy of the kernel's network,
// sent once per version; a walk asked for another version (the thread is still building it, or
// it stopped) gets null and the kernel walks on the request thread, with the same result
// (server/shared/worker-client.ts starts, restarts and stops the thread).

export type WalkingThreadRequest =
  | { kind: 'network'; signature: string; segments: readonly WalkableSegment[] }
  | {
      kind: 'walk';
      id: number;
      signature: string;
      origin: Position;
      lons: ArrayLike<number>;
      lats: ArrayLike<number>;
      /** The targets are places of a fixed list (the search index's rows): its id, size and each target's ordinal. */
      listed: { id: number; size: number; ordinals: ArrayLike<number> } | undefined;
      needed: number | undefined;
    };

/** The thread's event when it holds a version of the network. */
export interface NetworkReady {
  networkReady: string;
}

export interface WalkingThread {
  /** Sends a version of the network to the thread (it walks on it once built there). */
  setNetwork(signature: string, segments: readonly WalkableSegment[]): void;
  /**
   * Walking metres as `walkingMetersTo` gives them, over the thread's network of `signature`;
   * null when the thread does not hold that version (the caller walks itself).
   */
  walk(
    signature: string,
    origin: Position,
    lons: ArrayLike<number>,
    lats: ArrayLike<number>,
    options: { listed?: { list: object; size: number; ordinals: ArrayLike<number> } | undefined; needed?: number | undefined },
  ): Promise<WalkingMeters | null>;
  /** Stops the thread; walks asked afterwards get null. */
  close(): Promise<void>;
  /** How many walks the thread has answered (the rest ran on the calling thread). */
  readonly answered: number;
}

export interface WalkingThreadOptions {
  detourFactor: number;
  logger?: Pick<Logger, 'warn'>;
}

const entry = new URL('./walking.worker.ts', import.meta.url);

/** A number per list object (a search index version), for the thread's kept snapped places. */
function createListIds(): (list: object) => number {
  const ids = new WeakMap<object, number>();
  let next = 0;
  return (list) => {
    let id = ids.get(list);
    if (id === undefined) {
      id = next++;
      ids.set(list, id);
    }
    return id;
  };
}

export function createWalkingThread(options: WalkingThreadOptions): WalkingThread {
  /** The version the thread walks on (acknowledged), and the last one sent. */
  let readySignature: string | null = null;
  let sent: { signature: string; segments: readonly WalkableSegment[] } | null = null;
  const listIdOf = createListIds();
  let answered = 0;
  const client = createWorkerClient<WalkingThreadRequest, WalkingMeters | null, NetworkReady>({
    entry,
    data: { detourFactor: options.detourFactor },
    name: 'walking thread',
    logger: options.logger,
    onEvent: ({ networkReady }) => {
      if (networkReady === sent?.signature) readySignature = networkReady;
    },
    onStopped: () => {
      readySignature = null;
    },
  });

  function send(version: { signature: string; segments: readonly WalkableSegment[] }): void {
    sent = version;
    readySignature = null;
    if (client.start()) client.post({ kind: 'network', ...version });
  }

  return {
    setNetwork(signature, segments) {
      if (client.running && sent?.signature === signature) return;
      send({ signature, segments });
    },

    async walk(signature, origin, lons, lats, { listed, needed }) {
      // A thread that stopped (its error was logged) starts again with the last version sent.
      if (!client.running && sent !== null) send(sent);
      if (readySignature !== signature) return null;
      const list = listed ? { id: listIdOf(listed.list), size: listed.size, ordinals: listed.ordinals } : undefined;
      const walked = await client.request({ kind: 'walk', id: 0, signature, origin, lons, lats, listed: list, needed });
      if (walked) answered += 1;
      return walked;
    },

    close: () => client.close(),

    get answered() {
      return answered;
    },
  };
}
