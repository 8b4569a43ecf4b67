import { createAuditService } from '../../audit/audit.service.ts';
import { createDepartmentsService } from '../../departments/departments.service.ts';
import { createOrganizationsService } from '../../organizations/organizations.service.ts';
import { createCoverageService } from '../../coverage/coverage.service.ts';
import { createOffersService } from '../../offers/offers.service.ts';
import { createSteeringService } from '../../steering/steering.service.ts';
import { createTaxonomiesService } from '../../taxonomies/taxonomies.service.ts';
import type { CliCommand } from '../cli-command.ts';

export const steeringCommand: CliCommand = {
  register(program, context) {
    const steering = program.command('steering').description('The steering cycle: goals and their monthly tracking.');
    steering
      .command('snapshot')
      .description('Take the current month\'s snapshot of every adopted goal that has none yet (the server does this on the first of each month).')
      .option('--json', 'print the result as JSON')
      .action(async (options: { json?: boolean }) => {
        const cli = context();
        const { knex } = await cli.database();
        const audit = createAuditService({ db: knex });
        const taxonomies = createTaxonomiesService({ db: knex });
        const service = createSteeringService({
          db: knex,
          audit,
          taxonomies,
          coverage: createCoverageService({ db: knex, taxonomies }),
          offers: createOffersService({ db: knex, audit, taxonomies, departments: createDepartmentsService({ db: knex, audit }), organizations: createOrganizationsService({ db: knex, audit }), datasets: cli.datasets, holidayState: cli.config.holidayState }),
        });
        const run = await service.takeSnapshots('command_line');
        cli.out(
          options.json
            ? JSON.stringify(run)
            : `Snapshots for ${run.month}: ${run.taken} taken, ${run.alreadyTaken} already there (${run.milliseconds} ms).`,
        );
      });
  },
};
