import type { z } from 'zod';
import type { FieldError } from './errors.ts';

export type InputLocation = 'query' | 'body' | 'params' | 'header' | 'file';

export function zodIssuesToFieldErrors(issues: readonly z.core.$ZodIssue[], location?: InputLocation): FieldError[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = [location === 'body' || location === 'file' ? undefined : location, path]
      .filter((part) => part !== undefined && part !== '')
      .join('.');
    return { field: field || (location ?? 'input'), code: issue.code, message: issue.message };
  });
}
