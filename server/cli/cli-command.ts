import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';

/**
 * A sub-command lives in its own module (server/cli/commands/<name>.command.ts) and registers
 * itself on the program; server/cli/commands.ts lists the modules. An action reports failure by
 * setting `process.exitCode`.
 */
export interface CliCommand {
  register(program: Command, context: () => CliContext): void;
}
