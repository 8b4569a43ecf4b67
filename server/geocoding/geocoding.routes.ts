import { Router } from 'express';
import { parseRequest } from '../http/parse-request.ts';
import { geocodingMessages } from './geocoding.messages.ts';
import { geocodeQuerySchema, streetsQuerySchema, suggestQuerySchema } from './geocoding.schema.ts';
import { featureCollection, type GeocodingService } from './geocoding.service.ts';

export function createGeocodingRouter(deps: { geocoding: GeocodingService }): Router {
  const router = Router();
  router.get('/api/geocode', async (request, response) => {
    const query = parseRequest(request, geocodeQuerySchema, 'query', geocodingMessages);
    const results = await deps.geocoding.geocode(query.q, query.limit);
    response.type('application/geo+json').send(JSON.stringify(featureCollection(results)));
  });
  router.get('/api/geocode/suggest', async (request, response) => {
    const query = parseRequest(request, suggestQuerySchema, 'query', geocodingMessages);
    const results = await deps.geocoding.suggest(query.q, query.limit);
    response.type('application/geo+json').send(JSON.stringify(featureCollection(results)));
  });
  router.get('/api/geocode/streets', async (request, response) => {
    const { bbox } = parseRequest(request, streetsQuerySchema, 'query', geocodingMessages);
    // Street data changes with imports only; a short cache spares repeated pans.
    response.set('Cache-Control', 'public, max-age=300').type('application/geo+json').send(JSON.stringify(await deps.geocoding.streets(bbox)));
  });
  return router;
}
