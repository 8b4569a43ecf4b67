// Fetch wrapper for our own API. The server answers errors as application/problem+json (RFC 9457);
// they become ApiProblem so that components can choose a translated message by status and code.

export type ProblemDetails = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: Array<{ field?: string; message?: string; [key: string]: unknown }>;
};

export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly problem: ProblemDetails | undefined;

  constructor(status: number, problem: ProblemDetails | undefined) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiProblem';
    this.status = status;
    this.code = problem?.code;
    this.problem = problem;
  }
}

// Thrown when no response arrived at all (server down, offline).
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('Network request failed', { cause });
    this.name = 'NetworkError';
  }
}

let requestLanguage = 'de';
// The signed-in session's token (or the pre-session token before sign-in); the server wants it as
// X-CSRF-Token on every state-changing request (server/http/csrf.ts).
let csrfToken: string | null = null;

// Called by i18n whenever the page language changes.
export function setRequestLanguage(language: string): void {
  requestLanguage = language;
}

export function getRequestLanguage(): string {
  return requestLanguage;
}

// Called by the auth feature whenever it learns the session's token.
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

function isProblemDetails(value: unknown): value is ProblemDetails {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { title?: unknown }).title === 'string' &&
    typeof (value as { status?: unknown }).status === 'number'
  );
}

async function readProblem(response: Response): Promise<ProblemDetails | undefined> {
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.includes('json')) return undefined;
  try {
    const body: unknown = await response.json();
    return isProblemDetails(body) ? body : undefined;
  } catch {
    return undefined;
  }
}

export async function getJson<T>(path: string, options: { signal?: AbortSignal } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      headers: {
        accept: 'application/json, application/geo+json, application/problem+json',
        // Problem titles come back in the language the person chose.
        'accept-language': requestLanguage,
      },
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(error);
  }
  if (!response.ok) {
    throw new ApiProblem(response.status, await readProblem(response));
  }
  return (await response.json()) as T;
}

export type SendOptions = {
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  // The version the change is based on (optimistic locking); sent as If-Match: "<version>".
  ifMatchVersion?: number;
  signal?: AbortSignal;
};

// State-changing request with a JSON body. Carries the CSRF token and answers like getJson;
// 204 No Content resolves to undefined. When the token no longer fits the session (signed in
// again in another tab), the current token is fetched once and the request repeated.
export async function sendJson<T>(path: string, options: SendOptions): Promise<T> {
  try {
    return await sendJsonOnce<T>(path, options);
  } catch (error) {
    if (!(error instanceof ApiProblem && error.status === 403 && error.code === 'csrf_token_invalid')) throw error;
    const session = await getJson<{ csrfToken?: unknown }>('/api/auth/session', { signal: options.signal });
    if (typeof session.csrfToken !== 'string' || session.csrfToken === csrfToken) throw error;
    csrfToken = session.csrfToken;
    return sendJsonOnce<T>(path, options);
  }
}

async function sendJsonOnce<T>(path: string, options: SendOptions): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    'accept-language': requestLanguage,
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.ifMatchVersion !== undefined) headers['if-match'] = `"${options.ifMatchVersion}"`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(error);
  }
  if (!response.ok) {
    throw new ApiProblem(response.status, await readProblem(response));
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
