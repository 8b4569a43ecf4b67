import type { Response } from 'express';

/**
 * Sends UTF-8 JSON that no cache may keep (`Cache-Control: no-store`). Express's `res.json` would
 * hash every body for an ETag, which nobody can use to revalidate an answer that is never stored;
 * for the ≈ 18 kB of a search answer that hash takes ≈ 20 µs, half as long as the index query.
 */
export function sendNoStoreJsonBody(response: Response, payload: Buffer): void {
  response
    .set({ 'Cache-Control': 'no-store', 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(payload.length) })
    .end(payload);
}

/** `body` as JSON that no cache may keep (see `sendNoStoreJsonBody`). */
export function sendNoStoreJson(response: Response, body: unknown): void {
  sendNoStoreJsonBody(response, Buffer.from(JSON.stringify(body), 'utf8'));
}
