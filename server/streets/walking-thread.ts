import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { startTypeScriptWorker } from '../shared/worker-url.ts';
import type { Position } from './line-geometry.ts';
import type { WalkableSegment } from './street-network.ts';
import type { WalkingMeters } from './walking.ts';

// The search's walks in a worker thread (walking.worker.ts). A walk over the street network is a
// third to a half of a search's CPU near a place (docs/benchmarks.md, "Walks in a thread"); on the
// request thread it held up every other request that long, in a worker the request thread parses,
// answers and writes other requests meanwhile. The thread holds a copy of the kernel's network,
// sent once per version; a walk asked for another version (the thread is still building it, or
// it stopped) gets null and the kernel walks on the request thread, with the same result.

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

export type WalkingThreadAnswer = { kind: 'network-ready'; signature: string } | { kind: 'walked'; id: number; walked: WalkingMeters | null };

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

/** A thread that stopped is started again by a later walk, at most this often. */
const restartAfterMs = 10_000;

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
  let worker: Worker | null = null;
  let closed = false;
  /** The version the thread walks on (acknowledged), and the last one sent. */
  let readySignature: string | null = null;
  let sent: { signature: string; segments: readonly WalkableSegment[] } | null = null;
  const pending = new Map<number, (walked: WalkingMeters | null) => void>();
  let nextId = 0;
  const listIdOf = createListIds();
  let startedAt = Number.NEGATIVE_INFINITY;
  let answered = 0;

  function stopped(error: unknown): void {
    if (error !== undefined) options.logger?.warn({ err: error }, 'walking thread stopped; walking on the request thread');
    worker = null;
    readySignature = null;
    for (const resolve of pending.values()) resolve(null);
    pending.clear();
  }

  function start(): Worker {
    startedAt = Date.now();
    const started = startTypeScriptWorker(entry, { detourFactor: options.detourFactor });
    // The thread never keeps the process alive: a server that closes its requests ends.
    started.unref();
    started.on('message', (answer: WalkingThreadAnswer) => {
      if (answer.kind === 'network-ready') {
        if (answer.signature === sent?.signature) readySignature = answer.signature;
        return;
      }
      const resolve = pending.get(answer.id);
      pending.delete(answer.id);
      if (answer.walked) answered += 1;
      resolve?.(answer.walked);
    });
    started.on('error', (error) => {
      if (worker === started) stopped(error);
    });
    started.on('exit', (code) => {
      if (worker === started) stopped(closed ? undefined : new Error(`the walking thread exited with code ${code}`));
    });
    return started;
  }

  function send(version: { signature: string; segments: readonly WalkableSegment[] }): void {
    sent = version;
    readySignature = null;
    worker ??= start();
    worker.postMessage({ kind: 'network', ...version } satisfies WalkingThreadRequest);
  }

  return {
    setNetwork(signature, segments) {
      if (closed || (worker !== null && sent?.signature === signature)) return;
      send({ signature, segments });
    },

    walk(signature, origin, lons, lats, { listed, needed }) {
      // A thread that stopped (its error was logged) starts again with the last version sent.
      if (worker === null && sent !== null && !closed && Date.now() - startedAt >= restartAfterMs) send(sent);
      if (worker === null || readySignature !== signature) return Promise.resolve(null);
      const id = nextId++;
      const list = listed ? { id: listIdOf(listed.list), size: listed.size, ordinals: listed.ordinals } : undefined;
      const request: WalkingThreadRequest = { kind: 'walk', id, signature, origin, lons, lats, listed: list, needed };
      const target = worker;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        target.postMessage(request);
      });
    },

    async close() {
      closed = true;
      const stopping = worker;
      stopped(undefined);
      if (stopping) await stopping.terminate();
    },

    get answered() {
      return answered;
    },
  };
}
