import path from 'node:path';
import { backupDatabase, checksums, restoreEmbedded, restorePostgres } from '../../backup/backup.service.ts';
import type { CliCommand } from '../cli-command.ts';
import { formatTable } from '../format.ts';

/**
 * `backup <file>` and `restore <file>` for the configured database (DATA_DIR or DATABASE_URL).
 * Both print every table with its row count and checksum: the two lists of a backup and its
 * restore are equal (docs/operations.md, "Backups").
 */
export const backupCommand: CliCommand = {
  register(program, context) {
    program
      .command('backup')
      .description('Write a backup of the database to <file> (embedded: PGlite dump, .tar.gz; PostgreSQL: pg_dump custom format).')
      .argument('<file>', 'where to write the backup')
      .action(async (file: string) => {
        const { config, database, out, err } = context();
        const opened = await database();
        const target = path.resolve(file);
        await backupDatabase(opened, target, { databaseUrl: config.databaseUrl });
        err(`backup written to ${target}`);
        const tables = await checksums(opened.knex);
        out(formatTable(['table', 'rows', 'checksum'], tables.map((table) => [table.table, String(table.rows), table.checksum])));
      });
    program
      .command('restore')
      .description('Replace the database with the backup in <file>; the embedded database keeps the old data directory beside it.')
      .argument('<file>', 'a file written by the backup command')
      .action(async (file: string) => {
        const { config, database, out, err } = context();
        const source = path.resolve(file);
        if (config.databaseUrl) {
          await restorePostgres(source, config.databaseUrl);
        } else {
          const { keptAs } = await restoreEmbedded(source, config.dataDir);
          if (keptAs) err(`the data directory before the restore is kept as ${keptAs}`);
        }
        err(`restored from ${source}`);
        const tables = await checksums((await database()).knex);
        out(formatTable(['table', 'rows', 'checksum'], tables.map((table) => [table.table, String(table.rows), table.checksum])));
      });
  },
};
