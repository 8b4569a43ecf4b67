import type { CliContext } from '../../server/cli/cli-context.ts';
import { cliCommands } from '../../server/cli/commands.ts';
import { createProgram } from '../../server/cli/program.ts';
import type { Config } from '../../server/config.ts';
import { createDatasetsService } from '../../server/datasets/datasets.service.ts';
import type { Database } from '../../server/db/connect.ts';
import { silentLogger, testConfig } from './app.ts';

export interface CliRun {
  /** The exit code the program set (0 when it set none). */
  code: number;
  output: string[];
  errors: string[];
}

/**
 * Runs the admin command line in this process against a test database, capturing stdout and
 * stderr (stdin is not a terminal here). The datasets come from the config's data directory, for
 * `city` (the config's city unless named).
 */
export async function runCli(database: Database, args: string[], options: { config?: Config; city?: string } = {}): Promise<CliRun> {
  const config = options.config ?? testConfig();
  const output: string[] = [];
  const errors: string[] = [];
  const context: CliContext = {
    config,
    logger: silentLogger,
    datasets: createDatasetsService({ geodataDir: config.geodataDir, city: options.city ?? config.city }),
    database: async () => database,
    out: (text) => output.push(text),
    err: (text) => errors.push(text),
    close: async () => undefined,
  };
  process.exitCode = undefined;
  await createProgram(cliCommands, () => context).parseAsync(['node', 'cli', ...args]);
  return { code: Number(process.exitCode ?? 0), output, errors };
}
