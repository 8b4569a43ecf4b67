import { defaultLimit, maxLimit, supportedCrs } from './ogc.schema.ts';

/**
 * The OGC API's own description (conformance class "oas30"): OpenAPI 3.0, as Part 1 asks,
 * apart from the portal's OpenAPI 3.1 document at /api/openapi.json.
 */
export function ogcOpenApi(base: string, version: string): Record<string, unknown> {
  const problem = {
    description: 'An error as application/problem+json (RFC 9457) naming the field and the reason.',
    content: { 'application/problem+json': { schema: { type: 'object' } } },
  };
  const collectionId = { name: 'collectionId', in: 'path', required: true, schema: { type: 'string' } };
  const format = { name: 'f', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'html'] } };
  const crs = { name: 'crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: supportedCrs.map((item) => item.uri) } };
  const json = (description: string) => ({
    description,
    content: { 'application/json': { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } },
  });
  return {
    openapi: '3.0.3',
    info: { title: 'Angebotsatlas – OGC API Features', version, license: { name: 'AGPL-3.0-or-later' } },
    servers: [{ url: base }],
    paths: {
      '/': { get: { operationId: 'getLandingPage', parameters: [format], responses: { 200: json('The landing page'), 400: problem } } },
      '/conformance': { get: { operationId: 'getConformance', parameters: [format], responses: { 200: json('The conformance classes claimed'), 400: problem } } },
      '/collections': { get: { operationId: 'getCollections', parameters: [format], responses: { 200: json('The collections'), 400: problem } } },
      '/collections/{collectionId}': {
        get: { operationId: 'describeCollection', parameters: [collectionId, format], responses: { 200: json('One collection'), 404: problem } },
      },
      '/collections/{collectionId}/queryables': {
        get: {
          operationId: 'getQueryables',
          parameters: [collectionId, format],
          responses: { 200: { description: 'What may be filtered on', content: { 'application/schema+json': { schema: { type: 'object' } } } }, 404: problem },
        },
      },
      '/collections/{collectionId}/items': {
        get: {
          operationId: 'getFeatures',
          parameters: [
            collectionId,
            format,
            { name: 'limit', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'integer', minimum: 1, maximum: maxLimit, default: defaultLimit } },
            { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
            { name: 'bbox', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } } },
            { name: 'bbox-crs', in: 'query', required: false, schema: { type: 'string', format: 'uri' } },
            crs,
            { name: 'datetime', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'filter', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'filter-lang', in: 'query', required: false, schema: { type: 'string', enum: ['cql2-text'] } },
            { name: 'filter-crs', in: 'query', required: false, schema: { type: 'string', format: 'uri' } },
          ],
          responses: {
            200: { description: 'A page of features (GeoJSON)', content: { 'application/geo+json': { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } } },
            400: problem,
            404: problem,
          },
        },
      },
      '/collections/{collectionId}/items/{featureId}': {
        get: {
          operationId: 'getFeature',
          parameters: [collectionId, { name: 'featureId', in: 'path', required: true, schema: { type: 'string' } }, format, crs],
          responses: { 200: { description: 'One feature (GeoJSON)', content: { 'application/geo+json': { schema: { type: 'object' } } } }, 404: problem },
        },
      },
    },
  };
}
