import type { Knex } from 'knex';
import { listAreaFeatures } from './areas.repo.ts';
import type { AreaFeatureCollection, AreaLevel } from './areas.schema.ts';

export interface AreasService {
  listFeatures(filter: { level?: AreaLevel | undefined; parentId?: string | undefined; at?: string | undefined }): Promise<AreaFeatureCollection>;
}

export function createAreasService(deps: { db: Knex }): AreasService {
  return {
    async listFeatures(filter) {
      return { type: 'FeatureCollection', features: await listAreaFeatures(deps.db, filter) };
    },
  };
}
