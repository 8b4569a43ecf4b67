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

// Called by i18n whenever the page language changes.
export function setRequestLanguage(language: string): void {
  requestLanguage = language;
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
