import path from 'node:path';
import type { CliCommand } from '../cli-command.ts';
import { projectRoot } from '../../config.ts';
import { ImportSetupError } from '../../imports/imports.service.ts';
import { createOsmImportService, osmCityOf, osmRequestOfManifest, parseOsmRequest, readOsmOfferMapping } from '../../imports/osm-import.service.ts';
import type { OsmImportReport } from '../../imports/osm-import.schema.ts';
import { describeIssue } from '../../imports/imports.schema.ts';
import { createTaxonomiesService } from '../../taxonomies/taxonomies.service.ts';

interface ImportOsmOptions {
  dataset?: string;
  city?: string;
  addresses?: boolean;
  network?: boolean;
  offers?: string;
  areas?: boolean;
  adminLevel?: string;
  areaLevel?: string;
  dryRun?: boolean;
  json?: boolean;
}

const statusText = { succeeded: 'imported', failed: 'FAILED — nothing was written', dry_run: 'dry run — nothing was written' } as const;

function formatOsmReport(report: OsmImportReport): string {
  const lines = [`OpenStreetMap ${report.file} for ${report.city}: ${statusText[report.status]}`];
  lines.push(`  ${report.elementsRead.toLocaleString('en')} elements read; ${(report.durationMs / 1000).toFixed(1)} s`);
  for (const [table, counts] of Object.entries(report.tables)) {
    const deleted = counts.deleted ? `, ${counts.deleted} removed` : '';
    lines.push(`  ${table}: ${counts.inserted} new, ${counts.updated} changed, ${counts.unchanged} unchanged${deleted}`);
  }
  if (report.disappeared.length > 0) {
    lines.push(`  ${report.disappeared.length} offer(s) no longer in OpenStreetMap, archived:`);
    for (const offer of report.disappeared.slice(0, 50)) lines.push(`    - ${offer.name} (${offer.externalId}, ${offer.rule})`);
  }
  for (const issue of report.errors) lines.push(`  ✗ ${describeIssue(issue)}`);
  for (const issue of report.warnings.slice(0, 20)) lines.push(`  ! ${describeIssue(issue)}`);
  if (report.warnings.length > 20) lines.push(`  … ${report.warnings.length - 20} more warning(s) (--json lists them)`);
  return lines.join('\n');
}

export const importOsmCommand: CliCommand = {
  register(program, context) {
    program
      .command('import-osm')
      .description('Import an OpenStreetMap extract (.osm.pbf, .osm, .osm.gz) for a city: addresses, walking network, offers, areas. Streamed; all or nothing.')
      .argument('[file]', 'the extract, e.g. a region from an OSM extract provider')
      .option('--dataset <id>', 'a dataset manifest of kind "osm" (file, city and parts come from it)')
      .option('--city <id>', 'the city the data belongs to (its bounding box selects what is kept)')
      .option('--addresses', 'address points from addr:street + addr:housenumber (nodes and buildings) for the address search')
      .option('--network', 'the walking network from the highways people may walk on')
      .option('--offers <mapping>', 'offers by a tag mapping file, e.g. geodata/osm-offers.json')
      .option('--areas', 'areas from boundary relations (with --admin-level)')
      .option('--admin-level <n>', 'admin_level of the boundary relations', '7')
      .option('--area-level <level>', 'the area level they become: district, sozialraum or quarter', 'district')
      .option('--dry-run', 'check and write inside a transaction, then roll back')
      .option('--json', 'print the report as JSON')
      .action(async (file: string | undefined, options: ImportOsmOptions) => {
        const cli = context();
        const manifest = options.dataset ? cli.datasets.get(options.dataset) : undefined;
        if (options.dataset && manifest?.kind !== 'osm') {
          throw new ImportSetupError(`"${options.dataset}" is not a dataset of kind "osm" (run "npm run cli -- datasets").`);
        }
        const filePath = manifest ? manifest.path : file ? path.resolve(file) : undefined;
        if (!filePath) throw new ImportSetupError('import-osm needs a file or --dataset <id>.');
        const cityId = manifest?.kind === 'osm' ? (manifest.city ?? options.city) : options.city;
        const city = cli.datasets.findCity(cityId ?? '');
        if (!city) throw new ImportSetupError(`The city "${cityId ?? ''}" has no profile: name one with --city (see README, "Set up your own city").`);
        const request =
          manifest?.kind === 'osm'
            ? osmRequestOfManifest(manifest, projectRoot)
            : parseOsmRequest(
                {
                  addresses: options.addresses === true,
                  network: options.network === true,
                  ...(options.offers ? { offers: readOsmOfferMapping(path.resolve(options.offers)) } : {}),
                  ...(options.areas ? { areas: { adminLevel: Number(options.adminLevel), level: options.areaLevel } } : {}),
                },
                'import-osm',
              );
        const database = await cli.database();
        const service = createOsmImportService({ db: database.knex, taxonomies: createTaxonomiesService({ db: database.knex }), logger: cli.logger });
        let lastProgress = 0;
        const report = await service.run(filePath, {
          city: osmCityOf(city),
          request,
          dryRun: options.dryRun === true,
          actor: 'cli',
          onProgress: (message) => {
            // At most one line a second: a regional extract has millions of elements.
            if (Date.now() - lastProgress < 1000) return;
            lastProgress = Date.now();
            cli.err(message);
          },
        });
        cli.out(options.json ? JSON.stringify(report, null, 2) : formatOsmReport(report));
        if (report.status === 'failed') process.exitCode = 1;
      });
  },
};
