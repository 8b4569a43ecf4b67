import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase, knexForPostgres } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { seedReferenceData } from '../../seeds/reference-data.ts';

export const templateDatabaseName = 'angebotsatlas_test_template';

/** Where the template is: a dump of the embedded database, or a PostgreSQL database. */
export type TestTemplate = { kind: 'pglite'; dumpPath: string } | { kind: 'postgresql'; name: string };

/** Builds a migrated, seeded database once per test run; each test file then clones it. */
export async function buildTemplate(): Promise<TestTemplate> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const admin = knexForPostgres(databaseUrl, 1);
    try {
      await admin.raw('drop database if exists ?? with (force)', [templateDatabaseName]);
      await admin.raw('create database ??', [templateDatabaseName]);
    } finally {
      await admin.destroy();
    }
    const database = await connectDatabase({ databaseUrl: withDatabase(databaseUrl, templateDatabaseName), poolMax: 1 });
    try {
      await migrateToLatest(database.knex);
      await seedReferenceData(database.knex);
    } finally {
      await database.close();
    }
    return { kind: 'postgresql', name: templateDatabaseName };
  }
  const database = await connectDatabase({});
  await migrateToLatest(database.knex);
  await seedReferenceData(database.knex);
  if (!database.pglite) throw new Error('the embedded database has no PGlite instance');
  const dump = await database.pglite.dumpDataDir('gzip');
  const dumpPath = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'angebotsatlas-template-')), 'template.tar.gz');
  await fs.writeFile(dumpPath, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  return { kind: 'pglite', dumpPath };
}

export function withDatabase(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
