import { maximumListedIssues, type ImportIssue } from './imports.schema.ts';

/** Collects errors and warnings; keeps the first few hundred of each but counts them all. */
export class ImportIssues {
  readonly errors: ImportIssue[] = [];
  readonly warnings: ImportIssue[] = [];
  errorCount = 0;
  warningCount = 0;

  error(issue: ImportIssue): void {
    this.errorCount += 1;
    if (this.errors.length < maximumListedIssues) this.errors.push(issue);
  }

  warning(issue: ImportIssue): void {
    this.warningCount += 1;
    if (this.warnings.length < maximumListedIssues) this.warnings.push(issue);
  }

  /** Forgets the warnings about rows that were left out after all (e.g. points outside the city). */
  dropWarnings(where: (issue: ImportIssue) => boolean): void {
    const kept = this.warnings.filter((issue) => !where(issue));
    this.warningCount -= this.warnings.length - kept.length;
    this.warnings.splice(0, this.warnings.length, ...kept);
  }

  get failed(): boolean {
    return this.errorCount > 0;
  }
}

/** Thrown inside an import transaction to roll it back; carries the issues found so far. */
export class ImportRejectedError extends Error {
  constructor(readonly issues: ImportIssues) {
    super(`the import was rejected with ${issues.errorCount} error(s)`);
    this.name = 'ImportRejectedError';
  }
}

/** Thrown to end a dry run: everything was written inside the transaction, now roll it back. */
export class DryRunRollback extends Error {
  constructor() {
    super('dry run: rolling back');
    this.name = 'DryRunRollback';
  }
}
