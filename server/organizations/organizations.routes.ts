import { Router, type Request } from 'express';
import { actorOf } from '../http/auth.ts';
import { parseLocalized } from '../http/localized-validation.ts';
import { requestLanguage } from '../http/problem.ts';
import { createOrganizationSchema, listOrganizationsQuerySchema } from './organizations.schema.ts';
import { organizationMessages, type OrganizationsRequestContext, type OrganizationsService } from './organizations.service.ts';

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
    const context = contextOf(request);
    const query = parseLocalized(listOrganizationsQuerySchema, request.query, 'query', context.language, organizationMessages);
    const items = await deps.organizations.search(context, query);
    // A provider created a moment ago must show up in the next search.
    response.set('Cache-Control', 'no-cache').json({ items });
  });
  router.post('/api/organizations', async (request, response) => {
    const context = contextOf(request);
    const input = parseLocalized(createOrganizationSchema, request.body, 'body', context.language, organizationMessages);
    const organization = await deps.organizations.create(context, input);
    response.status(201).json(organization);
  });
  return router;
}
