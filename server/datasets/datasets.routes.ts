import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/parse.ts';
import type { DatasetsService } from './datasets.service.ts';

const listDatasetsQuerySchema = z.object({
  city: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be a city id such as "koeln" or "berlin"')
    .optional(),
});

/** The dataset catalogue: source, licence, attribution and whether the file is on this server. */
export function createDatasetsRouter(deps: { datasets: DatasetsService }): Router {
  const router = Router();
  router.get('/api/datasets', (request, response) => {
    const query = parseInput(listDatasetsQuerySchema, request.query, 'query');
    const datasets = deps.datasets
      .summaries()
      .filter((dataset) => query.city === undefined || dataset.city === query.city || dataset.city === null);
    response.set('Cache-Control', 'no-cache').json({ city: deps.datasets.city().id, datasets });
  });
  return router;
}
