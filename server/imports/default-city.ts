import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { DatasetsService } from '../datasets/datasets.service.ts';
import { dataLoaded, type DataStatus } from '../meta/meta.schema.ts';
import { countAllAreas } from './imports.repo.ts';
import { describeIssue, type ImportProgress } from './imports.schema.ts';
import { createImportsService } from './imports.service.ts';
import { createTaxonomiesService } from '../taxonomies/taxonomies.service.ts';

/** Logs progress at most every 25 % per dataset and phase, so a start-up log stays readable. */
export function createProgressLogger(logger: Logger): (progress: ImportProgress) => void {
  const lastQuarter = new Map<string, number>();
  return (progress) => {
    if (progress.phase !== 'writing' || progress.total < 2000) return;
    const quarter = Math.floor((progress.done / progress.total) * 4);
    const key = progress.dataset;
    if ((lastQuarter.get(key) ?? -1) >= quarter) return;
    lastQuarter.set(key, quarter);
    logger.info({ dataset: progress.dataset, done: progress.done, total: progress.total }, `importing ${progress.dataset}: ${quarter * 25} %`);
  };
}

/**
 * On an empty database, loads the configured city's default datasets in manifest order, all in
 * one transaction. When the data directory or a file is missing — or an import fails — the
 * portal still starts, with a message naming the official download pages.
 */
export async function loadDefaultCityIfEmpty(deps: {
  knex: Knex;
  datasets: DatasetsService;
  logger: Logger;
}): Promise<DataStatus> {
  const { knex, datasets, logger } = deps;
  const city = datasets.city();
  if ((await countAllAreas(knex, city.id)) > 0) return dataLoaded;
  const defaults = datasets.forCity(city.id).filter((dataset) => dataset.loadByDefault && dataset.kind !== 'basemap');
  const missing = defaults.filter((dataset) => !dataset.present);
  if (defaults.length === 0 || missing.length > 0) {
    const pages = [...new Set(missing.map((dataset) => dataset.downloadUrl ?? dataset.sourceUrl))];
    const downloadPages = [...new Map(missing.map((dataset) => [dataset.sourceUrl, { title: dataset.title, url: dataset.sourceUrl }])).values()];
    const message =
      defaults.length === 0
        ? `No dataset of ${city.name} is marked to be loaded by default (geodata/datasets); the portal starts with an empty inventory.`
        : `The data of ${city.name} was not found in ${datasets.geodataDir} (${missing.length} of ${defaults.length} files missing); the portal starts with an empty inventory. Download the data from ${pages.join(', ')} and set GEODATA_DIR.`;
    logger.warn({ missing: missing.map((dataset) => dataset.file) }, message);
    return { loaded: false, reason: defaults.length === 0 ? 'no_default_datasets' : 'data_dir_missing', message, downloadPages };
  }

  const imports = createImportsService({ db: knex, taxonomies: createTaxonomiesService({ db: knex }), datasets, logger });
  const started = Date.now();
  logger.info({ city: city.id, datasets: defaults.length }, `empty database: loading the default data of ${city.name}`);
  const outcome = await imports.runAll(
    defaults.map((dataset) => imports.resolve(dataset.id)),
    { actor: 'startup', onProgress: createProgressLogger(logger) },
  );
  if (!outcome.ok) {
    const failed = outcome.reports.find((report) => report.errorCount > 0);
    const first = failed?.errors[0];
    const message = `Loading the data of ${city.name} failed at ${failed?.dataset ?? 'a dataset'}${first ? ` (${describeIssue(first)})` : ''}; nothing was loaded and the portal starts with an empty inventory. Check the files in ${datasets.geodataDir} or import them with "npm run cli -- import <dataset>".`;
    logger.error({ dataset: failed?.dataset, errors: failed?.errors.slice(0, 10) }, message);
    return { loaded: false, reason: 'import_failed', message, downloadPages: [] };
  }
  const rows = outcome.reports.reduce((sum, report) => sum + report.rowsAccepted, 0);
  logger.info({ city: city.id, datasets: outcome.reports.length, rows, ms: Date.now() - started }, `default data of ${city.name} loaded`);
  return dataLoaded;
}
