import { Router, type Request } from 'express';
import { actorOf } from '../http/auth.ts';
import { parseLocalized } from '../http/localized-validation.ts';
import { requestLanguage } from '../http/problem.ts';
import { updateUserBodySchema } from './auth.schema.ts';
import type { AccountsContext, AccountsService } from './accounts.service.ts';

function contextOf(request: Request): AccountsContext {
  return {
    actor: actorOf(request),
    sessionId: request.auth?.sessionId,
    language: requestLanguage(request.get('accept-language')),
    requestId: String(request.id ?? ''),
  };
}

/** Account management: administrators for all accounts; everyone for their own sessions. */
export function createAccountsRouter(deps: { accounts: AccountsService }): Router {
  const router = Router();
  const { accounts } = deps;

  router.get('/api/users', async (request, response) => {
    response.set('Cache-Control', 'no-store').json({ items: await accounts.list(contextOf(request)) });
  });

  router.patch('/api/users/:id', async (request, response) => {
    const context = contextOf(request);
    const body = parseLocalized(updateUserBodySchema, request.body, 'body', context.language);
    response.json(await accounts.update(context, String(request.params.id), body));
  });

  router.post('/api/users/:id/password-reset', async (request, response) => {
    // The new password is in this answer only: no cache may keep it.
    response.set('Cache-Control', 'no-store').json(await accounts.resetPassword(contextOf(request), String(request.params.id)));
  });

  router.get('/api/users/:id/sessions', async (request, response) => {
    response.set('Cache-Control', 'no-store').json({ items: await accounts.sessions(contextOf(request), String(request.params.id)) });
  });

  router.delete('/api/users/:id/sessions', async (request, response) => {
    response.json({ endedSessions: await accounts.endAllSessions(contextOf(request), String(request.params.id)) });
  });

  router.delete('/api/users/:id/sessions/:sessionId', async (request, response) => {
    await accounts.endSession(contextOf(request), String(request.params.id), String(request.params.sessionId));
    response.status(204).end();
  });

  return router;
}
