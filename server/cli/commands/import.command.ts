import type { CliCommand } from '../cli-command.ts';
import { createImportsService, resolveImport } from '../../imports/imports.service.ts';
import { createTaxonomiesService } from '../../taxonomies/taxonomies.service.ts';
import { createProgressPrinter, formatReport } from '../format.ts';

export const importCommand: CliCommand = {
  register(program, context) {
    program
      .command('import')
      .description('Import one dataset (by id) or a GeoJSON/CSV file with a mapping. All or nothing; re-importing updates.')
      .argument('<dataset-or-file>', 'a dataset id from "datasets", or the path of a file')
      .option('--mapping <file>', 'a mapping JSON file (kind, crs, mapping); required for a file without a manifest')
      .option('--dry-run', 'check and write inside a transaction, then roll back; report what would change')
      .option('--json', 'print the full report as JSON')
      .action(async (target: string, options: { mapping?: string; dryRun?: boolean; json?: boolean }) => {
        const cli = context();
        const resolved = resolveImport(cli.datasets, target, { mappingFile: options.mapping });
        const database = await cli.database();
        const imports = createImportsService({ db: database.knex, taxonomies: createTaxonomiesService({ db: database.knex }), datasets: cli.datasets, logger: cli.logger });
        const report = await imports.run(resolved, {
          dryRun: options.dryRun === true,
          actor: 'cli',
          onProgress: createProgressPrinter(cli.err),
        });
        cli.out(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
        if (report.status === 'failed') process.exitCode = 1;
      });
  },
};
