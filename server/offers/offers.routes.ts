import { Router, type Request, type RequestHandler, type Response } from 'express';
import { actorOf } from '../http/auth.ts';
import { createUploadGuard, type UploadLimits } from '../http/upload-guard.ts';
import { parseLocalized } from '../http/localized-validation.ts';
import { parseRequest } from '../http/parse-request.ts';
import { requestLanguage } from '../http/problem.ts';
import type { OfferFilesService } from './offers-files.service.ts';
import { offerMessages } from './offers.messages.ts';
import {
  exportQuerySchema,
  importQuerySchema,
  listOffersQuerySchema,
  offerCreateSchema,
  offerPatchSchema,
  restoreVersionBodySchema,
  type FileFormat,
  type Offer,
} from './offers.schema.ts';
import { etagOf, type OffersService, type RequestContext } from './offers.service.ts';

export function requestContext(request: Request): RequestContext {
  return {
    actor: actorOf(request),
    language: requestLanguage(request.get('accept-language')),
    requestId: request.id === undefined ? undefined : String(request.id),
  };
}

function sendOffer(response: Response, offer: Offer, status = 200): void {
  // Drafts must not land in a shared cache; clients revalidate with the ETag.
  response.status(status).set('ETag', etagOf(offer)).set('Cache-Control', 'private, no-cache').json(offer);
}

function idOf(request: Request): string {
  return String(request.params.id);
}

const exportMediaTypes: Record<FileFormat, { type: string; extension: string }> = {
  csv: { type: 'text/csv; charset=utf-8', extension: 'csv' },
  geojson: { type: 'application/geo+json', extension: 'geojson' },
  hsds: { type: 'application/json', extension: 'hsds.json' },
};

export function createOffersRouter(deps: {
  offers: OffersService;
  files: OfferFilesService;
  uploadLimits: UploadLimits;
  /** The bounded queue of expensive work (server/http/work-queue.ts); an import takes a turn once its body is read. */
  workQueue?: RequestHandler;
}): Router {
  const router = Router();
  const { offers, files } = deps;
  // Import bodies are files (CSV, GeoJSON, HSDS JSON) and may be large: who uploads and how much is
  // checked before the body is read (JSON up to 2 MB arrives parsed already by express.json).
  const uploadGuard = createUploadGuard(deps.uploadLimits);

  // before /api/offers/:id, which would take "import" and "export" for ids
  const queued: RequestHandler[] = deps.workQueue ? [deps.workQueue] : [];
  router.post('/api/offers/import', uploadGuard, ...queued, async (request, response) => {
    const report = await files.importOffers(requestContext(request), parseRequest(request, importQuerySchema, 'query', offerMessages), request.body);
    response.set('Cache-Control', 'no-store').json(report);
  });

  router.get('/api/offers/export', async (request, response) => {
    const { format, chunks } = await files.exportOffers(requestContext(request), parseRequest(request, exportQuerySchema, 'query', offerMessages));
    const media = exportMediaTypes[format];
    const date = new Date().toISOString().slice(0, 10);
    response
      .status(200)
      .type(media.type)
      .set('Cache-Control', 'private, no-cache')
      .set('Content-Disposition', `attachment; filename="angebote-${date}.${media.extension}"`);
    for await (const chunk of chunks) {
      if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
    }
    response.end();
  });

  router.get('/api/offers', async (request, response) => {
    const context = requestContext(request);
    const query = parseLocalized(listOffersQuerySchema, request.query, 'query', context.language, offerMessages);
    const page = await offers.list(context, query);
    response.set('Cache-Control', 'private, no-cache').json(page);
  });

  router.post('/api/offers', async (request, response) => {
    const context = requestContext(request);
    const input = parseLocalized(offerCreateSchema, request.body, 'body', context.language, offerMessages);
    const offer = await offers.create(context, input);
    response.location(`/api/offers/${offer.id}`);
    sendOffer(response, offer, 201);
  });

  router.get('/api/offers/:id', async (request, response) => {
    const offer = await offers.get(requestContext(request), idOf(request));
    response.set('ETag', etagOf(offer));
    if (request.fresh) {
      response.status(304).set('Cache-Control', 'private, no-cache').end();
      return;
    }
    sendOffer(response, offer);
  });

  router.patch('/api/offers/:id', async (request, response) => {
    const context = requestContext(request);
    const patch = parseLocalized(offerPatchSchema, request.body, 'body', context.language, offerMessages);
    sendOffer(response, await offers.update(context, idOf(request), request.get('if-match'), patch));
  });

  const actions = {
    archive: offers.archive,
    restore: offers.restore,
    publish: offers.publish,
    unpublish: offers.unpublish,
    verify: offers.verify,
  } as const;
  for (const [name, action] of Object.entries(actions)) {
    router.post(`/api/offers/:id/${name}`, async (request, response) => {
      sendOffer(response, await action(requestContext(request), idOf(request), request.get('if-match')));
    });
  }

  router.get('/api/offers/:id/history', async (request, response) => {
    const items = await offers.history(requestContext(request), idOf(request));
    response.set('Cache-Control', 'private, no-cache').json({ items });
  });

  router.post('/api/offers/:id/restore-version', async (request, response) => {
    const context = requestContext(request);
    const body = parseLocalized(restoreVersionBodySchema, request.body, 'body', context.language, offerMessages);
    sendOffer(response, await offers.restoreVersion(context, idOf(request), request.get('if-match'), body));
  });

  return router;
}
