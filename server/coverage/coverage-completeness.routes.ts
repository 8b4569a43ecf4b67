import { Router } from 'express';
import { parseRequest } from '../http/parse-request.ts';
import { requestLanguage } from '../http/problem.ts';
import { completenessQuerySchema } from './coverage-completeness.schema.ts';
import type { CompletenessService } from './coverage-completeness.service.ts';
import { coverageMessages } from './coverage.messages.ts';

export function createCompletenessRouter(deps: { completeness: CompletenessService }): Router {
  const router = Router();
  router.get('/api/coverage/completeness', async (request, response) => {
    const query = parseRequest(request, completenessQuerySchema, 'query', coverageMessages);
    response.json(await deps.completeness.completeness(requestLanguage(request.get('accept-language')), query));
  });
  return router;
}
