import { Router } from 'express';
import type { DatasetsService } from '../datasets/datasets.service.ts';

import type { AppConfig, DataStatus } from './meta.schema.ts';

export type { DataStatus } from './meta.schema.ts';

/** Public, non-secret facts the client needs before it can draw anything. */
export function createMetaRouter(deps: {
  datasets: DatasetsService;
  version: string;
  basemapStyleUrl: string | undefined;
  dataStatus: () => DataStatus;
}): Router {
  const router = Router();
  router.get('/api/config', (_request, response) => {
    const city = deps.datasets.city();
    const body: AppConfig = {
      version: deps.version,
      city: { id: city.id, name: city.name, bbox: city.bbox, center: city.center, contact: city.contact ?? null },
      basemapStyleUrl: deps.basemapStyleUrl ?? null,
      attributions: deps.datasets.attributions(),
      recordSources: deps.datasets.recordSources(),
      dataStatus: deps.dataStatus(),
    };
    response.set('Cache-Control', 'no-cache').json(body);
  });
  return router;
}
