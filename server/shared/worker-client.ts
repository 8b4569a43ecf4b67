import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { startTypeScriptWorker } from './worker-url.ts';

// One long-lived worker thread that holds state (a street network, a search index) and answers
// requests one at a time: the walking thread (server/streets/walking-thread.ts) and the search
// thread (server/search/search-thread.ts). Requests carry an id, the thread's answers
// `{ id, answer }`; other messages of the thread are events (`{ event }`). A thread that stops
// (an error, an exit) is logged, every waiting request gets null (its caller does the work
// itself), and the owner's `onStopped` forgets what the thread held; `start` starts a new one once
// `restartAfterMs` have passed since the stop.

export type WorkerMessage<Event, Answer> = { event: Event } | { id: number; answer: Answer };

export interface WorkerClientOptions<Event> {
  /** The TypeScript module the thread runs, and its workerData. */
  entry: URL;
  data: Record<string, unknown>;
  /** How the thread is named in the log. */
  name: string;
  logger?: Pick<Logger, 'warn'> | undefined;
  onEvent(event: Event): void;
  onStopped(): void;
  /** A thread that stopped is started again only this long after the stop (default 10 s). */
  restartAfterMs?: number;
}

export interface WorkerClient<Request, Answer> {
  readonly running: boolean;
  /** Starts the thread unless it runs, was closed, or stopped less than `restartAfterMs` ago; whether it runs now. */
  start(): boolean;
  /** Posts a message that gets no answer (the thread must run). */
  post(message: Request): void;
  /** Posts a request (its `id` is set here) and waits for its answer; null when the thread does not run or stops meanwhile. */
  request(message: Request & { id: number }): Promise<Answer | null>;
  /** Milliseconds until `start` may start the thread again after its last stop (0 when it may now). */
  restartableIn(): number;
  /** Ends the thread as a failure would (logged, waiting requests get null, `onStopped`): what tests use to check what a failure leaves behind. */
  interrupt(): Promise<void>;
  close(): Promise<void>;
}

/** How long after a stop a thread may be started again, unless the owner says otherwise. */
const defaultRestartAfterMs = 10_000;

export function createWorkerClient<Request, Answer, Event>(options: WorkerClientOptions<Event>): WorkerClient<Request, Answer> {
  let worker: Worker | null = null;
  let closed = false;
  let stoppedAt = Number.NEGATIVE_INFINITY;
  const pending = new Map<number, (answer: Answer | null) => void>();
  let nextId = 0;

  function stopped(error: Error | undefined): void {
    if (error) options.logger?.warn({ err: error, thread: options.name }, 'worker thread stopped; its work runs on the request thread');
    worker = null;
    stoppedAt = Date.now();
    for (const resolve of pending.values()) resolve(null);
    pending.clear();
    options.onStopped();
  }

  const restartableIn = (): number => Math.max(0, stoppedAt + (options.restartAfterMs ?? defaultRestartAfterMs) - Date.now());

  return {
    get running() {
      return worker !== null;
    },

    start() {
      if (worker || closed || restartableIn() > 0) return worker !== null;
      const started = startTypeScriptWorker(options.entry, options.data);
      // The thread never keeps the process alive: a server that closed its requests ends.
      started.unref();
      started.on('message', (message: WorkerMessage<Event, Answer>) => {
        if ('event' in message) {
          options.onEvent(message.event);
          return;
        }
        const resolve = pending.get(message.id);
        pending.delete(message.id);
        resolve?.(message.answer);
      });
      started.on('error', (error) => {
        if (worker === started) stopped(error);
      });
      started.on('exit', (code) => {
        if (worker === started) stopped(new Error(`the ${options.name} exited with code ${code}`));
      });
      worker = started;
      return true;
    },

    post(message) {
      worker?.postMessage(message);
    },

    request(message) {
      if (!worker) return Promise.resolve(null);
      const id = nextId++;
      message.id = id;
      const target = worker;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        target.postMessage(message);
      });
    },

    restartableIn,

    async interrupt() {
      // The 'exit' handler reports the stop, as for a thread that failed.
      await worker?.terminate();
    },

    async close() {
      closed = true;
      const stopping = worker;
      stopped(undefined);
      if (stopping) await stopping.terminate();
    },
  };
}
