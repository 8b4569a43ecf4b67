import { Router } from 'express';
import { parseRequest } from '../http/parse-request.ts';
import { areaMessages } from './areas.messages.ts';
import { listAreasQuerySchema } from './areas.schema.ts';
import type { AreasService } from './areas.service.ts';

export function createAreasRouter(deps: { areas: AreasService }): Router {
  const router = Router();
  router.get('/api/areas', async (request, response) => {
    const query = parseRequest(request, listAreasQuerySchema, 'query', areaMessages);
    const collection = await deps.areas.listFeatures(query);
    response.type('application/geo+json').send(JSON.stringify(collection));
  });
  return router;
}
