import { Router, type Request } from 'express';
import { actorOf } from '../http/auth.ts';
import { requestLanguage } from '../http/problem.ts';
import type { OrganizationsRequestContext, OrganizationsService } from './organizations.service.ts';

function contextOf(request: Request): OrganizationsRequestContext {
  return {
    actor: actorOf(request),
    language: requestLanguage(request.get('accept-language')),
    requestId: request.id === undefined ? undefined : String(request.id),
  };
}

export function createOrganizationsRouter(deps: { organizations: OrganizationsService }): Router {
  const router = Router();
  router.get('/api/organizations', async (request, response) => {
    const items = await deps.organizations.search(contextOf(request), request.query);
    // A provider created a moment ago must show up in the next search.
    response.set('Cache-Control', 'no-cache').json({ items });
  });
  router.post('/api/organizations', async (request, response) => {
    const organization = await deps.organizations.create(contextOf(request), request.body);
    response.status(201).json(organization);
  });
  return router;
}
