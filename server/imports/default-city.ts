import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { projectRoot } from '../config.ts';
import type { DatasetStatus } from '../datasets/datasets.schema.ts';
import type { DatasetsService } from '../datasets/datasets.service.ts';
import { dataLoaded, type DataStatus } from '../meta/meta.schema.ts';
import { countAllAreas } from './imports.repo.ts';
import { describeIssue, type ImportProgress } from './imports.schema.ts';
import { createImportsService, ImportSetupError } from './imports.service.ts';
import type { OsmImportRequest } from './osm-import.schema.ts';
import { listOsmImportsInUse } from './osm-import.repo.ts';
import { createOsmImportService, osmCityOf, osmRequestOfManifest } from './osm-import.service.ts';
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

interface StartupDeps {
  knex: Knex;
  datasets: DatasetsService;
  logger: Logger;
}

/**
 * On an empty database, loads the configured city's default datasets in manifest order, all in
 * one transaction, then its OpenStreetMap extracts (osm manifests marked loadByDefault). When the
 * data directory or a file is missing — or an import fails — the portal still starts, with a
 * message naming the official download pages.
 */
export async function loadDefaultCityIfEmpty(deps: StartupDeps): Promise<DataStatus> {
  const osmDefaults = deps.datasets.forCity(deps.datasets.city().id).filter((dataset) => dataset.loadByDefault && dataset.kind === 'osm');
  const status = await loadDefaultDatasetsIfEmpty(deps, osmDefaults.length > 0);
  if (osmDefaults.length === 0 || (!status.loaded && status.reason !== 'no_default_datasets')) return status;
  const imported = await loadOsmExtractsIfMissing(deps, osmDefaults);
  return !status.loaded && imported > 0 ? dataLoaded : status;
}

/**
 * The city's OSM extracts, imported while the city has no OSM data yet (the first start, or an
 * extract declared later): one import per manifest, each all or nothing. A missing file or a
 * failed import is logged and the portal starts without it ("npm run cli -- import-osm --dataset").
 */
async function loadOsmExtractsIfMissing(deps: StartupDeps, manifests: readonly DatasetStatus[]): Promise<number> {
  const { knex, datasets, logger } = deps;
  const city = datasets.city();
  if ((await listOsmImportsInUse(knex, city.id)).length > 0) return 0;
  const service = createOsmImportService({ db: knex, taxonomies: createTaxonomiesService({ db: knex }), logger });
  let imported = 0;
  for (const manifest of manifests) {
    if (manifest.kind !== 'osm') continue;
    if (!manifest.present) {
      logger.warn({ dataset: manifest.id, file: manifest.path }, `The OpenStreetMap extract of ${city.name} (${manifest.id}) was not found at ${manifest.path}; download it from ${manifest.downloadUrl ?? manifest.sourceUrl}. The portal starts without it.`);
      continue;
    }
    let request: OsmImportRequest;
    try {
      request = osmRequestOfManifest(manifest, projectRoot);
    } catch (error) {
      if (!(error instanceof ImportSetupError)) throw error;
      logger.error({ dataset: manifest.id }, `${error.message}; the portal starts without it.`);
      continue;
    }
    logger.info({ dataset: manifest.id, file: manifest.path }, `importing the OpenStreetMap extract of ${city.name} (first start; a regional extract takes minutes)`);
    let lastProgress = Date.now();
    const report = await service.run(manifest.path, {
      city: osmCityOf(city),
      request,
      actor: 'startup',
      onProgress: (message) => {
        if (Date.now() - lastProgress < 10_000) return;
        lastProgress = Date.now();
        logger.info({ dataset: manifest.id }, message);
      },
    });
    if (report.status === 'succeeded') imported += 1;
    else logger.error({ dataset: manifest.id, errors: report.errors.slice(0, 10) }, `Importing ${manifest.id} failed${report.errors[0] ? ` (${describeIssue(report.errors[0])})` : ''}; nothing of it was written. Fix the file and run "npm run cli -- import-osm --dataset ${manifest.id}".`);
  }
  return imported;
}

async function loadDefaultDatasetsIfEmpty(deps: StartupDeps, hasOsmDefaults: boolean): Promise<DataStatus> {
  const { knex, datasets, logger } = deps;
  const city = datasets.city();
  if ((await countAllAreas(knex, city.id)) > 0) return dataLoaded;
  const defaults = datasets.forCity(city.id).filter((dataset) => dataset.loadByDefault && dataset.kind !== 'basemap' && dataset.kind !== 'osm');
  const missing = defaults.filter((dataset) => !dataset.present);
  // A city of OpenStreetMap data only: its extract is loaded next.
  if (defaults.length === 0 && hasOsmDefaults) return { loaded: false, reason: 'no_default_datasets', message: '', downloadPages: [] };
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
