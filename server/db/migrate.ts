import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { projectRoot } from '../config.ts';

export const migrationsDirectory = path.join(projectRoot, 'migrations');

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Loads the dated migration files with dynamic import so that the same TypeScript files run
 * under tsx (npm start, CLI) and Vitest; knex's own loader would need a compiled copy.
 */
export class TypeScriptMigrationSource implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    const files = await fs.readdir(migrationsDirectory);
    return files.filter((file) => /^\d{14}_[a-z0-9_]+\.ts$/.test(file)).sort();
  }

  getMigrationName(migration: string): string {
    return migration;
  }

  async getMigration(migration: string): Promise<Knex.Migration> {
    const module = (await import(pathToFileURL(path.join(migrationsDirectory, migration)).href)) as MigrationModule;
    return { up: module.up, down: module.down };
  }
}

export const migrationConfig: Knex.MigratorConfig = {
  migrationSource: new TypeScriptMigrationSource(),
  tableName: 'knex_migrations',
};

export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}

export async function rollbackAll(knex: Knex): Promise<string[]> {
  const [, reverted] = (await knex.migrate.rollback(migrationConfig, true)) as [number, string[]];
  return reverted;
}
