import type { Worker } from 'node:worker_threads';
import type { QueryOptions, Results } from '@electric-sql/pglite';
import { startTypeScriptWorker } from '../shared/worker-url.ts';

type DumpCompression = 'none' | 'gzip' | 'auto';

export interface PgliteWorkerData {
  dataDir?: string | undefined;
  /** A database dump (dumpDataDir) to start from instead of a folder, as the tests do. */
  loadDataDir?: ArrayBuffer | undefined;
}

export type PgliteRequest =
  | { id: number; kind: 'query'; sql: string; params: unknown[] | undefined; options: QueryOptions | undefined }
  | { id: number; kind: 'exec'; sql: string; options: QueryOptions | undefined }
  | { id: number; kind: 'dump'; compression: DumpCompression | undefined }
  | { id: number; kind: 'ping' }
  | { id: number; kind: 'close' };

export interface SerializedDatabaseError {
  name: string;
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
  constraint?: string;
  table?: string;
  column?: string;
  schema?: string;
  dataType?: string;
  severity?: string;
  position?: string;
  where?: string;
  routine?: string;
}

/** A database thread that answered anything this recently counts as alive without a ping. */
const recentAnswerMs = 1000;

/**
 * How long one statement may keep the database thread busy before the health check asks it with a
 * ping (and reports it unavailable if that goes unanswered): an import's single statement takes
 * seconds on a loaded machine, a hung one never ends.
 */
const busyLimitMs = 60_000;

/** What a ping learned: the thread answered, or it is running a statement since `busyForMs`. */
export type PingResult = { state: 'answering' } | { state: 'busy'; busyForMs: number };

export type PgliteResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: SerializedDatabaseError };

/** A PostgreSQL error raised in the database thread, with the same fields (`code`, `constraint`, …) as PGlite's own. */
export class PgliteThreadError extends Error {
  code?: string;
  detail?: string;
  constraint?: string;
  table?: string;
  column?: string;
  constructor(serialized: SerializedDatabaseError) {
    super(serialized.message);
    Object.assign(this, serialized);
    this.name = serialized.name === 'Error' ? 'PgliteThreadError' : serialized.name;
  }
}

/** What a closed embedded database answers: PostgreSQL's `admin_shutdown` (57P01), as a stopped thread does. */
export function databaseClosedError(): Error & { code: string } {
  return Object.assign(new Error('The embedded database is closed.'), { code: '57P01' });
}

/**
 * The embedded database in a worker thread, with the part of PGlite's interface that knex-pglite,
 * the start-up checks and the dumps use (`waitReady`, `query`, `exec`, `dumpDataDir`, `close`).
 * PGlite runs a statement synchronously inside WebAssembly; on the request thread a 10 s import
 * froze every other request for 10 s (docs/benchmarks.md, "Load").
 */
export class PgliteThread {
  readonly waitReady: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private lastAnswerAt = Number.NEGATIVE_INFINITY;
  private exited = false;
  private closing: Promise<void> | undefined;

  constructor(data: PgliteWorkerData) {
    const transfer = data.loadDataDir ? [data.loadDataDir] : [];
    this.worker = startTypeScriptWorker(new URL('./pglite.worker.ts', import.meta.url), { ...data }, { transferList: transfer });
    let readyResolve!: () => void;
    let readyReject!: (error: Error) => void;
    this.waitReady = new Promise<void>((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    this.pending.set(0, { resolve: () => readyResolve(), reject: readyReject });
    this.worker.on('message', (message: PgliteResponse) => {
      this.lastAnswerAt = performance.now();
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.ok) waiting.resolve(message.result);
      else waiting.reject(new PgliteThreadError(message.error));
    });
    const failAll = (error: Error) => {
      this.exited = true;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', failAll);
    this.worker.on('exit', (code) => {
      failAll(Object.assign(new Error(`The embedded database thread stopped (exit code ${code}).`), { code: '57P01' }));
    });
  }

  get closed(): boolean {
    return this.exited || this.closing !== undefined;
  }

  private send<T>(request: PgliteRequest): Promise<T> {
    if (this.closed) {
      return Promise.reject(databaseClosedError());
    }
    return new Promise<T>((resolve, reject) => {
      this.pending.set(request.id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage(request);
    });
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.send<Results<T>>({ id: this.nextId++, kind: 'query', sql, params, options });
  }

  exec(sql: string, options?: QueryOptions): Promise<Results[]> {
    return this.send<Results[]>({ id: this.nextId++, kind: 'exec', sql, options });
  }

  /**
   * Answered by the database thread between two statements, without the (single) database session:
   * shows the database is alive while a long transaction holds the session. A thread that answered
   * anything in the last second is alive at once: during an import it answers every few hundred
   * milliseconds, and a ping would wait for the statement that is running. A thread that is running
   * a statement (one was sent and is not answered yet) is busy, not dead: a ping would wait for the
   * statement, so it is reported as busy at once — up to `busyLimitMs`, after which a ping decides
   * (issue 11, defect 5: a 20,000-row import confirm made the health check wait seconds).
   */
  async ping(): Promise<PingResult> {
    if (this.closed) throw databaseClosedError();
    const sinceAnswer = performance.now() - this.lastAnswerAt;
    if (sinceAnswer < recentAnswerMs) return { state: 'answering' };
    if (this.statementsInFlight > 0 && sinceAnswer < busyLimitMs) return { state: 'busy', busyForMs: Math.round(sinceAnswer) };
    await this.send<null>({ id: this.nextId++, kind: 'ping' });
    return { state: 'answering' };
  }

  /** Requests sent to the thread and not answered yet (the start-up's is not one). */
  private get statementsInFlight(): number {
    return this.pending.size - (this.pending.has(0) ? 1 : 0);
  }

  async dumpDataDir(compression?: DumpCompression): Promise<Blob> {
    const buffer = await this.send<ArrayBuffer>({ id: this.nextId++, kind: 'dump', compression });
    return new Blob([buffer]);
  }

  close(): Promise<void> {
    if (!this.closing) {
      const request = this.exited
        ? Promise.resolve()
        : this.send<void>({ id: this.nextId++, kind: 'close' }).catch(() => undefined);
      this.closing = request.then(async () => {
        this.exited = true;
        await this.worker.terminate();
      });
    }
    return this.closing;
  }
}

export async function openPgliteThread(data: PgliteWorkerData): Promise<PgliteThread> {
  const instance = new PgliteThread(data);
  try {
    await instance.waitReady;
  } catch (error) {
    await instance.close();
    throw error;
  }
  return instance;
}
