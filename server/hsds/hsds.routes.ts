import { Router, type Request, type Response } from 'express';
import { parseLocalized } from '../http/localized-validation.ts';
import { requestLanguage } from '../http/problem.ts';
import { hsdsVersion } from './hsds.mapping.ts';
import { hsdsListQuerySchema } from './hsds.schema.ts';
import type { HsdsService } from './hsds.service.ts';

const language = (request: Request) => requestLanguage(request.get('accept-language'));
const listQuery = (request: Request) => parseLocalized(hsdsListQuerySchema, request.query, 'query', language(request));

/** HSDS 3.1 read API (Open Referral) under /api/hsds: public offers only. */
export function createHsdsRouter(deps: { hsds: HsdsService }): Router {
  const router = Router();
  const { hsds } = deps;
  const send = (response: Response, body: unknown) =>
    response.set('Cache-Control', 'public, max-age=60').json(body);

  router.get('/api/hsds', (request, response) => {
    send(response, {
      version: hsdsVersion,
      profile: 'https://docs.openreferral.org/en/latest/hsds/overview.html',
      openapi_url: 'https://raw.githubusercontent.com/openreferral/specification/3.1/schema/openapi.json',
    });
  });
  router.get('/api/hsds/services', async (request, response) => send(response, await hsds.services(listQuery(request), language(request))));
  router.get('/api/hsds/services/:id', async (request, response) => send(response, await hsds.service(String(request.params.id), language(request))));
  router.get('/api/hsds/service_at_locations', async (request, response) =>
    send(response, await hsds.serviceAtLocations(listQuery(request), language(request))),
  );
  router.get('/api/hsds/service_at_locations/:id', async (request, response) =>
    send(response, await hsds.serviceAtLocation(String(request.params.id), language(request))),
  );
  router.get('/api/hsds/taxonomies', async (_request, response) => send(response, await hsds.taxonomies()));
  router.get('/api/hsds/taxonomy_terms', async (request, response) => send(response, await hsds.taxonomyTerms(listQuery(request), language(request))));
  return router;
}
