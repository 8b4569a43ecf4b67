import { randomBytes } from 'node:crypto';
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { createAuditService } from '../../audit/audit.service.ts';
import { roles } from '../../auth/auth.schema.ts';
import { createAuthService } from '../../auth/auth.service.ts';
import { AppError, ValidationError } from '../../http/errors.ts';
import type { CliCommand } from '../cli-command.ts';

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

/** 24 characters from a 64-letter alphabet: 144 bits, readable and typeable. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export const userCommand: CliCommand = {
  register(program, context) {
    const user = program.command('user').description('Manage staff accounts (sign-in for the Verwaltung).');
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
        try {
          const created = await auth.createUser(
            {
              email: options.email,
              role: options.role,
              password,
              ...(options.department ? { departmentCode: options.department } : {}),
              ...(options.name ? { displayName: options.name } : {}),
            },
            { id: null, label: 'cli' },
          );
          const department = created.department ? ` in ${created.department.code}` : '';
          cli.out(`Created ${created.role} ${created.email}${department} (id ${created.id}).`);
          if (generated) cli.out(`Generated password (shown only now): ${password}`);
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
      });
  },
};
