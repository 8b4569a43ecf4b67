import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { createAreasRouter } from './areas/areas.routes.ts';
import { createAreasService } from './areas/areas.service.ts';
import type { Config } from './config.ts';
import { createDatasetsService, type DatasetsService } from './datasets/datasets.service.ts';
import type { Database } from './db/connect.ts';
import { createHealthRouter } from './health/health.routes.ts';
import { NotFoundError } from './http/errors.ts';
import { createErrorHandler, notFoundHandler } from './http/problem.ts';
import { createMetaRouter, type DataStatus } from './meta/meta.routes.ts';

export interface AppDependencies {
  config: Config;
  database: Database;
  logger: Logger;
  datasets?: DatasetsService;
  /** What start-up learned about the city data (e.g. the data directory is missing). */
  dataStatus?: () => DataStatus;
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,100}$/;

export function basemapOrigin(styleUrl: string | undefined): string[] {
  if (!styleUrl) return [];
  return [new URL(styleUrl).origin];
}

export function createApp(deps: AppDependencies): Express {
  const { config, database, logger } = deps;
  const datasets = deps.datasets ?? createDatasetsService({ geodataDir: config.geodataDir, city: config.city });
  const dataStatus = deps.dataStatus ?? (() => ({ loaded: true, message: null }));
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger,
      genReqId: (request, response) => {
        const incoming = request.headers['x-request-id'];
        const id = typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
        response.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_request, response, error) =>
        error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
      autoLogging: { ignore: (request) => request.url?.startsWith('/assets/') === true },
      serializers: {
        req: (request: { id: unknown; method: string; url: string }) => ({ id: request.id, method: request.method, url: request.url }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
    }),
  );

  const basemap = basemapOrigin(config.basemapStyleUrl);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:', 'blob:', ...basemap],
          'font-src': ["'self'"],
          'connect-src': ["'self'", ...basemap],
          'worker-src': ["'self'", 'blob:'],
          'child-src': ['blob:'],
          'object-src': ["'none'"],
          'base-uri': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
        },
      },
      strictTransportSecurity: config.nodeEnv === 'production',
    }),
  );

  app.use(express.json({ limit: '2mb' }));

  app.use(createHealthRouter({ database, version: config.version }));
  app.use(
    createMetaRouter({ datasets, version: config.version, basemapStyleUrl: config.basemapStyleUrl, dataStatus }),
  );
  app.use(createAreasRouter({ areas: createAreasService({ db: database.knex }) }));
  app.use('/api', notFoundHandler);

  const assetsDir = path.join(config.geodataDir, 'basemap-assets', 'protomaps-basemaps-assets');
  const staticOptions = { maxAge: '7d', fallthrough: true, index: false } as const;
  app.use('/assets/fonts', express.static(path.join(assetsDir, 'fonts'), staticOptions));
  app.use('/assets/sprites', express.static(path.join(assetsDir, 'sprites'), staticOptions));
  app.use(
    '/assets',
    express.static(path.join(config.clientDir, 'assets'), { maxAge: '1y', immutable: true, index: false }),
  );
  app.use('/assets', (request) => {
    throw new NotFoundError(`There is no asset ${request.originalUrl}.`, 'asset_not_found');
  });
  app.use(express.static(config.clientDir, { index: false, maxAge: '1h' }));

  const indexHtml = path.join(config.clientDir, 'index.html');
  app.get(/.*/, (request, response, next) => {
    if (!request.accepts('html') || !fs.existsSync(indexHtml)) {
      next();
      return;
    }
    response.set('Cache-Control', 'no-cache').sendFile(indexHtml);
  });

  app.use(notFoundHandler);
  app.use(createErrorHandler(logger));
  return app;
}
