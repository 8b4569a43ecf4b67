import express, { type RequestHandler, type Response } from 'express';
import type { Role } from '../shared/actor.ts';
import { actorOf } from './auth.ts';
import { AppError, ForbiddenError, UnauthorizedError } from './errors.ts';
import { requestLanguage } from './problem.ts';

/** The largest upload per role in bytes; 0 means the role may not upload. */
export type UploadLimits = Record<Role, number>;

const megabyte = 1024 * 1024;

function formatMegabytes(bytes: number): string {
  return `${Math.round((bytes / megabyte) * 10) / 10} MB`;
}

/**
 * The socket closes after the answer: the unread body is not drained (Node would otherwise read
 * and discard up to the whole upload to keep the connection alive).
 */
function refuse(response: Response, error: AppError): never {
  response.set('Connection', 'close');
  throw error;
}

/**
 * Checks who uploads and how much they announce BEFORE a byte of the body is read: anonymous
 * uploads get 401, read-only roles 403, a Content-Length over the role's limit 413 — each at once.
 * Only then is the body read, and a body without Content-Length (chunked) stops at the same limit.
 */
export function createUploadGuard(limits: UploadLimits): RequestHandler {
  const parsers = new Map<number, RequestHandler>();
  const parserFor = (limit: number): RequestHandler => {
    let parser = parsers.get(limit);
    if (!parser) {
      parser = express.raw({ type: () => true, limit });
      parsers.set(limit, parser);
    }
    return parser;
  };
  return (request, response, next) => {
    const actor = actorOf(request);
    const german = requestLanguage(request.get('accept-language')) === 'de';
    if (actor.kind === 'anonymous') {
      refuse(response, new UnauthorizedError(german ? 'Bitte melden Sie sich zuerst an, um Dateien hochzuladen.' : 'Please sign in first to upload files.'));
    }
    const limit = limits[actor.role];
    if (limit <= 0) {
      refuse(
        response,
        new ForbiddenError(
          german ? `Die Rolle „${actor.role}“ darf keine Dateien hochladen.` : `The role "${actor.role}" may not upload files.`,
          'read_only_role',
        ),
      );
    }
    const announced = request.get('content-length');
    if (announced !== undefined && Number(announced) > limit) {
      refuse(
        response,
        new AppError(
          'payload_too_large',
          413,
          german
            ? `Die Datei ist ${formatMegabytes(Number(announced))} groß; Ihre Rolle darf höchstens ${formatMegabytes(limit)} hochladen.`
            : `The file is ${formatMegabytes(Number(announced))}; your role may upload at most ${formatMegabytes(limit)}.`,
          { limitBytes: limit },
        ),
      );
    }
    parserFor(limit)(request, response, (error?: unknown) => {
      if (error) response.set('Connection', 'close');
      next(error);
    });
  };
}
