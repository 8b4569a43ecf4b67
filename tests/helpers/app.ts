import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import pino from 'pino';
import { searchThreadsOf } from '../../server/search/search-thread.ts';
import { createApp, type AppDependencies } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import type { Database } from '../../server/db/connect.ts';
import { createAppServer } from '../../server/http/app-server.ts';

export function testConfig(overrides: Partial<Config> = {}): Config {
  // The search index checks for changes on every request: tests write and read back at once.
  // One test file asks for many coverage figures from one address: the anonymous rate limit and the
  // work queue are tested on their own (tests/api/hardening-load.test.ts).
  return {
    ...loadConfig(
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        SEARCH_INDEX_CHECK_MS: '0',
        RATE_LIMIT_ANALYSIS_PER_MINUTE: '100000',
        WORK_QUEUE_LIMIT: '1000',
        // The real data is read from GEODATA_DIR when it is set, as the server does (README).
        ...(process.env.GEODATA_DIR ? { GEODATA_DIR: process.env.GEODATA_DIR } : {}),
      },
      '0.0.0-test',
    ),
    ...overrides,
  };
}

export const silentLogger = pino({ level: 'silent' });

export function createTestApp(
  database: Database,
  overrides: Partial<Config> = {},
  extra: Partial<Omit<AppDependencies, 'config' | 'database'>> = {},
): Express {
  return createApp({ config: testConfig(overrides), database, logger: silentLogger, ...extra });
}

/** Serves the real app (API and built client) on 127.0.0.1 with a random port, with the search's threads as main.ts starts them. */
export async function startTestServer(
  database: Database,
  overrides: Partial<Config> = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const config = testConfig(overrides);
  const searchThreads = searchThreadsOf(config);
  const server = createAppServer(createApp({ config, database, logger: silentLogger, searchThreads }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      await searchThreads?.close();
    },
  };
}
