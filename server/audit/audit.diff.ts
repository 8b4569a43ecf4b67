import type { FieldChange } from './audit.schema.ts';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Field-level differences between two snapshots. Objects are compared key by key (so a
 * change of `cost.kind` shows as that path); arrays are values of their own: a list of codes
 * or locations is shown before and after as a whole, which is what a reader compares.
 */
export function diffSnapshots(before: unknown, after: unknown, prefix = ''): FieldChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffSnapshots(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  if (sameValue(before, after)) return [];
  if (prefix === '' && (before === null || before === undefined) && isPlainObject(after)) {
    return diffSnapshots({}, after);
  }
  if (prefix === '' && isPlainObject(before) && (after === null || after === undefined)) {
    return diffSnapshots(before, {});
  }
  return [{ field: prefix || '(record)', before: before ?? null, after: after ?? null }];
}
