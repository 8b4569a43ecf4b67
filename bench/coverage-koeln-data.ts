import pino from 'pino';
import { loadConfig } from '../server/config.ts';
import { createDatasetsService } from '../server/datasets/datasets.service.ts';
import type { Database } from '../server/db/connect.ts';
import { loadDefaultCityIfEmpty } from '../server/imports/default-city.ts';

/**
 * Loads the default Cologne data (areas, population 2005–2012, street segments, OSM offers)
 * with the project's own importers into an empty, migrated database.
 */
export async function loadKoeln(database: Database): Promise<void> {
  const config = loadConfig({ ...process.env, CITY: 'koeln', LOG_LEVEL: 'silent' });
  const datasets = createDatasetsService({ geodataDir: config.geodataDir, city: 'koeln' });
  const status = await loadDefaultCityIfEmpty({ knex: database.knex, datasets, logger: pino({ level: 'silent' }) });
  if (!status.loaded) throw new Error(`Cologne data not loaded: ${status.message ?? 'unknown reason'}`);
}
