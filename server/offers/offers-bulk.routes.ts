import { Router } from 'express';
import { parseRequest } from '../http/parse-request.ts';
import { offerMessages } from './offers.messages.ts';
import { bulkPublishBodySchema } from './offers.schema.ts';
import type { OffersBulkService } from './offers-bulk.service.ts';
import { requestContext } from './offers.routes.ts';

export function createOffersBulkRouter(deps: { bulk: OffersBulkService }): Router {
  const router = Router();
  // Registered before the offers router: "publish" is no offer id.
  router.post('/api/offers/publish', async (request, response) => {
    const body = parseRequest(request, bulkPublishBodySchema, 'body', offerMessages);
    const result = await deps.bulk.publish(requestContext(request), body);
    response.set('Cache-Control', 'no-store').json(result);
  });
  return router;
}
