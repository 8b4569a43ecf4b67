import { Router } from 'express';
import { sendNoStoreJson, sendNoStoreJsonBody } from '../http/no-store.ts';
import { parseRequest } from '../http/parse-request.ts';
import { offerIdParamsSchema, searchQuerySchema } from './search.schema.ts';
import { searchMessages } from './search.messages.ts';
import type { SearchService } from './search.service.ts';

export function createSearchRouter(deps: { search: SearchService }): Router {
  const router = Router();
  router.get('/api/search', async (request, response) => {
    const query = parseRequest(request, searchQuerySchema, 'query', searchMessages);
    // Opening states depend on the moment of the request.
    sendNoStoreJsonBody(response, await deps.search.searchBody(query));
  });
  router.get('/api/search/options', async (_request, response) => {
    response.set('Cache-Control', 'public, max-age=300').json(await deps.search.options());
  });
  router.get('/api/search/offers/:id', async (request, response) => {
    const { id } = parseRequest(request, offerIdParamsSchema, 'params', searchMessages);
    sendNoStoreJson(response, await deps.search.offer(id));
  });
  return router;
}
