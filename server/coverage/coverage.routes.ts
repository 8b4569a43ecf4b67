import { Router } from 'express';
import { parseRequest } from '../http/parse-request.ts';
import { coverageMessages } from './coverage.messages.ts';
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
    const query = parseRequest(request, coverageQuerySchema, 'query', coverageMessages);
    response.json(await deps.coverage.coverage(query));
  });
  router.get('/api/coverage/gaps', async (request, response) => {
    const query = parseRequest(request, gapsQuerySchema, 'query', coverageMessages);
    response.type('application/geo+json').send(JSON.stringify(await deps.coverage.gaps(query)));
  });
  router.post('/api/coverage/scenario', async (request, response) => {
    const body = parseRequest(request, scenarioBodySchema, 'body', coverageMessages);
    response.json(await deps.coverage.scenario(body));
  });
  router.get('/api/coverage/areas/:areaId/profile', async (request, response) => {
    const { areaId } = parseRequest(request, profileParamsSchema, 'params', coverageMessages);
    const query = parseRequest(request, profileQuerySchema, 'query', coverageMessages);
    response.json(await deps.coverage.profile(areaId, query));
  });
  return router;
}
