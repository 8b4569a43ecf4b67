import type { Knex } from 'knex';
import { listAreaFeatures } from './areas.repo.ts';
import type { AreaFeatureCollection, ListedAreaLevel } from './areas.schema.ts';

/**
 * The version of a city's areas: the area tiles (server/tiles) and the areas a search origin is
 * named by (server/search/search-area-names.ts) hold areas until it moves.
 */
export { readAreasVersion } from './areas.repo.ts';

export interface AreasService {
  listFeatures(filter: { level?: ListedAreaLevel | undefined; parentId?: string | undefined; at?: string | undefined }): Promise<AreaFeatureCollection>;
}

/** `cityId`: the city this process serves (issue 13); the database's default city when left out. */
export function createAreasService(deps: { db: Knex; cityId?: string }): AreasService {
  return {
    async listFeatures(filter) {
      return { type: 'FeatureCollection', features: await listAreaFeatures(deps.db, deps.cityId, filter) };
    },
  };
}
