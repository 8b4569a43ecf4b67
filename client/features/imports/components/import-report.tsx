import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportProblem, ImportReport } from '../api/import-offers';

function ProblemTable({ caption, problems }: { caption: string; problems: readonly ImportProblem[] }) {
  const { t } = useTranslation();
  const captionId = useId();
  return (
    <div className="import-report__table" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table>
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('imports.columnRow')}</th>
            <th scope="col">{t('imports.columnField')}</th>
            <th scope="col">{t('imports.columnReason')}</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((problem, index) => (
            <tr key={`${problem.row}-${problem.field}-${index}`}>
              <th scope="row">{problem.row}</th>
              <td>
                <code>{problem.field || '–'}</code>
              </td>
              <td>{problem.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// What the server found in the file (dry run) or did with it (confirmed import).
export function ImportReportView({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  const counts: Array<[string, number]> = [
    [t('imports.records'), report.records],
    [t(report.dryRun ? 'imports.wouldCreate' : 'imports.created'), report.created],
    [t(report.dryRun ? 'imports.wouldUpdate' : 'imports.updated'), report.updated],
    [t('imports.unchanged'), report.unchanged],
    ...(report.geocoded > 0 ? ([[t('imports.geocoded'), report.geocoded]] as Array<[string, number]>) : []),
    ...(report.published > 0 ? ([[t(report.dryRun ? 'imports.published' : 'imports.publishedDone'), report.published]] as Array<[string, number]>) : []),
    [t('imports.errorCount'), report.errorCount],
    [t('imports.warningCount'), report.warnings.length],
  ];
  return (
    <section className="import-report" aria-label={t('imports.reportLabel')}>
      {report.dryRun ? (
        <p className={report.valid ? 'import-report__verdict is-valid' : 'import-report__verdict is-invalid'}>
          {report.valid ? t('imports.ready') : t('imports.hasErrors')} {t('imports.nothingSaved')}
        </p>
      ) : null}
      <dl className="import-report__counts">
        {counts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {report.errors.length > 0 ? (
        <>
          {report.errorCount > report.errors.length ? (
            <p>{t('imports.errorsMore', { shown: report.errors.length, count: report.errorCount })}</p>
          ) : null}
          <ProblemTable caption={t('imports.errorsCaption')} problems={report.errors} />
        </>
      ) : null}
      {report.warnings.length > 0 ? <ProblemTable caption={t('imports.warningsCaption')} problems={report.warnings} /> : null}
    </section>
  );
}
