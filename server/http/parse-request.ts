import type { Request } from 'express';
import type { z } from 'zod';
import { parseLocalized, type MessageCatalogue } from './localized-validation.ts';
import { requestLanguage } from './problem.ts';

/**
 * The convention of every route: a part of the request parsed with messages in the request's
 * language (Accept-Language; German without it) and the feature's catalogue.
 */
export function parseRequest<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  location: 'query' | 'body' | 'params',
  catalogue: MessageCatalogue = {},
): z.output<Schema> {
  const input: unknown = location === 'body' ? (request.body ?? {}) : request[location];
  return parseLocalized(schema, input, location, requestLanguage(request.get('accept-language')), catalogue);
}
