import http from 'node:http';
import type { TestUser } from './offer-factories.ts';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  elapsedMs: number;
  /** Bytes of the body written before the answer came (or the socket closed). */
  bytesSent: number;
}

/**
 * Sends a request whose body is written in chunks of zeros, up to `bodyBytes`, and stops writing
 * as soon as an answer arrives: this shows whether the server answered before reading the body.
 * `contentLength` announces a length (and may lie: more than is ever sent); without it the body is chunked.
 */
export function rawUpload(
  url: string,
  options: { headers?: Record<string, string>; contentLength?: number; bodyBytes: number; chunkBytes?: number; timeoutMs?: number },
): Promise<RawAnswer> {
  const started = performance.now();
  const chunk = Buffer.alloc(options.chunkBytes ?? 64 * 1024);
  const headers: Record<string, string> = { 'content-type': 'text/csv', ...options.headers };
  if (options.contentLength !== undefined) headers['content-length'] = String(options.contentLength);
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    const request = http.request(url, { method: 'POST', headers });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`no answer within ${options.timeoutMs ?? 10_000} ms (${bytesSent} bytes sent)`));
    }, options.timeoutMs ?? 10_000);
    request.on('response', (response) => {
      answered = true;
      const sentAtAnswer = bytesSent;
      const elapsedMs = performance.now() - started;
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => {
        clearTimeout(timer);
        request.destroy();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts).toString('utf8'), elapsedMs, bytesSent: sentAtAnswer });
      });
    });
    // The server may close the socket while we still write: only the answer counts.
    request.on('error', (error) => {
      if (!answered) {
        clearTimeout(timer);
        reject(error);
      }
    });
    const write = () => {
      while (!answered && !request.destroyed && bytesSent < options.bodyBytes) {
        const size = Math.min(chunk.length, options.bodyBytes - bytesSent);
        bytesSent += size;
        if (!request.write(size === chunk.length ? chunk : chunk.subarray(0, size))) {
          request.once('drain', write);
          return;
        }
      }
      if (!answered && !request.destroyed && bytesSent >= options.bodyBytes && options.contentLength === undefined) request.end();
    };
    request.flushHeaders();
    write();
  });
}

/** Signs in over real HTTP and returns the headers a browser would send with an upload. */
export async function signInOverHttp(baseUrl: string, user: TestUser): Promise<Record<string, string>> {
  const session = await fetch(`${baseUrl}/api/auth/session`);
  const preCookies = session.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: preCookies, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  if (login.status !== 200) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  const cookies = login.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
  const body = (await login.json()) as { csrfToken: string };
  return { cookie: cookies, 'x-csrf-token': body.csrfToken };
}
