import { Worker, type WorkerOptions } from 'node:worker_threads';

const bootstrap = new URL('./worker-bootstrap.mjs', import.meta.url);

/** Starts a worker thread running the TypeScript module `entry` (a file URL), with `data` as its workerData. */
export function startTypeScriptWorker(entry: URL, data: Record<string, unknown>, options: Omit<WorkerOptions, 'workerData'> = {}): Worker {
  return new Worker(bootstrap, { ...options, workerData: { ...data, entry: entry.href } });
}
