import { Router } from 'express';
import type { OffersBulkService } from './offers-bulk.service.ts';
import { requestContext } from './offers.routes.ts';

export function createOffersBulkRouter(deps: { bulk: OffersBulkService }): Router {
  const router = Router();
  // Registered before the offers router: "publish" is no offer id.
  router.post('/api/offers/publish', async (request, response) => {
    const result = await deps.bulk.publish(requestContext(request), request.body);
    response.set('Cache-Control', 'no-store').json(result);
  });
  return router;
}
