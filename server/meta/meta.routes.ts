import { Router } from 'express';
import type { Attribution } from '../datasets/datasets.schema.ts';
import type { DatasetsService } from '../datasets/datasets.service.ts';

import type { AppConfig, DataStatus } from './meta.schema.ts';

export type { DataStatus } from './meta.schema.ts';

/** Public, non-secret facts the client needs before it can draw anything. */
export function createMetaRouter(deps: {
  datasets: DatasetsService;
  version: string;
  basemapStyleUrl: string | undefined;
  dataStatus: () => DataStatus;
  /** Attributions of data in the database that no manifest names (an OSM extract imported with import-osm). */
  importedAttributions?: () => Promise<Attribution[]>;
}): Router {
  const router = Router();
  router.get('/api/config', async (_request, response) => {
    const city = deps.datasets.city();
    const attributions = mergeAttributions(deps.datasets.attributions(), (await deps.importedAttributions?.()) ?? []);
    const body: AppConfig = {
      version: deps.version,
      city: { id: city.id, name: city.name, bbox: city.bbox, center: city.center, contact: city.contact ?? null },
      basemapStyleUrl: deps.basemapStyleUrl ?? null,
      attributions,
      recordSources: deps.datasets.recordSources(),
      dataStatus: deps.dataStatus(),
    };
    response.set('Cache-Control', 'no-cache').json(body);
  });
  return router;
}

/** One line per attribution text: imported data under a manifest's line joins that line's datasets. */
function mergeAttributions(fromManifests: Attribution[], imported: readonly Attribution[]): Attribution[] {
  const merged = fromManifests.map((entry) => ({ ...entry, datasets: [...entry.datasets] }));
  for (const entry of imported) {
    const known = merged.find((candidate) => candidate.attribution === entry.attribution);
    if (known) known.datasets.push(...entry.datasets.filter((dataset) => !known.datasets.some((existing) => existing.id === dataset.id)));
    else merged.push(entry);
  }
  return merged;
}
