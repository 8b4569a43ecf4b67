import type { RequestHandler } from 'express';

/** One year, the value HSTS preload lists ask for. */
const hstsMaxAgeSeconds = 365 * 24 * 60 * 60;

/**
 * HSTS whenever the request came over https — directly, or as a trusted proxy says by
 * X-Forwarded-Proto (TRUST_PROXY) — and never over plain http, where browsers ignore it anyway
 * (RFC 6797 §8.1). Without `includeSubDomains`: the portal often lives on a subdomain of the city's
 * domain and cannot know whether every sibling host speaks https.
 */
export const strictTransportSecurity: RequestHandler = (request, response, next) => {
  if (request.secure) response.setHeader('Strict-Transport-Security', `max-age=${hstsMaxAgeSeconds}`);
  next();
};
