import { createAuditService } from '../../audit/audit.service.ts';
import { createDepartmentSchema, departmentMessages } from '../../departments/departments.schema.ts';
import { createDepartmentsService } from '../../departments/departments.service.ts';
import { parseLocalized } from '../../http/localized-validation.ts';
import type { CliCommand } from '../cli-command.ts';
import { formatTable } from '../format.ts';

export const departmentCommand: CliCommand = {
  register(program, context) {
    const department = program.command('department').description('Manage the departments (Ämter) that own offer records.');
    department
      .command('list')
      .description('List departments with their number of offers.')
      .action(async () => {
        const { database, out } = context();
        const { knex } = await database();
        const items = await createDepartmentsService({ db: knex, audit: createAuditService({ db: knex }) }).list('command-line');
        out(formatTable(['code', 'name', 'offers'], items.map((item) => [item.code, item.name, String(item.offerCount)])));
      });
    department
      .command('create')
      .description('Create a department, e.g. --code 50 --name "Amt für Soziales, Arbeit und Senioren".')
      .requiredOption('--code <code>', 'short stable code, e.g. the Amt number')
      .requiredOption('--name <name>', 'full name')
      .option('--email <email>', 'contact e-mail for error reports from citizens')
      .action(async (options: { code: string; name: string; email?: string }) => {
        const { database, out } = context();
        const input = parseLocalized(createDepartmentSchema, options, 'body', 'en', departmentMessages);
        const { knex } = await database();
        const service = createDepartmentsService({ db: knex, audit: createAuditService({ db: knex }) });
        const created = await service.create('command-line', input);
        out(`Created department ${created.code} (${created.name}).`);
      });
  },
};
