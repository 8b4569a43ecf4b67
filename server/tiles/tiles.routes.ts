import { Router, type Request, type Response } from 'express';
import { parseRequest } from '../http/parse-request.ts';
import { tileMessages } from './tiles.messages.ts';
import { areaLevelParamsSchema, emptyQuerySchema, maxTileZoom, offerTileQuerySchema, tileParamsSchema } from './tiles.schema.ts';
import type { EncodedTile, TilesService } from './tiles.service.ts';
import { streetTileMinZoom } from './tiles-street-lines.ts';

const mvt = 'application/vnd.mapbox-vector-tile';

function sendTile(request: Request, response: Response, tile: EncodedTile): void {
  // Short freshness plus an ETag from the data version: caches revalidate cheaply, and an
  // edit reaches every map within seconds (docs/api.md, "Vector tiles").
  response.set('Cache-Control', 'public, max-age=5, stale-while-revalidate=30').set('ETag', tile.etag);
  if (request.get('if-none-match') === tile.etag) {
    response.status(304).end();
    return;
  }
  response.type(mvt).send(tile.body);
}

function origin(request: Request): string {
  return `${request.protocol}://${request.get('host')}`;
}

/** Vector tiles (MVT) of the public offers, the areas and the streets, with TileJSON descriptions. */
export function createTilesRouter(deps: { tiles: TilesService; city: () => { name: string; bbox: [number, number, number, number]; center: [number, number] } }): Router {
  const router = Router();
  const { tiles } = deps;
  const tileJson = (request: Request, name: string, path: string, layers: unknown[]) => {
    const city = deps.city();
    const query = new URLSearchParams(request.query as Record<string, string>).toString();
    return {
      tilejson: '3.0.0',
      name,
      scheme: 'xyz',
      tiles: [`${origin(request)}${path}/{z}/{x}/{y}.pbf${query ? `?${query}` : ''}`],
      minzoom: 0,
      maxzoom: maxTileZoom,
      bounds: city.bbox,
      center: [...city.center, 12],
      vector_layers: layers,
      attribution: 'Angebotsatlas',
    };
  };

  router.get('/api/tiles/offers.json', async (request, response) => {
    parseRequest(request, offerTileQuerySchema, 'query', tileMessages);
    response.set('Cache-Control', 'public, max-age=60').json(
      tileJson(request, 'offers', '/api/tiles/offers', [
        {
          id: 'offers',
          description: 'Public offers: clusters with count below zoom 14, single offer locations from zoom 14',
          fields: { count: 'Number', id: 'String', offerId: 'String', name: 'String', offerType: 'String' },
        },
      ]),
    );
  });
  router.get('/api/tiles/offers/:z/:x/:y.pbf', async (request, response) => {
    const tile = parseRequest(request, tileParamsSchema, 'params', tileMessages);
    const query = parseRequest(request, offerTileQuerySchema, 'query', tileMessages);
    sendTile(request, response, await tiles.offerTile(tile, query));
  });
  router.get('/api/tiles/streets.json', async (request, response) => {
    parseRequest(request, emptyQuerySchema, 'query', tileMessages);
    response.set('Cache-Control', 'public, max-age=60').json({
      ...tileJson(request, 'streets', '/api/tiles/streets', [
        { id: 'streets', description: 'Street segments of the street kernel (from zoom 13), positions on the tile grid', fields: { name: 'String' } },
      ]),
      minzoom: streetTileMinZoom,
    });
  });
  router.get('/api/tiles/streets/:z/:x/:y.pbf', async (request, response) => {
    const tile = parseRequest(request, tileParamsSchema, 'params', tileMessages);
    parseRequest(request, emptyQuerySchema, 'query', tileMessages);
    sendTile(request, response, await tiles.streetTile(tile));
  });
  router.get('/api/tiles/areas-:level.json', async (request, response) => {
    const { level } = parseRequest(request, areaLevelParamsSchema, 'params', tileMessages);
    parseRequest(request, emptyQuerySchema, 'query', tileMessages);
    response.set('Cache-Control', 'public, max-age=60').json(
      tileJson(request, `areas-${level}`, `/api/tiles/areas-${level}`, [
        { id: 'areas', description: `Areas of the level ${level}, simplified to a pixel per zoom`, fields: { code: 'String', name: 'String', level: 'String' } },
      ]),
    );
  });
  router.get('/api/tiles/areas-:level/:z/:x/:y.pbf', async (request, response) => {
    // The path holds both; each schema reads its own fields (tileParamsSchema is not strict).
    const { level } = parseRequest(request, areaLevelParamsSchema, 'params', tileMessages);
    const tile = parseRequest(request, tileParamsSchema, 'params', tileMessages);
    parseRequest(request, emptyQuerySchema, 'query', tileMessages);
    sendTile(request, response, await tiles.areaTile(tile, level));
  });
  return router;
}
