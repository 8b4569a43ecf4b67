import { Validator } from '@seriousme/openapi-schema-validator';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoverageWorkerPool } from '../../server/coverage/coverage-pool.ts';
import { describedRoutes } from '../../server/openapi/openapi.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { insertUser, signIn } from '../helpers/offer-factories.ts';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every `METHOD /path` the Express app answers, read from its router stack. */
function registeredRoutes(app: Express): string[] {
  const routes: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route && typeof layer.route.path === 'string' && layer.route.path.startsWith('/api/')) {
        for (const [method, enabled] of Object.entries(layer.route.methods)) {
          if (enabled && method !== '_all') routes.push(`${method.toUpperCase()} ${layer.route.path}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return routes.sort();
}

interface DescribedResponse {
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: { $ref?: string } }>;
}

type Paths = Record<string, Record<string, { responses: Record<string, DescribedResponse>; requestBody?: { content: Record<string, unknown> } }>>;

/** A path of the description with its parameters filled: computed OGC collections where they matter. */
function concretePath(path: string): string {
  return path
    .replace('{collectionId}', 'gaps-senior_meeting_place')
    .replace('{featureId}', 'x')
    .replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000001');
}

describe('OpenAPI 3.1 description', () => {
  let testDatabase: TestDatabase;
  let app: Express;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    app = createTestApp(testDatabase.database);
  });
  afterAll(async () => {
    await testDatabase.destroy();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const response = await request(app).get('/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    const result = await new Validator().validate(response.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every API route the app answers, and no route it does not', () => {
    expect([...describedRoutes()].sort()).toEqual(registeredRoutes(app));
  });

  // Issue 11: clients (and monitors) learn from the description which routes refuse with 429 or 503
  // and that these answers say when to try again.
  it('documents 503 on every operation and Retry-After with every 429, as problem+json', async () => {
    const paths = (await request(app).get('/api/openapi.json')).body.paths as Paths;
    for (const [path, methods] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const where = `${method.toUpperCase()} ${path}`;
        for (const status of ['429', '503'].filter((code) => code in operation.responses)) {
          expect(operation.responses[status]!.content?.['application/problem+json']?.schema?.$ref, where).toBe('#/components/schemas/Problem');
        }
        expect(operation.responses['503'], where).toBeDefined();
        if (operation.responses['429']) expect(operation.responses['429'].headers?.['Retry-After'], where).toBeDefined();
      }
    }
  });

  it('documents 429 and 503 with Retry-After wherever the app answers them', { timeout: 300_000 }, async () => {
    // A limit of one analysis a minute per address and a queue that admits nothing: every rate-limited
    // route answers 429 the second time, every queued route 503, each with Retry-After.
    // the worker pool needs a thread; the queue in front of it admits nothing
    const computer = createCoverageWorkerPool({ threads: 1 });
    const limited = createTestApp(testDatabase.database, { analysisRateLimitPerMinute: 1, work: { concurrency: 0, maxQueued: 0, retryAfterSeconds: 9 } }, { coverageComputer: computer });
    const admin = await signIn(limited, await insertUser(testDatabase.database.knex, { role: 'admin' }));
    const paths = (await request(limited).get('/api/openapi.json')).body.paths as Paths;
    const seen: string[] = [];
    for (const [path, methods] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const url = concretePath(path);
        const contentType = Object.keys(operation.requestBody?.content ?? {})[0];
        const send = (call: request.Test) =>
          (contentType ? call.set('content-type', contentType).send(contentType === 'text/csv' ? 'name\nx\n' : '{}') : call).set('accept-language', 'en');
        const answers = [await send(request(limited)[method as 'get'](url)), await send(request(limited)[method as 'get'](url))];
        // the administrator stays signed in for the routes after this one
        if (path !== '/api/auth/logout') answers.push(await send(admin.agent[method as 'get'](url).set('X-CSRF-Token', admin.csrfToken)));
        for (const answer of answers) {
          if (![429, 503].includes(answer.status) || answer.headers['retry-after'] === undefined) continue;
          const where = `${method.toUpperCase()} ${path} → ${answer.status} ${answer.body.code}`;
          seen.push(where);
          expect(operation.responses[String(answer.status)]?.headers?.['Retry-After'], where).toBeDefined();
        }
      }
    }
    await computer.close();
    // not a vacuous pass: the limit, the queue for anonymous callers and the queue for staff answered
    expect(seen).toEqual(expect.arrayContaining([
      'GET /api/coverage → 429 too_many_requests',
      'POST /api/coverage/scenario → 503 server_busy',
      'GET /api/ogc/collections/{collectionId}/items → 429 too_many_requests',
      'POST /api/offers/import → 503 server_busy',
      'GET /api/steering/goals/{id}/figure → 503 server_busy',
    ]));
  });

  it('derives query parameters from the same schemas that validate requests', async () => {
    const response = await request(app).get('/api/openapi.json');
    const parameters = response.body.paths['/api/areas'].get.parameters as { name: string; schema: { enum?: string[] } }[];
    expect(parameters.find((parameter) => parameter.name === 'level')?.schema.enum).toEqual([
      'city',
      'district',
      'sozialraum',
      'quarter',
      'area_set',
    ]);
  });
});
