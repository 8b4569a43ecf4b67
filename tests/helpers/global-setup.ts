import fs from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { knexForPostgres } from '../../server/db/connect.ts';
import { buildTemplate, templateDatabaseName, type TestTemplate } from './template.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseTemplate: string;
  }
}

/**
 * The template of this run, built once for every project that lists this setup (they run in one
 * process) and removed when the last of them is torn down.
 */
const shared = globalThis as typeof globalThis & { angebotsatlasTestTemplate?: { template: Promise<TestTemplate>; users: number } };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!shared.angebotsatlasTestTemplate) {
    const started = Date.now();
    const building = buildTemplate().then((built) => {
      process.stdout.write(
        `[test database] ${built.kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'} template ready in ${Date.now() - started} ms\n`,
      );
      return built;
    });
    shared.angebotsatlasTestTemplate = { template: building, users: 0 };
  }
  const entry = shared.angebotsatlasTestTemplate;
  entry.users += 1;
  const template = await entry.template;
  project.provide('databaseTemplate', JSON.stringify(template));
  return async () => {
    entry.users -= 1;
    if (entry.users > 0) return;
    shared.angebotsatlasTestTemplate = undefined;
    if (template.kind === 'pglite') {
      await fs.rm(path.dirname(template.dumpPath), { recursive: true, force: true });
    } else if (process.env.DATABASE_URL) {
      const admin = knexForPostgres(process.env.DATABASE_URL, 1);
      await admin.raw('drop database if exists ?? with (force)', [templateDatabaseName]).finally(() => admin.destroy());
    }
  };
}
