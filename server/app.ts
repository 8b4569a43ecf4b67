import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { createAreasRouter } from './areas/areas.routes.ts';
import { createAreasService } from './areas/areas.service.ts';
import { createAuditService } from './audit/audit.service.ts';
import { createAccountsRouter } from './auth/accounts.routes.ts';
import { createAccountsService } from './auth/accounts.service.ts';
import { createAuthRouter, defaultLoginRateLimit, loginThrottleOptions, type LoginRateLimit } from './auth/auth.routes.ts';
import { createAuthService } from './auth/auth.service.ts';
import { createLoginThrottle } from './auth/login-throttle.ts';
import { createRefusalAudit } from './audit/refusal-audit.ts';
import type { Config } from './config.ts';
import { createCompletenessRouter } from './coverage/coverage-completeness.routes.ts';
import { createCompletenessService } from './coverage/coverage-completeness.service.ts';
import { createCoverageRouter } from './coverage/coverage.routes.ts';
import { createCoverageWorkerPool } from './coverage/coverage-pool.ts';
import { createCoverageService } from './coverage/coverage.service.ts';
import { loadCityDemandMapping } from './coverage/demand.ts';
import type { CoverageComputer } from './coverage/coverage.task.ts';
import { createDepartmentsRouter } from './departments/departments.routes.ts';
import { createDepartmentsService } from './departments/departments.service.ts';
import { createCitiesRouter } from './cities/cities.routes.ts';
import { createCitiesService } from './cities/cities.service.ts';
import { createDatasetsRouter } from './datasets/datasets.routes.ts';
import { createDatasetsService, type DatasetsService } from './datasets/datasets.service.ts';
import { createGeocodingRouter } from './geocoding/geocoding.routes.ts';
import { createGeocodingService, type GeocodingService } from './geocoding/geocoding.service.ts';
import type { Database } from './db/connect.ts';
import { createHealthRouter } from './health/health.routes.ts';
import { createSessionMiddleware } from './http/auth.ts';
import { strictTransportSecurity } from './http/transport-security.ts';
import { createCsrfProtection } from './http/csrf.ts';
import { createInputGuard } from './http/input-guard.ts';
import { createHsdsRouter } from './hsds/hsds.routes.ts';
import { createHsdsService, hsdsFileFormat } from './hsds/hsds.service.ts';
import { createImportRunLog } from './imports/imports.service.ts';
import { createOsmAttributions } from './imports/osm-import.service.ts';
import { NotFoundError } from './http/errors.ts';
import { fillMessage, inBothLanguages } from './http/localized-validation.ts';
import { createErrorHandler, notFoundHandler } from './http/problem.ts';
import { createAnonymousRateLimit, createWorkQueue } from './http/work-queue.ts';
import { createMetaRouter } from './meta/meta.routes.ts';
import { createOgcRouter } from './ogc/ogc.routes.ts';
import { createOgcService } from './ogc/ogc.service.ts';
import { createOpenApiRouter } from './openapi/openapi.routes.ts';
import { createOrganizationsRouter } from './organizations/organizations.routes.ts';
import { createOrganizationsService } from './organizations/organizations.service.ts';
import { dataLoaded, type DataStatus } from './meta/meta.schema.ts';
import { createImportFileReaderPool, type ImportFileReader } from './offers/offers-file-reader.ts';
import { createOfferFilesService } from './offers/offers-files.service.ts';
import { createOffersBulkRouter } from './offers/offers-bulk.routes.ts';
import { createOffersBulkService } from './offers/offers-bulk.service.ts';
import { createOffersRouter } from './offers/offers.routes.ts';
import { createOffersService } from './offers/offers.service.ts';
import { createOpeningHoursEvaluator } from './shared/opening-hours.ts';
import { createSearchRouter } from './search/search.routes.ts';
import { createSearchService } from './search/search.service.ts';
import { createStreetKernel } from './streets/streets.service.ts';
import type { SearchThreads } from './search/search-thread.ts';
import { createSteeringRouter } from './steering/steering.routes.ts';
import { createSteeringService, type SteeringService } from './steering/steering.service.ts';
import { createTaxonomiesRouter } from './taxonomies/taxonomies.routes.ts';
import { createTilesRouter } from './tiles/tiles.routes.ts';
import { createTilesService } from './tiles/tiles.service.ts';
import { createTaxonomiesService } from './taxonomies/taxonomies.service.ts';

