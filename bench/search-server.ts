/**
 * The server process of the search benchmark (bench/search-load.ts starts it): the real app on
 * DATABASE_URL or an embedded PGlite data dir, logging off, on a free port. Prints one JSON line
 * {"port": N} when the geocoder index is loaded and the app listens.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { connectDatabase } from '../server/db/connect.ts';
import { createGeocodingService } from '../server/geocoding/geocoding.service.ts';

const dataDir = process.argv[2];
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'production' });
const logger = pino({ level: 'silent' });
const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir, poolMax: 10 });
const geocoding = createGeocodingService({ db: database.knex, cityNames: ['Köln', 'Cologne'] });
await geocoding.warm();
const server = http.createServer(createApp({ config, database, logger, geocoding }));
server.keepAliveTimeout = 65_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port, backend: database.backend })}\n`);

const stop = () => {
  server.closeAllConnections();
  server.close(() => void database.close().then(() => process.exit(0)));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
