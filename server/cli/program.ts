import { Command } from 'commander';
import type { CliCommand } from './cli-command.ts';
import type { CliContext } from './cli-context.ts';

export function createProgram(commands: readonly CliCommand[], context: () => CliContext): Command {
  const program = new Command()
    .name('npm run cli --')
    .description('Angebotsatlas administration: datasets, imports and more.')
    .showHelpAfterError()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  for (const command of commands) command.register(program, context);
  return program;
}