export interface AppDependencies {
  config: Config;
  database: Database;
  logger: Logger;
  datasets?: DatasetsService;
  /** What start-up learned about the city data (e.g. the data directory is missing). */
  dataStatus?: () => DataStatus;
  /** Login throttling; tests lower or raise it. */
  loginRateLimit?: LoginRateLimit;
  /** The address index is held in memory; main.ts may share and warm it. */
  geocoding?: GeocodingService;
  /** The steering cycle's clock (monthly snapshots, due dates); tests pass a controllable one. */
  steeringClock?: () => Date;
  /** Receives the steering service, e.g. for main.ts to run the monthly snapshot schedule. */
  onSteering?: (steering: SteeringService) => void;
  /** Worker threads for coverage computations; main.ts passes one to close it on shutdown. */
  coverageComputer?: CoverageComputer;
  /** Worker threads that read uploaded import files; main.ts passes one to close it on shutdown. */
  importFileReader?: ImportFileReader;
  /** The search's worker threads (SEARCH_THREADS); main.ts passes them to close them on shutdown. */
  searchThreads?: SearchThreads | undefined;
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,100}$/;

export function basemapOrigin(styleUrl: string | undefined): string[] {
  if (!styleUrl) return [];
  return [new URL(styleUrl).origin];
}

