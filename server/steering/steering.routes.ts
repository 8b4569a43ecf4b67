import type { z } from 'zod';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { actorOf } from '../http/auth.ts';
import { parseLocalized } from '../http/localized-validation.ts';
import { onlyWhen } from '../http/work-queue.ts';
import { requestLanguage } from '../http/problem.ts';
import { steeringMessages } from './steering.messages.ts';
import {
  goalCreateSchema,
  goalListQuerySchema,
  goalPatchSchema,
  goalTransitionSchema,
  measureCreateSchema,
  measurePatchSchema,
  needsQuerySchema,
  processValueSchema,
  snapshotBodySchema,
} from './steering.schema.ts';
import type { SteeringContext, SteeringService } from './steering.service.ts';

function contextOf(request: Request): SteeringContext {
  return {
    actor: actorOf(request),
    language: requestLanguage(request.get('accept-language')),
    requestId: request.id === undefined ? undefined : String(request.id),
  };
}

/** Query and body parsed at the boundary, with messages in the request's language. */
function parsed<Schema extends z.ZodType>(schema: Schema, request: Request, location: 'query' | 'body'): z.output<Schema> {
  const input: unknown = location === 'query' ? request.query : (request.body ?? {});
  return parseLocalized(schema, input, location, requestLanguage(request.get('accept-language')), steeringMessages);
}

function idOf(request: Request): string {
  return String(request.params.id);
}

function sendVersioned(response: Response, body: { version: number }, status = 200): void {
  response.status(status).set('ETag', `"${body.version}"`).set('Cache-Control', 'private, no-cache').json(body);
}

function privately(response: Response): Response {
  return response.set('Cache-Control', 'private, no-cache');
}

