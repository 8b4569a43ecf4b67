import { describeIssue, type ImportProgress, type ImportReport } from '../imports/imports.schema.ts';

/** A plain-text table with padded columns (no colours: output is often piped or logged). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const statusText = { succeeded: 'imported', failed: 'FAILED — nothing was written', dry_run: 'dry run — nothing was written' } as const;

export function formatReport(report: ImportReport, options: { maxWarnings?: number } = {}): string {
  const lines: string[] = [];
  lines.push(`${report.dataset} (${report.kind}, ${report.file}): ${statusText[report.status]}`);
  lines.push(
    `  rows read ${report.rowsRead}, accepted ${report.rowsAccepted}, skipped ${report.rowsSkipped}; ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  for (const [table, counts] of Object.entries(report.tables)) {
    const deleted = counts.deleted ? `, ${counts.deleted} removed` : '';
    lines.push(`  ${table}: ${counts.inserted} new, ${counts.updated} changed, ${counts.unchanged} unchanged${deleted}`);
  }
  if (report.errorCount > 0) {
    lines.push(`  ${report.errorCount} error(s)${report.errorCount > report.errors.length ? ` (first ${report.errors.length} shown)` : ''}:`);
    for (const issue of report.errors) lines.push(`    ✗ ${describeIssue(issue)}`);
  }
  if (report.warningCount > 0) {
    const shown = report.warnings.slice(0, options.maxWarnings ?? 20);
    lines.push(`  ${report.warningCount} warning(s)${report.warningCount > shown.length ? ` (first ${shown.length} shown; --json lists more)` : ''}:`);
    for (const issue of shown) lines.push(`    ! ${describeIssue(issue)}`);
  }
  return lines.join('\n');
}

/** Progress on stderr: each phase once, then every 10 % of large phases. */
export function createProgressPrinter(write: (text: string) => void): (progress: ImportProgress) => void {
  const last = new Map<string, number>();
  return (progress) => {
    const key = `${progress.dataset}:${progress.phase}`;
    const tenth = progress.total > 0 ? Math.floor((progress.done / progress.total) * 10) : 10;
    const previous = last.get(key);
    if (previous !== undefined && (progress.total < 1000 || tenth <= previous)) return;
    last.set(key, tenth);
    const percent = progress.total > 0 ? ` (${Math.round((progress.done / progress.total) * 100)} %)` : '';
    write(`[${progress.dataset}] ${progress.phase} ${progress.done}/${progress.total}${percent}`);
  };
}
