import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { PgliteRequest, PgliteResponse, PgliteWorkerData, SerializedDatabaseError } from './pglite-thread.ts';

// The embedded database runs here, on its own thread: a long statement (an import of 20,000 rows,
// a big spatial join) then keeps this thread busy, never the one that answers HTTP requests.

const port = parentPort;
if (!port) throw new Error('pglite.worker.ts must run as a worker thread');
const data = workerData as PgliteWorkerData;

const errorFields = ['code', 'detail', 'hint', 'constraint', 'table', 'column', 'schema', 'dataType', 'severity', 'position', 'where', 'routine'] as const;

function serializeError(error: unknown): SerializedDatabaseError {
  const source = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as Record<string, unknown>;
  const serialized: SerializedDatabaseError = {
    name: typeof source.name === 'string' ? source.name : 'Error',
    message: typeof source.message === 'string' ? source.message : String(error),
  };
  for (const field of errorFields) {
    const value = source[field];
    if (typeof value === 'string') serialized[field] = value;
  }
  return serialized;
}

async function open(): Promise<PGlite> {
  const instance = new PGlite({
    ...(data.dataDir ? { dataDir: data.dataDir } : {}),
    ...(data.loadDataDir ? { loadDataDir: new Blob([data.loadDataDir]) } : {}),
    extensions: { postgis },
    // bigint and numeric as numbers, as on PostgreSQL (server/db/connect.ts)
    parsers: {
      20: (value: string) => Number(value),
      1700: (value: string) => Number(value),
    },
  });
  await instance.waitReady;
  return instance;
}

const ready = open();

function reply(message: PgliteResponse, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

ready.then(
  () => reply({ id: 0, ok: true, result: null }),
  (error: unknown) => reply({ id: 0, ok: false, error: serializeError(error) }),
);

port.on('message', (request: PgliteRequest) => {
  void (async () => {
    try {
      const instance = await ready;
      switch (request.kind) {
        case 'query':
          reply({ id: request.id, ok: true, result: await instance.query(request.sql, request.params, request.options) });
          return;
        case 'exec':
          reply({ id: request.id, ok: true, result: await instance.exec(request.sql, request.options) });
          return;
        case 'dump': {
          const dump = await (await instance.dumpDataDir(request.compression)).arrayBuffer();
          reply({ id: request.id, ok: true, result: dump }, [dump]);
          return;
        }
        case 'ping':
          reply({ id: request.id, ok: true, result: null });
          return;
        case 'close':
          if (!instance.closed) await instance.close();
          reply({ id: request.id, ok: true, result: null });
          return;
      }
    } catch (error) {
      reply({ id: request.id, ok: false, error: serializeError(error) });
    }
  })();
});
