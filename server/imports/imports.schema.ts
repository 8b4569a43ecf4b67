import type { ImportKind } from '../datasets/datasets.schema.ts';

/**
 * One problem in an imported file. `line` (CSV, 1-based, the header is line 1) or `feature`
 * (GeoJSON, 0-based index into `features`) says where; `field` names the source field.
 */
export interface ImportIssue {
  line?: number;
  feature?: number;
  field?: string;
  code: string;
  message: string;
}

export type ImportStatus = 'succeeded' | 'failed' | 'dry_run';

/** Rows per target table: inserted, changed, or identical to what the database already held. */
export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Links removed because they no longer hold (e.g. a moved location's areas). */
  deleted?: number;
}

export interface ImportReport {
  dataset: string;
  kind: ImportKind;
  /** Path inside the data directory, or the file name given on the command line. */
  file: string;
  status: ImportStatus;
  rowsRead: number;
  /** Rows of the file that were (or, on a dry run, would be) written. */
  rowsAccepted: number;
  /** Rows deliberately left out (e.g. points outside the city, ignored indicator rows). */
  rowsSkipped: number;
  tables: Record<string, WriteCounts>;
  errors: ImportIssue[];
  /** How many errors there were; `errors` keeps the first 500. */
  errorCount: number;
  warnings: ImportIssue[];
  warningCount: number;
  durationMs: number;
}

export interface ImportProgress {
  dataset: string;
  phase: 'reading' | 'validating' | 'writing' | 'linking';
  done: number;
  total: number;
}

export type ProgressListener = (progress: ImportProgress) => void;

export const maximumListedIssues = 500;

export function describeIssue(issue: ImportIssue): string {
  const where = [
    issue.line !== undefined ? `line ${issue.line}` : undefined,
    issue.feature !== undefined ? `feature ${issue.feature}` : undefined,
    issue.field !== undefined ? `field ${issue.field}` : undefined,
  ].filter((part) => part !== undefined);
  return where.length > 0 ? `${where.join(', ')}: ${issue.message}` : issue.message;
}
