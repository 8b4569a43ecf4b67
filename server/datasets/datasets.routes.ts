import { Router } from 'express';
import { z } from 'zod';
import type { MessageCatalogue } from '../http/localized-validation.ts';
import { parseRequest } from '../http/parse-request.ts';
import type { DatasetsService } from './datasets.service.ts';

const listDatasetsQuerySchema = z.object({
  city: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,40}$/)
    .optional(),
});

const datasetMessages: MessageCatalogue = {
  'format.city': { de: 'Muss eine Stadtkennung wie „koeln“ oder „berlin“ sein.', en: 'Must be a city id such as "koeln" or "berlin".' },
};

/** The dataset catalogue: source, licence, attribution and whether the file is on this server. */
export function createDatasetsRouter(deps: { datasets: DatasetsService }): Router {
  const router = Router();
  router.get('/api/datasets', (request, response) => {
    const query = parseRequest(request, listDatasetsQuerySchema, 'query', datasetMessages);
    const datasets = deps.datasets
      .summaries()
      .filter((dataset) => query.city === undefined || dataset.city === query.city || dataset.city === null);
    response.set('Cache-Control', 'no-cache').json({ city: deps.datasets.city().id, datasets });
  });
  return router;
}
