import { ApiProblem, NetworkError } from './api-client';

// Which translation key explains an error to a person. Pure, so it is unit-tested.
export type ErrorMessageKey =
  | 'errors.network'
  | 'errors.notFound'
  | 'errors.validation'
  | 'errors.server'
  | 'errors.unexpected';

export function errorMessageKey(error: unknown): ErrorMessageKey {
  if (error instanceof NetworkError) return 'errors.network';
  if (error instanceof ApiProblem) {
    if (error.status === 404) return 'errors.notFound';
    if (error.status === 400 || error.status === 422) return 'errors.validation';
    if (error.status >= 500) return 'errors.server';
  }
  return 'errors.unexpected';
}

export function errorCode(error: unknown): string | undefined {
  return error instanceof ApiProblem ? error.code : undefined;
}
