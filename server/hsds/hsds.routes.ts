import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { parseLocalized } from '../http/localized-validation.ts';
import { requestLanguage } from '../http/problem.ts';
import { hsdsProfile, hsdsVersion } from './hsds.mapping.ts';
import { hsdsListQuerySchema, hsdsQueryMessages } from './hsds.schema.ts';
import type { HsdsListAnswer, HsdsService } from './hsds.service.ts';

const language = (request: Request) => requestLanguage(request.get('accept-language'));
const listQuery = (request: Request) => parseLocalized(hsdsListQuerySchema, request.query, 'query', language(request), hsdsQueryMessages);

/** HSDS 3.1 read API (Open Referral) under /api/hsds: public offers only. */
export function createHsdsRouter(deps: { hsds: HsdsService }): Router {
  const router = Router();
  const { hsds } = deps;
  const send = (response: Response, body: unknown) =>
    response.set('Cache-Control', 'public, max-age=60').json(body);
  // format=ndjson: one record per line, written as the database yields them (backpressure by pipeline).
  const sendList = async (response: Response, answer: HsdsListAnswer) => {
    if (answer.kind === 'page') {
      send(response, answer.page);
      return;
    }
    response.status(200).set({ 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'public, max-age=60' });
    await pipeline(Readable.from(answer.lines), response);
  };

  router.get('/api/hsds', (request, response) => {
    send(response, {
      version: hsdsVersion,
      profile: `${request.protocol}://${request.get('host') ?? 'localhost'}/api/hsds/profile`,
      openapi_url: 'https://raw.githubusercontent.com/openreferral/specification/3.1/schema/openapi.json',
    });
  });
  router.get('/api/hsds/profile', (_request, response) => send(response, hsdsProfile));
  router.get('/api/hsds/services', async (request, response) => sendList(response, await hsds.services(listQuery(request), language(request))));
  router.get('/api/hsds/services/:id', async (request, response) => send(response, await hsds.service(String(request.params.id), language(request))));
  router.get('/api/hsds/service_at_locations', async (request, response) =>
    sendList(response, await hsds.serviceAtLocations(listQuery(request), language(request))),
  );
  router.get('/api/hsds/service_at_locations/:id', async (request, response) =>
    send(response, await hsds.serviceAtLocation(String(request.params.id), language(request))),
  );
  router.get('/api/hsds/organizations', async (request, response) => sendList(response, await hsds.organizations(listQuery(request), language(request))));
  router.get('/api/hsds/organizations/:id', async (request, response) =>
    send(response, await hsds.organization(String(request.params.id), { fullService: listQuery(request).full_service === true }, language(request))),
  );
  router.get('/api/hsds/taxonomies', async (_request, response) => send(response, await hsds.taxonomies()));
  router.get('/api/hsds/taxonomy_terms', async (request, response) => send(response, await hsds.taxonomyTerms(listQuery(request), language(request))));
  return router;
}
