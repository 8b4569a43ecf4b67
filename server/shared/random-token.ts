import { randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: session tokens and CSRF tokens. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}
