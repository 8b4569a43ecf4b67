import { ApiProblem, NetworkError } from '../../../lib/api-client';

// The server words refusals in the request's language and names the field and the reason
// (the last administrator, a weak password); those sentences are shown as they are.
export function problemText(error: unknown, fallback: { network: string; unexpected: string }): string {
  if (error instanceof NetworkError) return fallback.network;
  if (error instanceof ApiProblem) {
    const fieldMessage = error.problem?.errors?.find((item) => item.message)?.message;
    return fieldMessage ?? error.problem?.detail ?? fallback.unexpected;
  }
  return fallback.unexpected;
}
