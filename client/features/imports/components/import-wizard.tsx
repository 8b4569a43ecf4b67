import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fileFormats } from '../../../../server/offers/offers.schema';
import { describedBy, FieldError } from '../../../components/ui/field-error';
import { paths } from '../../../config/paths';
import { ApiProblem, NetworkError } from '../../../lib/api-client';
import { importOffers, type FileFormat, type ImportReport, type UploadProgress } from '../api/import-offers';
import { formatFileSize, guessFormat, percent } from '../utils/import-file';
import { importColumns, missingRequired, proposeMapping, readCsvHeader, rememberedMapping, rememberMapping, templateCsv } from '../utils/column-mapping';
import { ImportReportView } from './import-report';
import './imports.css';

type ImportWizardProps = {
  // Administrators may name the department for records that name none.
  canChooseDepartment: boolean;
  // An editor's own department: its column mapping is remembered.
  departmentCode: string | null;
};

type Step =
  | { name: 'choose' }
  | { name: 'checking'; progress: UploadProgress | null }
  | { name: 'report'; report: ImportReport }
  | { name: 'importing'; report: ImportReport; progress: UploadProgress | null }
  | { name: 'done'; report: ImportReport };

// Upload → dry-run report → confirm. Nothing is saved before the confirmation, and then either
// every record or none (the server imports in one transaction).
export function ImportWizard({ canChooseDepartment, departmentCode }: ImportWizardProps) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const id = useId();
  const [step, setStep] = useState<Step>({ name: 'choose' });
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<FileFormat>('csv');
  const [department, setDepartment] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [requestError, setRequestError] = useState<string | null>(null);
  const [headers, setHeaders] = useState<string[] | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [publish, setPublish] = useState(false);
  const mappingKey = canChooseDepartment ? department.trim() || 'admin' : (departmentCode ?? 'own');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  // Each step starts at its heading, so that screen reader and keyboard users know where they are.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [step.name]);

  const stepNumber = step.name === 'choose' || step.name === 'checking' ? 1 : step.name === 'done' ? 3 : 2;
  const stepTitle = t(`imports.steps.${stepNumber === 1 ? 'choose' : stepNumber === 2 ? 'check' : 'result'}`);

  function explain(error: unknown): string {
    if (error instanceof NetworkError) return t('errors.network');
    if (error instanceof ApiProblem) {
      if (error.status === 404) return t('imports.unavailable');
      if (error.status === 413) return t('imports.fileTooLarge');
      const fieldMessage = error.problem?.errors?.find((item) => item.message)?.message;
      return fieldMessage ?? error.problem?.detail ?? t('errors.unexpected');
    }
    return t('errors.unexpected');
  }

  function run(dryRun: boolean, checksum?: string) {
    if (!file) return;
    setRequestError(null);
    const request = {
      file,
      fileName: file.name,
      format,
      dryRun,
      ...(checksum ? { checksum } : {}),
      ...(canChooseDepartment && department.trim() ? { department: department.trim() } : {}),
      ...(format === 'csv' && headers ? { columns: mapping } : {}),
      ...(publish ? { publish: true } : {}),
    };
    const previous = step.name === 'report' ? step.report : null;
    const onProgress = (progress: UploadProgress) =>
      setStep((current) =>
        current.name === 'checking' || current.name === 'importing' ? { ...current, progress } : current,
      );
    setStep(dryRun || !previous ? { name: 'checking', progress: null } : { name: 'importing', report: previous, progress: null });
    importOffers(request, onProgress)
      .then(async (report) => {
        if (dryRun) {
          setStep({ name: 'report', report });
          return;
        }
        setStep({ name: 'done', report });
        if (format === 'csv' && headers) rememberMapping(mappingKey, mapping);
        await queryClient.invalidateQueries({ queryKey: ['offers'] });
      })
      .catch((error: unknown) => {
        // A confirmation that found errors after all answers with its report.
        const report = error instanceof ApiProblem ? (error.problem as { report?: ImportReport } | undefined)?.report : undefined;
        setRequestError(explain(error));
        setStep(report ? { name: 'report', report } : previous ? { name: 'report', report: previous } : { name: 'choose' });
      });
  }

  function handleCheck(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!file) {
      setFileError(t('imports.fileMissing'));
      document.getElementById(`${id}-file`)?.focus();
      return;
    }
    setFileError(null);
    run(true);
  }

  function startOver() {
    setFile(null);
    setRequestError(null);
    setStep({ name: 'choose' });
  }

  const progress = step.name === 'checking' || step.name === 'importing' ? step.progress : null;
  const uploading = progress !== null && progress.loaded < progress.total;
  const busy = step.name === 'checking' || step.name === 'importing';

  return (
    <div className="import-wizard">
      <ol className="import-wizard__steps" aria-label={t('imports.stepsLabel')}>
        {(['choose', 'check', 'result'] as const).map((name, index) => (
          <li key={name} aria-current={index + 1 === stepNumber ? 'step' : undefined}>
            {t(`imports.steps.${name}`)}
          </li>
        ))}
      </ol>
      <h2 ref={headingRef} tabIndex={-1}>
        {t('imports.stepHeading', { step: stepNumber, title: stepTitle })}
      </h2>
      <div role="alert">{requestError ? <p className="import-wizard__error">{requestError}</p> : null}</div>

      {step.name === 'choose' ? <ExpectedColumns /> : null}
      {step.name === 'choose' ? (
        <form className="import-wizard__form" noValidate onSubmit={handleCheck}>
          <div className="form-field">
            <label htmlFor={`${id}-file`}>{t('imports.file')}</label>
            <p id={`${id}-file-hint`} className="form-field__hint">
              {t('imports.fileHint')}
            </p>
            <input
              id={`${id}-file`}
              type="file"
              accept=".csv,.txt,.geojson,.json,text/csv,application/geo+json,application/json"
              aria-invalid={fileError ? true : undefined}
              aria-describedby={describedBy(`${id}-file-hint`, fileError && `${id}-file-error`)}
              onChange={(event) => {
                const chosen = event.target.files?.[0] ?? null;
                setFile(chosen);
                setFileError(null);
                const guessed = chosen ? guessFormat(chosen.name) : null;
                if (guessed) setFormat(guessed);
                setHeaders(null);
                if (chosen && (guessed ?? format) === 'csv') {
                  void chosen
                    .slice(0, 65536)
                    .text()
                    .then((text) => {
                      const found = readCsvHeader(text);
                      setHeaders(found);
                      setMapping(proposeMapping(found, rememberedMapping(mappingKey)));
                    })
                    .catch(() => setHeaders(null));
                }
              }}
            />
            <FieldError id={`${id}-file-error`} message={fileError ?? undefined} />
            {file ? (
              <p className="form-field__hint">
                {t('imports.chosen', { name: file.name, size: formatFileSize(file.size, i18n.language) })}
              </p>
            ) : null}
          </div>
          <div className="form-field">
            <label htmlFor={`${id}-format`}>{t('imports.format')}</label>
            <select id={`${id}-format`} value={format} onChange={(event) => setFormat(event.target.value as FileFormat)}>
              {fileFormats.map((option) => (
                <option key={option} value={option}>
                  {t(`imports.formats.${option}`)}
                </option>
              ))}
            </select>
          </div>
          {canChooseDepartment ? (
            <div className="form-field">
              <label htmlFor={`${id}-department`}>{t('imports.department')}</label>
              <p id={`${id}-department-hint`} className="form-field__hint">
                {t('imports.departmentHint')}
              </p>
              <input
                id={`${id}-department`}
                type="text"
                value={department}
                aria-describedby={`${id}-department-hint`}
                onChange={(event) => setDepartment(event.target.value)}
              />
            </div>
          ) : null}
          {format === 'csv' && headers && headers.length > 0 ? (
            <ColumnMapping headers={headers} mapping={mapping} onChange={setMapping} />
          ) : null}
          <div className="form-field form-field--check">
            <input id={`${id}-publish`} type="checkbox" checked={publish} aria-describedby={`${id}-publish-hint`} onChange={(event) => setPublish(event.target.checked)} />
            <label htmlFor={`${id}-publish`}>{t('imports.publish')}</label>
            <p id={`${id}-publish-hint`} className="form-field__hint">
              {t('imports.publishHint')}
            </p>
          </div>
          <div className="form-actions">
            <button type="submit" className="button">
              {t('imports.check')}
            </button>
          </div>
        </form>
      ) : null}

      {busy ? (
        <div className="import-wizard__progress">
          <label htmlFor={`${id}-progress`}>
            {uploading && progress
              ? t('imports.uploading', { percent: percent(progress.loaded, progress.total) })
              : step.name === 'checking'
                ? t('imports.checking')
                : t('imports.processing')}
          </label>
          {/* Upload progress is measured; after it the server works and the bar runs without a value. */}
          {uploading && progress ? (
            <progress id={`${id}-progress`} max={100} value={percent(progress.loaded, progress.total)} />
          ) : (
            <progress id={`${id}-progress`} />
          )}
          <p className="form-field__hint">{t('imports.progressHint')}</p>
        </div>
      ) : null}

      {step.name === 'report' || step.name === 'importing' ? (
        <ImportReportView report={step.report} />
      ) : null}

      {step.name === 'report' ? (
        <div className="form-actions">
          {step.report.valid && step.report.records > 0 ? (
            <button type="button" className="button" onClick={() => run(false, step.report.checksum)}>
              {t('imports.confirm', { count: step.report.records })}
            </button>
          ) : null}
          <button type="button" className="button button--secondary" onClick={startOver}>
            {t('imports.chooseOther')}
          </button>
        </div>
      ) : null}

      {step.name === 'done' ? (
        <>
          <p className="import-wizard__done" role="status">
            {t('imports.done', { count: step.report.created + step.report.updated })}
          </p>
          <ImportReportView report={step.report} />
          <div className="form-actions">
            <Link className="button" to={paths.administrationOffers.href()}>
              {t('imports.toList')}
            </Link>
            <button type="button" className="button button--secondary" onClick={startOver}>
              {t('imports.startOver')}
            </button>
          </div>
        </>
      ) : null}
    </div>
  );
}

