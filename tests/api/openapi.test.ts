import { Validator } from '@seriousme/openapi-schema-validator';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describedRoutes } from '../../server/openapi/openapi.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

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

  it('derives query parameters from the same schemas that validate requests', async () => {
    const response = await request(app).get('/api/openapi.json');
    const parameters = response.body.paths['/api/areas'].get.parameters as { name: string; schema: { enum?: string[] } }[];
    expect(parameters.find((parameter) => parameter.name === 'level')?.schema.enum).toEqual([
      'city',
      'district',
      'sozialraum',
      'quarter',
    ]);
  });
});
