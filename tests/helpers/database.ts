import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { inject } from 'vitest';
import { connectDatabase, knexForPglite, knexForPostgres, type Database, type EmbeddedInstance } from '../../server/db/connect.ts';
import { openPgliteThread } from '../../server/db/pglite-thread.ts';
import { leaseEmbeddedDatabase } from './embedded-reuse.ts';
import { withDatabase, type TestTemplate } from './template.ts';

export interface TestDatabase {
  database: Database;
  destroy(): Promise<void>;
}

/**
 * An isolated, migrated and seeded database for one test file: a restored copy of the
 * template on the embedded database, `CREATE DATABASE … TEMPLATE` on PostgreSQL.
 */
export async function createTestDatabase(options: { embeddedThread?: boolean } = {}): Promise<TestDatabase> {
  const template = JSON.parse(inject('databaseTemplate')) as TestTemplate;
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
  // The server runs the embedded database in a worker thread (server/db/pglite-thread.ts); tests do
  // the same unless they ask otherwise or TEST_EMBEDDED_THREAD=false. A database on a thread is
  // handed from file to file within a worker (embedded-reuse.ts); a file holds it as a lease that
  // is closed for good with the file's database.
  const thread = options.embeddedThread ?? process.env.TEST_EMBEDDED_THREAD !== 'false';
  let instance: EmbeddedInstance;
  let release: () => Promise<void>;
  if (thread) {
    const lease = await leaseEmbeddedDatabase(async () => {
      const dump = await fs.readFile(template.dumpPath);
      const buffer = dump.buffer.slice(dump.byteOffset, dump.byteOffset + dump.byteLength) as ArrayBuffer;
      return openPgliteThread({ loadDataDir: buffer });
    });
    instance = lease;
    release = () => lease.close();
  } else {
    const dump = await fs.readFile(template.dumpPath);
    const inline = new PGlite({ loadDataDir: new Blob([dump]), extensions: { postgis } });
    await inline.waitReady;
    instance = inline;
    release = async () => {
      if (!inline.closed) await inline.close();
    };
  }
  const knex = knexForPglite(instance);
  // knex-pglite closes its database when knex is destroyed; closed once, however often asked.
  let closing: Promise<void> | undefined;
  const database: Database = {
    knex,
    backend: 'pglite',
    pglite: instance,
    ...('ping' in instance ? { ping: () => instance.ping() } : {}),
    close: () =>
      (closing ??= (async () => {
        await knex.destroy();
        await release();
      })()),
  };
  return { database, destroy: () => database.close() };
}
