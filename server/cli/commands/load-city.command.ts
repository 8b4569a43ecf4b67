import type { CliCommand } from '../cli-command.ts';
import { createImportsService, ImportSetupError } from '../../imports/imports.service.ts';
import { createTaxonomiesService } from '../../taxonomies/taxonomies.service.ts';
import { createProgressPrinter, formatReport } from '../format.ts';

export const loadCityCommand: CliCommand = {
  register(program, context) {
    program
      .command('load-city')
      .description("Import all of a city's default datasets (manifest order) in one transaction, e.g. berlin.")
      .argument('[city]', 'city id (default: CITY)')
      .option('--dry-run', 'check and write inside a transaction, then roll back')
      .option('--json', 'print the reports as JSON')
      .action(async (cityId: string | undefined, options: { dryRun?: boolean; json?: boolean }) => {
        const cli = context();
        const id = cityId ?? cli.config.city;
        if (!cli.datasets.findCity(id)) throw new ImportSetupError(`The city "${id}" is neither bundled (geodata/cities) nor a city folder in GEODATA_DIR/cities or CITY_DIR.`);
        const list = cli.datasets.forCity(id).filter((dataset) => dataset.loadByDefault && dataset.kind !== 'basemap');
        const missing = list.filter((dataset) => !dataset.present);
        if (missing.length > 0) {
          throw new ImportSetupError(
            `Missing files: ${missing.map((dataset) => `${dataset.path} (${dataset.downloadUrl ?? dataset.sourceUrl})`).join(', ')}`,
          );
        }
        const database = await cli.database();
        const imports = createImportsService({ db: database.knex, taxonomies: createTaxonomiesService({ db: database.knex }), datasets: cli.datasets, logger: cli.logger });
        const outcome = await imports.runAll(
          list.map((dataset) => imports.resolve(dataset.id)),
          { dryRun: options.dryRun === true, actor: 'cli', onProgress: createProgressPrinter(cli.err) },
        );
        cli.out(options.json ? JSON.stringify(outcome, null, 2) : outcome.reports.map((report) => formatReport(report)).join('\n\n'));
        if (!outcome.ok) process.exitCode = 1;
      });
  },
};
