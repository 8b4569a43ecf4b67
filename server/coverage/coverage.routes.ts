import { Router } from 'express';
import { parseInput } from '../http/parse.ts';
import {
  coverageQuerySchema,
  gapsQuerySchema,
  profileParamsSchema,
  profileQuerySchema,
  scenarioBodySchema,
} from './coverage.schema.ts';
import type { CoverageService } from './coverage.service.ts';

export function createCoverageRouter(deps: { coverage: CoverageService }): Router {
  const router = Router();
  router.get('/api/coverage', async (request, response) => {
    const query = parseInput(coverageQuerySchema, request.query, 'query');
    response.json(await deps.coverage.coverage(query));
  });
  router.get('/api/coverage/gaps', async (request, response) => {
    const query = parseInput(gapsQuerySchema, request.query, 'query');
    response.type('application/geo+json').send(JSON.stringify(await deps.coverage.gaps(query)));
  });
  router.post('/api/coverage/scenario', async (request, response) => {
    const body = parseInput(scenarioBodySchema, request.body ?? {}, 'body');
    response.json(await deps.coverage.scenario(body));
  });
  router.get('/api/coverage/areas/:areaId/profile', async (request, response) => {
    const { areaId } = parseInput(profileParamsSchema, request.params, 'params');
    const query = parseInput(profileQuerySchema, request.query, 'query');
    response.json(await deps.coverage.profile(areaId, query));
  });
  return router;
}
