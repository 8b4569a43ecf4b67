import { Router } from 'express';
import { buildOpenApiDocument } from './openapi.ts';

export function createOpenApiRouter(deps: { version: string }): Router {
  const router = Router();
  const document = JSON.stringify(buildOpenApiDocument(deps.version));
  router.get('/api/openapi.json', (_request, response) => {
    response.type('application/json').set('Cache-Control', 'no-cache').send(document);
  });
  return router;
}
