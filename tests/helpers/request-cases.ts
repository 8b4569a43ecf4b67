import type { Express } from 'express';
import request from 'supertest';
import type { SignedIn, Staff } from './offer-factories.ts';

/** One request of a table-driven API test: a route, what it is sent, and as whom. */
export interface RequestCase {
  method: 'get' | 'post';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Sent as is with this content type (a body that is not a JSON object). */
  rawBody?: { text: string; contentType: string };
  /** Signed in as this member of the staff (and with the CSRF token). */
  as?: keyof Pick<Staff, 'admin' | 'editorA'>;
  /** Signed in but without the CSRF token. */
  withoutCsrf?: boolean;
  contentType?: string;
}

/** Sends `entry` in `language` (Accept-Language; none for the German default). */
export function sendCase(app: Express, staff: Staff, entry: RequestCase, language: string | undefined) {
  const signedIn: SignedIn | undefined = entry.as ? staff[entry.as] : undefined;
  const client = signedIn ? signedIn.agent : request(app);
  let call = entry.method === 'get' ? client.get(entry.path) : client.post(entry.path);
  if (signedIn && !entry.withoutCsrf) call = call.set('X-CSRF-Token', signedIn.csrfToken);
  if (entry.query) call = call.query(entry.query);
  if (language) call = call.set('Accept-Language', language);
  if (entry.rawBody) return call.set('Content-Type', entry.rawBody.contentType).send(entry.rawBody.text);
  if (entry.contentType) call = call.set('Content-Type', entry.contentType);
  return entry.body === undefined ? call : call.send(entry.body as object);
}
