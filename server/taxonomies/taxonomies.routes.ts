import { Router } from 'express';
import type { TaxonomiesResponse } from './taxonomies.schema.ts';
import type { TaxonomiesService } from './taxonomies.service.ts';

export function createTaxonomiesRouter(deps: { taxonomies: TaxonomiesService }): Router {
  const router = Router();
  router.get('/api/taxonomies', async (_request, response) => {
    const body: TaxonomiesResponse = { taxonomies: await deps.taxonomies.list() };
    response.set('Cache-Control', 'public, max-age=300').json(body);
  });
  return router;
}
