/**
 * The server process of the search benchmark (bench/search-load.ts starts it): the real app on
 * DATABASE_URL or an embedded PGlite data dir, logging off, on a free port. Prints one JSON line
 * {"port": N} when the geocoder index is loaded and the app listens. BENCH_GC_LOG names a file for
 * the long garbage collections.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { constants as perfConstants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import pino from 'pino';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { connectDatabase } from '../server/db/connect.ts';
import { createGeocodingService } from '../server/geocoding/geocoding.service.ts';
import { createAppServer } from '../server/http/app-server.ts';
import { searchThreadsOf } from '../server/search/search-thread.ts';

const dataDir = process.argv[2];
// BENCH_GC_LOG=file: one line per garbage collection of 50 ms or more (time since start, kind, ms),
// to tell the server's long pauses at a million offers apart from its searches.
const gcLog = process.env.BENCH_GC_LOG;
if (gcLog) {
  const kinds: Record<number, string> = {
    [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  // BENCH_GC_MIN_MS: the shortest collection logged (default 50 ms; 0 logs every one).
  const shortest = Number(process.env.BENCH_GC_MIN_MS ?? 50);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = kinds[(entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other';
      if (entry.duration >= shortest) fs.appendFileSync(gcLog, `${(entry.startTime / 1000).toFixed(1)} s ${kind} ${entry.duration.toFixed(0)} ms\n`);
    }
  }).observe({ entryTypes: ['gc'] });
}
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'production' });
const logger = pino({ level: 'silent' });
const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir, poolMax: 10 });
const geocoding = createGeocodingService({ db: database.knex, cityNames: ['Köln', 'Cologne'] });
await geocoding.warm();
// The search's worker threads as main.ts starts them (SEARCH_THREADS=false: none).
const searchThreads = searchThreadsOf(config, logger);
const server = createAppServer(createApp({ config, database, logger, geocoding, searchThreads }));
server.keepAliveTimeout = 65_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port, backend: database.backend })}\n`);

const stop = () => {
  server.closeAllConnections();
  server.close(() => void Promise.all([searchThreads?.close(), database.close()]).then(() => process.exit(0)));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
