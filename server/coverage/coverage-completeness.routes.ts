import { Router } from 'express';
import { requestLanguage } from '../http/problem.ts';
import type { CompletenessService } from './coverage-completeness.service.ts';

export function createCompletenessRouter(deps: { completeness: CompletenessService }): Router {
  const router = Router();
  router.get('/api/coverage/completeness', async (request, response) => {
    response.json(await deps.completeness.completeness(requestLanguage(request.get('accept-language')), request.query));
  });
  return router;
}
