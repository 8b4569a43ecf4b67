import { BackupError } from '../backup/backup.service.ts';
import { ConfigError } from '../config.ts';
import { CityFileError } from '../datasets/datasets.schema.ts';
import { DatabaseStartupError } from '../db/connect.ts';
import { ImportSetupError } from '../imports/imports.service.ts';
import { createCliContext, type CliContext } from './cli-context.ts';
import { cliCommands } from './commands.ts';
import { createProgram } from './program.ts';

let context: CliContext | undefined;
const getContext = (): CliContext => (context ??= createCliContext());

try {
  await createProgram(cliCommands, getContext).parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${error.problems.join('; ')}.\n`);
    process.exitCode = 78;
  } else if (error instanceof DatabaseStartupError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 69;
  } else if (error instanceof BackupError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else if (error instanceof CityFileError) {
    process.stderr.write(`City files: ${error.message}\n`);
    process.exitCode = 78;
  } else if (error instanceof ImportSetupError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
} finally {
  await context?.close();
}
