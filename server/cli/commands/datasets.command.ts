import type { CliCommand } from '../cli-command.ts';
import { formatTable } from '../format.ts';

export const datasetsCommand: CliCommand = {
  register(program, context) {
    program
      .command('datasets')
      .description('List the dataset manifests (geodata/datasets) with licence and whether the file is in GEODATA_DIR.')
      .option('--city <id>', 'only the datasets of this city (e.g. koeln, berlin)')
      .option('--json', 'print JSON, as GET /api/datasets returns it')
      .action((options: { city?: string; json?: boolean }) => {
        const { datasets, out, config } = context();
        const list = datasets.summaries().filter((dataset) => !options.city || dataset.city === options.city || dataset.city === null);
        if (options.json) {
          out(JSON.stringify({ city: datasets.city().id, datasets: list }, null, 2));
          return;
        }
        out(`Data directory: ${config.geodataDir}`);
        out(
          formatTable(
            ['id', 'city', 'kind', 'file', 'default', 'crs', 'licence'],
            list.map((dataset) => [
              dataset.id,
              dataset.city ?? '–',
              dataset.kind,
              dataset.present ? 'present' : 'MISSING',
              dataset.loadByDefault ? 'yes' : 'no',
              dataset.crs ?? '–',
              dataset.licence,
            ]),
          ),
        );
        const missing = list.filter((dataset) => !dataset.present);
        if (missing.length > 0) {
          out(`\n${missing.length} file(s) missing. Download pages:`);
          for (const dataset of missing) out(`  ${dataset.id}: ${dataset.downloadUrl ?? dataset.sourceUrl} → ${dataset.file}`);
        }
      });
  },
};
