import { Router, type Request, type RequestHandler, type Response } from 'express';
import { parseLocalized, type Language } from '../http/localized-validation.ts';
import { parseRequest } from '../http/parse-request.ts';
import { onlyWhen } from '../http/work-queue.ts';
import { requestLanguage } from '../http/problem.ts';
import { collectionHtml, collectionsHtml, conformanceHtml, itemHtml, itemsHtml, landingHtml, queryablesHtml } from './ogc.html.ts';
import { ogcMessages } from './ogc.messages.ts';
import { ogcOpenApi } from './ogc.openapi.ts';
import {
  featureQuerySchema,
  formatQuerySchema,
  itemsQuerySchema,
  singleValuesSchema,
  standardItemParameters,
  type ItemsRequest,
} from './ogc.schema.ts';
import { isComputedCollection, type OgcService } from './ogc.service.ts';

export const ogcBasePath = '/api/ogc';

function baseUrl(request: Request): string {
  return `${request.protocol}://${request.get('host')}${ogcBasePath}`;
}

/** `f=html|json` wins; otherwise the Accept header (a browser gets HTML, GDAL and curl JSON). */
function wantsHtml(request: Request): boolean {
  const format = request.query.f;
  if (format === 'html') return true;
  if (format === 'json' || format === 'geojson') return false;
  return request.accepts(['application/geo+json', 'application/json', 'text/html']) === 'text/html';
}

const standardNames = new Set<string>(standardItemParameters);

/** The standard parameters typed; the others are left, by name, for the collection's queryables. */
function parseItemsRequest(request: Request, language: Language): ItemsRequest {
  const given = parseLocalized(singleValuesSchema, request.query, 'query', language, ogcMessages);
  const standard: Record<string, string> = {};
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (standardNames.has(name)) standard[name] = value;
    else properties[name] = value;
  }
  return { query: parseLocalized(itemsQuerySchema, standard, 'query', language, ogcMessages), properties, given };
}

function send(response: Response, html: boolean, body: unknown, renderHtml: () => string, type = 'application/json'): void {
  response.set('Cache-Control', 'public, max-age=60').vary('Accept');
  if (html) response.type('text/html').send(renderHtml());
  else response.type(type).send(JSON.stringify(body));
}

/** OGC API – Features (Parts 1–3) under /api/ogc, read-only and public. */
export function createOgcRouter(deps: {
  ogc: OgcService;
  version: string;
  /**
   * Run before the items of a computed collection (coverage-*, gaps-*), which cost what
   * /api/coverage costs: the app passes its anonymous rate limit and work queue (issue 11).
   */
  computed?: readonly RequestHandler[];
}): Router {
  const router = Router();
  const { ogc } = deps;
  const computed = onlyWhen((request) => isComputedCollection(String(request.params.collectionId)), deps.computed ?? []);
  const language = (request: Request) => requestLanguage(request.get('accept-language'));
  const plain = (request: Request) => parseRequest(request, formatQuerySchema, 'query', ogcMessages);

  router.get(ogcBasePath, (request, response) => {
    plain(request);
    const landing = ogc.landing(baseUrl(request), language(request));
    send(response, wantsHtml(request), landing, () => landingHtml(language(request), landing));
  });
  router.get(`${ogcBasePath}/api`, (request, response) => {
    response
      .set('Cache-Control', 'public, max-age=300')
      .type('application/vnd.oai.openapi+json;version=3.0')
      .send(JSON.stringify(ogcOpenApi(baseUrl(request), deps.version)));
  });
  router.get(`${ogcBasePath}/conformance`, (request, response) => {
    plain(request);
    const body = ogc.conformance();
    send(response, wantsHtml(request), body, () => conformanceHtml(language(request), body.conformsTo));
  });
  router.get(`${ogcBasePath}/collections`, async (request, response) => {
    plain(request);
    const body = await ogc.collections(baseUrl(request), language(request));
    send(response, wantsHtml(request), body, () => collectionsHtml(language(request), body.collections, body.links));
  });
  router.get(`${ogcBasePath}/collections/:collectionId`, async (request, response) => {
    plain(request);
    const body = await ogc.collection(String(request.params.collectionId), baseUrl(request), language(request));
    send(response, wantsHtml(request), body, () => collectionHtml(language(request), body));
  });
  router.get(`${ogcBasePath}/collections/:collectionId/queryables`, async (request, response) => {
    plain(request);
    const body = await ogc.queryables(String(request.params.collectionId), baseUrl(request), language(request));
    const properties = body.schema.properties as Record<string, { title: string; type?: string; format?: string }>;
    send(response, wantsHtml(request), body.schema, () => queryablesHtml(language(request), body.title, properties), 'application/schema+json');
  });
  router.get(`${ogcBasePath}/collections/:collectionId/items`, computed, async (request, response) => {
    const itemsRequest = parseItemsRequest(request, language(request));
    const result = await ogc.items(String(request.params.collectionId), itemsRequest, baseUrl(request), language(request));
    response.set('Content-Crs', `<${result.crs.uri}>`);
    send(response, wantsHtml(request), result.body, () => itemsHtml(language(request), result.title, result.body), 'application/geo+json');
  });
  router.get(`${ogcBasePath}/collections/:collectionId/items/:featureId`, computed, async (request, response) => {
    const given = parseRequest(request, singleValuesSchema, 'query', ogcMessages);
    const query = parseLocalized(featureQuerySchema, given, 'query', language(request), ogcMessages);
    const result = await ogc.item(String(request.params.collectionId), String(request.params.featureId), query, baseUrl(request));
    response.set('Content-Crs', `<${result.crs.uri}>`);
    const body = { ...result.feature, links: result.links };
    send(response, wantsHtml(request), body, () => itemHtml(language(request), result.title, result.feature, result.links), 'application/geo+json');
  });
  return router;
}