// The columns the import reads, with a template to fill in (German headers, semicolons, one example).
function ExpectedColumns() {
  const { t, i18n } = useTranslation();
  const downloadTemplate = () => {
    const headerOf = (column: string) => (i18n.language === 'en' ? column : t(`imports.fields.${column as (typeof importColumns)[number]['column']}.label`));
    const text = templateCsv(headerOf, {
      name: t('imports.templateExample.name'),
      offer_type: 'senior_meeting_place',
      target_groups: 'seniors',
      street: t('imports.templateExample.street'),
      house_number: '300',
      postal_code: '50823',
      city: t('imports.templateExample.city'),
      languages: 'de; tr',
      opening_hours: 'Mo-Fr 10:00-16:00; PH off',
    });
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = t('imports.templateFile');
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <details className="import-wizard__columns">
      <summary>{t('imports.columnsHeading')}</summary>
      <p>{t('imports.columnsIntro')}</p>
      <button type="button" className="button button--secondary" onClick={downloadTemplate}>
        {t('imports.template')}
      </button>
      <div className="import-report__table" role="region" aria-label={t('imports.columnsHeading')} tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('imports.columnHeader')}</th>
              <th scope="col">{t('imports.columnMeaning')}</th>
              <th scope="col">{t('imports.columnRequired')}</th>
            </tr>
          </thead>
          <tbody>
            {importColumns.map((entry) => (
              <tr key={entry.column}>
                <th scope="row">{i18n.language === 'en' ? entry.column : t(`imports.fields.${entry.column}.label`)}</th>
                <td>{t(`imports.fields.${entry.column}.hint`)}</td>
                <td>{entry.required ? t('imports.requiredYes') : t('imports.requiredNo')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

// The mapping step: each column of the file and the field it fills, proposed from its header.
function ColumnMapping({ headers, mapping, onChange }: { headers: string[]; mapping: Record<string, string>; onChange: (mapping: Record<string, string>) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const missing = missingRequired(mapping);
  return (
    <fieldset className="import-wizard__mapping">
      <legend>{t('imports.mappingLegend')}</legend>
      <p className="form-field__hint">{t('imports.mappingHint')}</p>
      {headers.map((header, index) => (
        <div className="import-wizard__mapping-row" key={header}>
          <label htmlFor={`${id}-${index}`}>{header}</label>
          <select id={`${id}-${index}`} value={mapping[header] ?? ''} onChange={(event) => onChange({ ...mapping, [header]: event.target.value })}>
            <option value="">{t('imports.notRead')}</option>
            {importColumns.map((entry) => (
              <option key={entry.column} value={entry.column}>
                {t(`imports.fields.${entry.column}.label`)}
              </option>
            ))}
          </select>
        </div>
      ))}
      {missing.length > 0 ? (
        <p className="import-wizard__missing" role="status">
          {t('imports.mappingMissing', { fields: missing.map((column) => t(`imports.fields.${column as (typeof importColumns)[number]['column']}.label`)).join(', ') })}
        </p>
      ) : null}
    </fieldset>
  );
}
