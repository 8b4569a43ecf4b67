import v8 from 'node:v8';
import { Piscina } from 'piscina';
import type { CoverageModel } from './coverage-compute.ts';
import type { CoverageComputer, CoverageRunResult, SerializedTask, SuggestTaskResult } from './coverage.task.ts';

/**
 * Coverage computations in worker threads (piscina): a what-if scenario with 100 points and a
 * 10 km walking reach keeps a core busy for seconds; on the request thread it held up every
 * other request, the health check included (docs/benchmarks.md, "Load"). The pool's queue is
 * bounded by the work queue in front of the routes (server/http/work-queue.ts).
 */
function sharedCopy(bytes: Uint8Array): Uint8Array {
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  shared.set(bytes);
  return shared;
}

export function createCoverageWorkerPool(options: { threads: number }): CoverageComputer {
  const pool = new Piscina({
    filename: new URL('./coverage.worker.mjs', import.meta.url).href,
    minThreads: 0,
    maxThreads: options.threads,
    // the model of the last question stays in the worker; an idle worker gives its memory back
    idleTimeout: 60_000,
  });
  // The model is serialized once per model object (the service keeps one per street network
  // version) into shared memory: a task hands the workers a view of the same bytes instead of a
  // copy of several megabytes, and a worker reads them only when new.
  const serialized = new WeakMap<CoverageModel, { key: number; bytes: Uint8Array }>();
  let nextKey = 1;
  function wrap<Task>(model: CoverageModel, task: Task): SerializedTask<Task> {
    let entry = serialized.get(model);
    if (!entry) {
      entry = { key: nextKey++, bytes: sharedCopy(v8.serialize(model)) };
      serialized.set(model, entry);
    }
    return { task, modelKey: entry.key, model: entry.bytes };
  }
  return {
    async run(model, task) {
      return (await pool.run(wrap(model, task))) as CoverageRunResult[];
    },
    async suggest(model, task) {
      return (await pool.run(wrap(model, task), { name: 'suggest' })) as SuggestTaskResult;
    },
    close: () => pool.destroy(),
  };
}
