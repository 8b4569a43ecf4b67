import fs from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { knexForPostgres } from '../../server/db/connect.ts';
import { buildTemplate, templateDatabaseName } from './template.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const template = await buildTemplate();
  process.stdout.write(
    `[test database] ${template.kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'} template ready in ${Date.now() - started} ms\n`,
  );
  project.provide('databaseTemplate', JSON.stringify(template));
  return async () => {
    if (template.kind === 'pglite') {
      await fs.rm(path.dirname(template.dumpPath), { recursive: true, force: true });
    } else if (process.env.DATABASE_URL) {
      const admin = knexForPostgres(process.env.DATABASE_URL, 1);
      await admin.raw('drop database if exists ?? with (force)', [templateDatabaseName]).finally(() => admin.destroy());
    }
  };
}