/** The steering cycle (docs/steering.md): goals, needs, measures, process figures, monthly snapshots, dashboard. */
// eslint-disable-next-line max-lines-per-function -- a route table: one line per route of the steering API, nothing to split out
export function createSteeringRouter(deps: {
  steering: SteeringService;
  /**
   * The bounded queue of expensive work (server/http/work-queue.ts): figures, needs with location
   * suggestions, expected effects and snapshots run the coverage computation. Only signed-in
   * requests take a turn; the service refuses anonymous ones at once.
   */
  workQueue?: RequestHandler;
}): Router {
  const router = Router();
  const { steering } = deps;
  const queued = onlyWhen((request) => actorOf(request).kind !== 'anonymous', deps.workQueue ? [deps.workQueue] : []);

  router.get('/api/steering/goals', async (request, response) => {
    privately(response).json({ items: await steering.listGoals(contextOf(request), parsed(goalListQuerySchema, request, 'query')) });
  });
  router.get('/api/steering/indicators', async (request, response) => {
    privately(response).json({ items: await steering.indicators(contextOf(request)) });
  });
  router.post('/api/steering/goals', async (request, response) => {
    const goal = await steering.createGoal(contextOf(request), parsed(goalCreateSchema, request, 'body'));
    response.location(`/api/steering/goals/${goal.id}`);
    sendVersioned(response, goal, 201);
  });
  router.get('/api/steering/goals/:id', async (request, response) => {
    sendVersioned(response, await steering.getGoal(contextOf(request), idOf(request)));
  });
  router.patch('/api/steering/goals/:id', async (request, response) => {
    sendVersioned(response, await steering.updateGoal(contextOf(request), idOf(request), request.get('if-match'), parsed(goalPatchSchema, request, 'body')));
  });
  router.post('/api/steering/goals/:id/status', async (request, response) => {
    sendVersioned(response, await steering.transitionGoal(contextOf(request), idOf(request), request.get('if-match'), parsed(goalTransitionSchema, request, 'body')));
  });
  router.get('/api/steering/goals/:id/history', async (request, response) => {
    privately(response).json({ items: await steering.goalHistory(contextOf(request), idOf(request)) });
  });
  router.get('/api/steering/goals/:id/figure', queued, async (request, response) => {
    privately(response).json(await steering.currentFigure(contextOf(request), idOf(request)));
  });
  router.get('/api/steering/goals/:id/needs', queued, async (request, response) => {
    privately(response).json(await steering.needs(contextOf(request), idOf(request), parsed(needsQuerySchema, request, 'query')));
  });
  router.get('/api/steering/goals/:id/tracking', async (request, response) => {
    privately(response).json(await steering.tracking(contextOf(request), idOf(request)));
  });
  router.get('/api/steering/goals/:id/offers', async (request, response) => {
    privately(response).json(await steering.figureOffers(contextOf(request), idOf(request)));
  });
  router.get('/api/steering/goals/:id/process-values', async (request, response) => {
    privately(response).json({ items: await steering.listProcessValues(contextOf(request), idOf(request)) });
  });
  router.post('/api/steering/goals/:id/process-values', async (request, response) => {
    response.status(201).json(await steering.enterProcessValue(contextOf(request), idOf(request), parsed(processValueSchema, request, 'body')));
  });

  router.get('/api/steering/measures', async (request, response) => {
    const goal = typeof request.query.goal === 'string' ? request.query.goal : undefined;
    const department = typeof request.query.department === 'string' ? request.query.department : undefined;
    privately(response).json({
      items: await steering.listMeasures(contextOf(request), { ...(goal ? { goal } : {}), ...(department ? { department } : {}) }),
    });
  });
  router.post('/api/steering/measures', async (request, response) => {
    const measure = await steering.createMeasure(contextOf(request), parsed(measureCreateSchema, request, 'body'));
    response.location(`/api/steering/measures/${measure.id}`);
    sendVersioned(response, measure, 201);
  });
  router.get('/api/steering/measures/:id', async (request, response) => {
    sendVersioned(response, await steering.getMeasure(contextOf(request), idOf(request)));
  });
  router.patch('/api/steering/measures/:id', async (request, response) => {
    sendVersioned(response, await steering.updateMeasure(contextOf(request), idOf(request), request.get('if-match'), parsed(measurePatchSchema, request, 'body')));
  });
  router.get('/api/steering/measures/:id/history', async (request, response) => {
    privately(response).json({ items: await steering.measureHistory(contextOf(request), idOf(request)) });
  });
  router.get('/api/steering/measures/:id/effect', queued, async (request, response) => {
    privately(response).json({ items: await steering.expectedEffect(contextOf(request), idOf(request)) });
  });
  router.post('/api/steering/measures/:id/open', async (request, response) => {
    sendVersioned(response, await steering.openMeasure(contextOf(request), idOf(request), request.get('if-match')));
  });

  router.post('/api/steering/snapshots', queued, async (request, response) => {
    response.json(await steering.takeSnapshots('request', contextOf(request), parsed(snapshotBodySchema, request, 'body')));
  });
  router.get('/api/steering/dashboard', async (request, response) => {
    privately(response).json(await steering.dashboard(contextOf(request), parsed(goalListQuerySchema, request, 'query')));
  });

  // Transparency: adopted and achieved goals with their monthly values, for everyone.
  router.get('/api/steering/public/dashboard', async (request, response) => {
    response.set('Cache-Control', 'public, max-age=300').json(await steering.dashboard(contextOf(request), parsed(goalListQuerySchema, request, 'query'), { publicOnly: true }));
  });
  router.get('/api/steering/public/goals/:id', async (request, response) => {
    response.set('Cache-Control', 'public, max-age=300').json(await steering.publicGoal(contextOf(request), idOf(request)));
  });
  router.get('/api/steering/public/goals/:id/offers', async (request, response) => {
    response.set('Cache-Control', 'public, max-age=300').json(await steering.figureOffers(contextOf(request), idOf(request), { publicOnly: true }));
  });
  return router;
}
