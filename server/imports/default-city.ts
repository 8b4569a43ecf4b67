import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { DatasetsService } from '../datasets/datasets.service.ts';
import type { DataStatus } from '../meta/meta.routes.ts';

/**
 * On an empty database, loads the configured city's default datasets. When the data
 * directory is missing the portal still starts, with a message naming the download pages.
 */
export async function loadDefaultCityIfEmpty(deps: {
  knex: Knex;
  datasets: DatasetsService;
  logger: Logger;
}): Promise<DataStatus> {
  const existing = await deps.knex('areas').count<{ count: number }[]>({ count: '*' }).first();
  if (Number(existing?.count ?? 0) > 0) return { loaded: true, message: null };
  const defaults = deps.datasets.forCity(deps.datasets.city().id).filter((dataset) => dataset.loadByDefault);
  const missing = defaults.filter((dataset) => !dataset.present);
  if (defaults.length === 0 || missing.length > 0) {
    const pages = [...new Set(missing.map((dataset) => dataset.downloadUrl ?? dataset.sourceUrl))];
    const message = `The city data was not found in ${deps.datasets.geodataDir}; the portal starts with an empty inventory. Download the data from ${pages.join(', ')} and set GEODATA_DIR.`;
    deps.logger.warn({ missing: missing.map((dataset) => dataset.file) }, message);
    return { loaded: false, message };
  }
  // TODO(#3): run the default importers in manifest order.
  return { loaded: false, message: 'The default city data has not been imported yet.' };
}
