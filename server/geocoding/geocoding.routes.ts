import { Router } from 'express';
import { parseInput } from '../http/parse.ts';
import { geocodeQuerySchema, streetsQuerySchema, suggestQuerySchema } from './geocoding.schema.ts';
import { featureCollection, type GeocodingService } from './geocoding.service.ts';

export function createGeocodingRouter(deps: { geocoding: GeocodingService }): Router {
  const router = Router();
  router.get('/api/geocode', async (request, response) => {
    const query = parseInput(geocodeQuerySchema, request.query, 'query');
    const results = await deps.geocoding.geocode(query.q, query.limit);
    response.type('application/geo+json').send(JSON.stringify(featureCollection(results)));
  });
  router.get('/api/geocode/suggest', async (request, response) => {
    const query = parseInput(suggestQuerySchema, request.query, 'query');
    const results = await deps.geocoding.suggest(query.q, query.limit);
    response.type('application/geo+json').send(JSON.stringify(featureCollection(results)));
  });
  router.get('/api/geocode/streets', async (request, response) => {
    const { bbox } = parseInput(streetsQuerySchema, request.query, 'query');
    // Street data changes with imports only; a short cache spares repeated pans.
    response.set('Cache-Control', 'public, max-age=300').type('application/geo+json').send(JSON.stringify(await deps.geocoding.streets(bbox)));
  });
  return router;
}
