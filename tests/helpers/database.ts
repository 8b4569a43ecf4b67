import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { inject } from 'vitest';
import { connectDatabase, knexForPglite, knexForPostgres, type Database, type EmbeddedInstance } from '../../server/db/connect.ts';
import { openPgliteThread } from '../../server/db/pglite-thread.ts';
import { withDatabase } from './template.ts';

export interface TestDatabase {
  database: Database;
  destroy(): Promise<void>;
}

type Template = { kind: 'pglite'; dumpPath: string } | { kind: 'postgresql'; name: string };

/**
 * An isolated, migrated and seeded database for one test file: a restored copy of the
 * template on the embedded database, `CREATE DATABASE … TEMPLATE` on PostgreSQL.
 */
export async function createTestDatabase(options: { embeddedThread?: boolean } = {}): Promise<TestDatabase> {
  const template = JSON.parse(inject('databaseTemplate')) as Template;
  if (template.kind === 'postgresql') {
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) throw new Error('the PostgreSQL template needs DATABASE_URL');
    const name = `angebotsatlas_test_${randomBytes(6).toString('hex')}`;
    const admin = knexForPostgres(databaseUrl, 1);
    try {
      await admin.raw('create database ?? template ??', [name, template.name]);
    } finally {
      await admin.destroy();
    }
    const database = await connectDatabase({ databaseUrl: withDatabase(databaseUrl, name), poolMax: 5 });
    return {
      database,
      destroy: async () => {
        await database.close();
        const cleanup = knexForPostgres(databaseUrl, 1);
        await cleanup.raw('drop database if exists ?? with (force)', [name]).finally(() => cleanup.destroy());
      },
    };
  }
  const dump = await fs.readFile(template.dumpPath);
  // The server runs the embedded database in a worker thread (server/db/pglite-thread.ts); tests do
  // the same unless they ask otherwise or TEST_EMBEDDED_THREAD=false.
  const thread = options.embeddedThread ?? process.env.TEST_EMBEDDED_THREAD !== 'false';
  let instance: EmbeddedInstance;
  if (thread) {
    const buffer = dump.buffer.slice(dump.byteOffset, dump.byteOffset + dump.byteLength) as ArrayBuffer;
    instance = await openPgliteThread({ loadDataDir: buffer });
  } else {
    const inline = new PGlite({ loadDataDir: new Blob([dump]), extensions: { postgis } });
    await inline.waitReady;
    instance = inline;
  }
  const knex = knexForPglite(instance);
  const database: Database = {
    knex,
    backend: 'pglite',
    pglite: instance,
    ...('ping' in instance ? { ping: () => instance.ping() } : {}),
    close: async () => {
      await knex.destroy();
      if (!instance.closed) await instance.close();
    },
  };
  return { database, destroy: () => database.close() };
}
