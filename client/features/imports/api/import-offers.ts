import type { FileFormat, ImportReport } from '../../../../server/offers/offers.schema';
import { ApiProblem, getCsrfToken, getRequestLanguage, NetworkError, type ProblemDetails } from '../../../lib/api-client';

export type { FileFormat, ImportProblem, ImportReport } from '../../../../server/offers/offers.schema';

export type ImportRequest = {
  file: Blob;
  fileName: string;
  format: FileFormat;
  dryRun: boolean;
  // From the dry run's report: the server imports only the file it checked.
  checksum?: string;
  // Administrators: the department for records that name none.
  department?: string;
  // CSV: file column → field (the mapping step).
  columns?: Record<string, string>;
  // Publish the new offers at once instead of keeping them as drafts.
  publish?: boolean;
};

export type UploadProgress = { loaded: number; total: number };

// The file goes as it is (not as JSON): CSV, GeoJSON and HSDS files can be far larger than the
// API's JSON limit, and the checksum is taken over exactly these bytes. HSDS is sent as
// octet-stream for the same reason (application/json bodies would be parsed and size-limited).
const contentTypes: Record<FileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  geojson: 'application/geo+json',
  hsds: 'application/octet-stream',
};

export function importUrl(request: Omit<ImportRequest, 'file'>): string {
  const query = new URLSearchParams({ format: request.format, dryRun: String(request.dryRun), fileName: request.fileName });
  if (request.checksum) query.set('checksum', request.checksum);
  if (request.department) query.set('department', request.department);
  if (request.columns && Object.keys(request.columns).length > 0) query.set('columns', JSON.stringify(request.columns));
  if (request.publish) query.set('publish', 'true');
  return `/api/offers/import?${query.toString()}`;
}

function parseProblem(text: string): ProblemDetails | undefined {
  try {
    const body = JSON.parse(text) as ProblemDetails;
    return typeof body.status === 'number' ? body : undefined;
  } catch {
    return undefined;
  }
}

// XMLHttpRequest, not fetch: only it reports upload progress, which drives the progress bar.
export function importOffers(
  request: ImportRequest,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<ImportReport> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', importUrl(request));
    xhr.responseType = 'text';
    xhr.setRequestHeader('Content-Type', contentTypes[request.format]);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Accept-Language', getRequestLanguage());
    const token = getCsrfToken();
    if (token) xhr.setRequestHeader('X-CSRF-Token', token);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as ImportReport);
        } catch (error) {
          reject(error instanceof Error ? error : new Error('invalid answer'));
        }
        return;
      }
      reject(new ApiProblem(xhr.status, parseProblem(xhr.responseText)));
    };
    xhr.onerror = () => reject(new NetworkError(new Error('upload failed')));
    xhr.onabort = () => reject(new DOMException('The upload was stopped.', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(request.file);
  });
}