// eslint-disable-next-line max-lines-per-function -- the composition root: one statement per feature wired, in dependency order
export function createApp(deps: AppDependencies): Express {
  const { config, database, logger } = deps;
  const datasets = deps.datasets ?? createDatasetsService({ geodataDir: config.geodataDir, city: config.city, cityDir: config.cityDir });
  const dataStatus = deps.dataStatus ?? (() => dataLoaded);
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
      // Who asked, by id only: never the e-mail address, a cookie or a token (docs/operations.md).
      customProps: (request) => ({ userId: (request as express.Request).auth?.user.id ?? null }),
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
      // Set below, per request: whenever it came over https, whatever NODE_ENV says.
      strictTransportSecurity: false,
    }),
  );
  app.use(strictTransportSecurity);

  app.use(express.json({ limit: '2mb' }));
  // NUL characters and broken percent-encoding: 400 naming the field, before any route (docs/security.md, V5).
  app.use(createInputGuard());

  // Sessions and CSRF before every API route: each state-changing request of a signed-in
  // session must carry its X-CSRF-Token (docs/api.md, "Sign-in").
  const audit = createAuditService({ db: database.knex });
  const loginThrottle = createLoginThrottle(loginThrottleOptions(deps.loginRateLimit ?? defaultLoginRateLimit));
  const auth = createAuthService({ db: database.knex, audit, loginThrottle });
  app.use('/api', createSessionMiddleware({ auth }), createCsrfProtection());

  // The citizens' search and address lookup come first: they are the most frequent requests
  // (a suggestion per keystroke), and a request tries the routers in order (docs/benchmarks.md).
  // One street kernel (server/streets): the network is built once per data version and held once
  // in memory; the geocoder, the search and the coverage walk on it with the same rules.
  // The city this process serves (CITY): every per-city read and write is scoped to it (issue 13).
  const cityId = datasets.city().id;
  const streets = createStreetKernel({ db: database.knex, cityId, detourFactor: config.walkingDetourFactor, logger, thread: deps.searchThreads?.walking });
  const geocoding =
    deps.geocoding ??
    createGeocodingService({ db: database.knex, cityId, streets, cityNames: [datasets.city().name, 'Köln', 'Cologne'], logger });
  const taxonomies = createTaxonomiesService({ db: database.knex });
  const openingHours = createOpeningHoursEvaluator({ holidayState: config.holidayState, center: datasets.city().center });
  const search = createSearchService({
    db: database.knex,
    cityId,
    geocoding,
    streets,
    taxonomies,
    openingHours,
    index: { enabled: config.searchIndex, checkIntervalMs: config.searchIndexCheckMs, rebuildDelayMs: config.searchIndexRebuildDelayMs, answerWhileStale: config.searchIndexStaleAnswers },
    thread: deps.searchThreads?.search,
  });
  app.use(createSearchRouter({ search }));
  app.use(createGeocodingRouter({ geocoding }));

  app.use(createHealthRouter({ database, version: config.version }));
  app.use(createOpenApiRouter({ version: config.version }));
  app.use(
    createMetaRouter({ datasets, version: config.version, basemapStyleUrl: config.basemapStyleUrl, dataStatus, importedAttributions: createOsmAttributions(database.knex, cityId) }),
  );
  app.use(createAreasRouter({ areas: createAreasService({ db: database.knex, cityId }) }));
  app.use(createDatasetsRouter({ datasets }));
  app.use(createCompletenessRouter({ completeness: createCompletenessService({ db: database.knex, taxonomies, recordSources: () => datasets.recordSources(), cityId }) }));
  app.use(
    createCitiesRouter({
      cities: createCitiesService({ db: database.knex, currentCityId: cityId, portalUrl: (id) => datasets.findCity(id)?.portalUrl }),
    }),
  );
  // Expensive work: anonymous visitors are rate-limited per address, and everybody queues (bounded).
  const workQueue = createWorkQueue(config.work);
  // one count per address for every coverage computation: /api/coverage and the computed OGC collections
  const expensive = [createAnonymousRateLimit(config.analysisRateLimitPerMinute), workQueue.middleware];
  app.use('/api/coverage', ...expensive);
  const computer = deps.coverageComputer ?? createCoverageWorkerPool({ threads: config.work.concurrency });
  const demandMapping = loadCityDemandMapping({ cityFile: datasets.cityFiles().demand, indicators: datasets.indicators() });
  const coverage = createCoverageService({ db: database.knex, streets, taxonomies, demandMapping, cityId, computer });
  app.use(createCoverageRouter({ coverage }));
  const coverageSubjects = Object.entries(demandMapping.offerTypes).map(([offerType, targetGroup]) => ({
    offerType,
    indicatorSets: demandMapping.targetGroups[targetGroup]?.indicatorSets ?? [],
  }));
  app.use(
    createOgcRouter({
      ogc: createOgcService({ db: database.knex, coverage, taxonomies, city: () => datasets.city(), coverageSubjects: () => coverageSubjects }),
      version: config.version,
      computed: expensive,
    }),
  );
  app.use(
    createTilesRouter({
      tiles: createTilesService({
        db: database.knex,
        cityId,
        taxonomies,
        logger,
        checkIntervalMs: Math.min(config.searchIndexCheckMs, 2000),
        // PostgreSQL reads the offer index through one cursor; the embedded database's one connection is shared, so it reads pages.
        offerIndex: { read: database.backend === 'postgresql' ? 'cursor' : 'pages' },
        streetLines: () => geocoding.streetLines(),
      }),
      city: () => datasets.city(),
    }),
  );
  const departments = createDepartmentsService({ db: database.knex, audit, cityId });
  const organizations = createOrganizationsService({ db: database.knex, audit });
  const offers = createOffersService({ db: database.knex, audit, taxonomies, departments, organizations, datasets, holidayState: config.holidayState });
  app.use(createAuthRouter({ auth, ...(deps.loginRateLimit ? { loginRateLimit: deps.loginRateLimit } : {}) }));
  app.use(createAccountsRouter({ accounts: createAccountsService({ db: database.knex, audit }) }));
  app.use(createTaxonomiesRouter({ taxonomies }));
  app.use(createDepartmentsRouter({ departments }));
  app.use(createOrganizationsRouter({ organizations }));
  const offerFiles = createOfferFilesService({
    db: database.knex,
    hsds: hsdsFileFormat,
    importRuns: createImportRunLog(),
    departments,
    organizations,
    audit,
    taxonomies,
    datasets,
    holidayState: config.holidayState,
    geocoding,
    readFile: deps.importFileReader ?? createImportFileReaderPool({ threads: 1 }).read,
  });
  app.use(createOffersBulkRouter({ bulk: createOffersBulkService({ db: database.knex, audit }) }));
  app.use(createOffersRouter({ offers, files: offerFiles, uploadLimits: config.uploadLimits, workQueue: workQueue.middleware }));
  app.use(createHsdsRouter({ hsds: createHsdsService({ db: database.knex, offers, organizations, taxonomies, holidayState: config.holidayState }) }));
  const steering = createSteeringService({
    db: database.knex,
    cityId,
    audit,
    taxonomies,
    coverage,
    offers,
    ...(deps.steeringClock ? { clock: deps.steeringClock } : {}),
  });
  app.use(createSteeringRouter({ steering, workQueue: workQueue.middleware }));
  deps.onSteering?.(steering);
  app.use('/api', notFoundHandler);

  const assetsDir = path.join(config.geodataDir, 'basemap-assets', 'protomaps-basemaps-assets');
  const staticOptions = { maxAge: '7d', fallthrough: true, index: false } as const;
  app.use('/assets/fonts', express.static(path.join(assetsDir, 'fonts'), staticOptions));
  app.use('/assets/sprites', express.static(path.join(assetsDir, 'sprites'), staticOptions));
  // Vite puts hashed bundles under /static: they never change, so caches may keep them.
  app.use(
    '/static',
    express.static(path.join(config.clientDir, 'static'), { maxAge: '1y', immutable: true, index: false }),
  );
  app.use('/assets', (request) => {
    const message = { de: 'Die Datei {path} gibt es nicht.', en: 'There is no asset {path}.' };
    const params = { path: request.originalUrl };
    throw inBothLanguages(new NotFoundError(fillMessage(message, 'en', params), 'asset_not_found'), message, params);
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
  app.use(createRefusalAudit({ audit, db: database.knex, logger }));
  app.use(createErrorHandler(logger));
  return app;
}
