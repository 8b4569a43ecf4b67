import type { CliCommand } from './cli-command.ts';
import { backupCommand } from './commands/backup.command.ts';
import { cityCommand } from './commands/city.command.ts';
import { departmentCommand } from './commands/department.command.ts';
import { datasetsCommand } from './commands/datasets.command.ts';
import { importCommand } from './commands/import.command.ts';
import { loadCityCommand } from './commands/load-city.command.ts';
import { steeringCommand } from './commands/steering.command.ts';
import { userCommand } from './commands/user.command.ts';

/** Every sub-command of `npm run cli`; add a feature's command here (one line). */
export const cliCommands: readonly CliCommand[] = [backupCommand, cityCommand, datasetsCommand, departmentCommand, importCommand, loadCityCommand, steeringCommand, userCommand];
