import { Router } from 'express';
import { parseInput } from '../http/parse.ts';
import { listAreasQuerySchema } from './areas.schema.ts';
import type { AreasService } from './areas.service.ts';

export function createAreasRouter(deps: { areas: AreasService }): Router {
  const router = Router();
  router.get('/api/areas', async (request, response) => {
    const query = parseInput(listAreasQuerySchema, request.query, 'query');
    const collection = await deps.areas.listFeatures(query);
    response.type('application/geo+json').send(JSON.stringify(collection));
  });
  return router;
}
