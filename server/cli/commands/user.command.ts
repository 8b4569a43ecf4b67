import readline from 'node:readline';
import { Writable } from 'node:stream';
import { createAuditService } from '../../audit/audit.service.ts';
import { cliActor, createAccountsService, generatePassword, type AccountsService } from '../../auth/accounts.service.ts';
import { createUserInputSchema, roles, updateUserBodySchema, type UserSummary } from '../../auth/auth.schema.ts';
import { createAuthService } from '../../auth/auth.service.ts';
import { AppError, ValidationError } from '../../http/errors.ts';
import { parseLocalized } from '../../http/localized-validation.ts';
import type { CliCommand } from '../cli-command.ts';
import type { CliContext } from '../cli-context.ts';
import { formatTable } from '../format.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks on the terminal without echoing what is typed. */
function askHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const reader = readline.createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    reader.question(question, (answer) => {
      reader.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}


const operator = { actor: cliActor, language: 'en' as const };

/** Runs an account action; a refused one prints its reason and sets the documented exit code. */
async function withRefusals(cli: CliContext, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (error instanceof ValidationError) {
      for (const fieldError of error.errors) cli.err(`${fieldError.field === 'departmentCode' ? 'department' : fieldError.field}: ${fieldError.message}`);
      process.exitCode = 2;
      return;
    }
    if (error instanceof AppError) {
      cli.err(error.detail);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

async function withAccounts(cli: CliContext, action: (accounts: AccountsService) => Promise<void>): Promise<void> {
  const database = await cli.database();
  const accounts = createAccountsService({ db: database.knex, audit: createAuditService({ db: database.knex }) });
  await withRefusals(cli, () => action(accounts));
}

/** The command line is a boundary like a request body: its options are parsed with the same schema. */
const updateOf = (options: Record<string, unknown>) => parseLocalized(updateUserBodySchema, options, 'body', 'en');

async function userByEmail(accounts: AccountsService, email: string): Promise<UserSummary> {
  const wanted = email.trim().toLowerCase();
  const found = (await accounts.list(operator)).find((user) => user.email.toLowerCase() === wanted);
  if (!found) throw new AppError('user_not_found', 404, `There is no account with the e-mail address ${email}.`);
  return found;
}

function describeUser(user: UserSummary): string {
  const department = user.department ? ` in ${user.department.code}` : '';
  return `${user.role} ${user.email}${department}${user.disabled ? ' (disabled)' : ''}`;
}

export const userCommand: CliCommand = {
  // eslint-disable-next-line max-lines-per-function -- registers the subcommands; each action is counted on its own
  register(program, context) {
    const user = program
      .command('user')
      .alias('users')
      .description('Manage staff accounts (sign-in for the Verwaltung): create, list, reset-password, disable, enable, set-role, sessions, end-sessions.');
    user
      .command('create')
      .description('Create an account. The password comes from --password-stdin, a prompt, or is generated and printed once.')
      .requiredOption('--email <address>', 'e-mail address (the sign-in name)')
      .requiredOption('--role <role>', `one of ${roles.join(', ')}`)
      .option('--department <code>', 'department code (required for editors)')
      .option('--name <display name>', 'name shown in the history')
      .option('--password-stdin', 'read the password from standard input (e.g. from a secret store)')
      .action(async (options: { email: string; role: string; department?: string; name?: string; passwordStdin?: boolean }) => {
        const cli = context();
        let password: string;
        let generated = false;
        if (options.passwordStdin) {
          password = await readStdin();
        } else if (process.stdin.isTTY) {
          password = await askHidden('Password (at least 12 characters): ');
          const repeated = await askHidden('Repeat the password: ');
          if (repeated !== password) {
            cli.err('The passwords differ; nothing was created.');
            process.exitCode = 1;
            return;
          }
        } else {
          password = generatePassword();
          generated = true;
        }
        const database = await cli.database();
        const audit = createAuditService({ db: database.knex });
        const auth = createAuthService({ db: database.knex, audit });
        await withRefusals(cli, async () => {
          const input = parseLocalized(
            createUserInputSchema,
            {
              email: options.email,
              role: options.role,
              password,
              ...(options.department ? { departmentCode: options.department } : {}),
              ...(options.name ? { displayName: options.name } : {}),
            },
            'body',
            'en',
          );
          const created = await auth.createUser(input, { id: null, label: 'cli' });
          const department = created.department ? ` in ${created.department.code}` : '';
          cli.out(`Created ${created.role} ${created.email}${department} (id ${created.id}).`);
          if (generated) cli.out(`Generated password (shown only now): ${password}`);
        });
      });

    user
      .command('list')
      .description('List every account with role, department, state, last sign-in and live sessions.')
      .action(async () => {
        const cli = context();
        await withAccounts(cli, async (accounts) => {
          const users = await accounts.list(operator);
          cli.out(
            formatTable(
              ['e-mail', 'role', 'department', 'state', 'last sign-in', 'sessions'],
              users.map((account) => [
                account.email,
                account.role,
                account.department?.code ?? '–',
                account.disabled ? 'disabled' : 'active',
                account.lastLoginAt ? account.lastLoginAt.slice(0, 16).replace('T', ' ') : '–',
                String(account.sessionCount),
              ]),
            ),
          );
        });
      });

    user
      .command('reset-password')
      .description('Give an account a new random password, printed once; every session of the account ends.')
      .requiredOption('--email <address>', 'the account')
      .action(async (options: { email: string }) => {
        const cli = context();
        await withAccounts(cli, async (accounts) => {
          const target = await userByEmail(accounts, options.email);
          const reset = await accounts.resetPassword(operator, target.id);
          cli.out(`New password for ${reset.user.email} (shown only now): ${reset.password}`);
          cli.out(`${reset.endedSessions} session(s) ended.`);
        });
      });

    for (const [name, disabled] of [['disable', true], ['enable', false]] as const) {
      user
        .command(name)
        .description(disabled ? 'Disable an account: it can no longer sign in, and its sessions end.' : 'Enable a disabled account again.')
        .requiredOption('--email <address>', 'the account')
        .action(async (options: { email: string }) => {
          const cli = context();
          await withAccounts(cli, async (accounts) => {
            const target = await userByEmail(accounts, options.email);
            cli.out(`${disabled ? 'Disabled' : 'Enabled'} ${describeUser(await accounts.update(operator, target.id, updateOf({ disabled })))}.`);
          });
        });
    }

    user
      .command('set-role')
      .description('Change the role and/or department of an account; its sessions end so the new rights apply at once.')
      .requiredOption('--email <address>', 'the account')
      .option('--role <role>', `one of ${roles.join(', ')}`)
      .option('--department <code>', 'department code; "none" removes it (not for editors)')
      .action(async (options: { email: string; role?: string; department?: string }) => {
        const cli = context();
        await withAccounts(cli, async (accounts) => {
          const target = await userByEmail(accounts, options.email);
          const body = {
            ...(options.role !== undefined ? { role: options.role } : {}),
            ...(options.department !== undefined ? { departmentCode: options.department === 'none' ? null : options.department } : {}),
          };
          cli.out(`Now ${describeUser(await accounts.update(operator, target.id, updateOf(body)))}.`);
        });
      });

    user
      .command('sessions')
      .description('List the live sessions of an account.')
      .requiredOption('--email <address>', 'the account')
      .action(async (options: { email: string }) => {
        const cli = context();
        await withAccounts(cli, async (accounts) => {
          const target = await userByEmail(accounts, options.email);
          const sessions = await accounts.sessions(operator, target.id);
          cli.out(
            formatTable(
              ['session', 'signed in', 'expires'],
              sessions.map((session) => [session.id.slice(0, 12), session.createdAt, session.expiresAt]),
            ),
          );
        });
      });

    user
      .command('end-sessions')
      .description('End every session of an account (it must sign in again).')
      .requiredOption('--email <address>', 'the account')
      .action(async (options: { email: string }) => {
        const cli = context();
        await withAccounts(cli, async (accounts) => {
          const target = await userByEmail(accounts, options.email);
          cli.out(`${await accounts.endAllSessions(operator, target.id)} session(s) of ${target.email} ended.`);
        });
      });
  },
};
