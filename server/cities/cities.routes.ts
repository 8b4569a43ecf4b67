import { Router } from 'express';
import type { CitiesService } from './cities.service.ts';

/**
 * GET /api/cities: the cities of this database and which one this portal serves. Each process
 * serves one city (CITY); where a city's profile names its portal (`portalUrl`), a visitor can go
 * there.
 */
export function createCitiesRouter(deps: { cities: CitiesService }): Router {
  const router = Router();
  router.get('/api/cities', async (_request, response) => {
    response.set('Cache-Control', 'no-cache').json(await deps.cities.summaries());
  });
  return router;
}
