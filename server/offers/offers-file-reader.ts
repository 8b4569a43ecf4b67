import { Piscina } from 'piscina';
import { hsdsServiceToInput, readHsdsServices } from '../hsds/hsds.mapping.ts';
import { FileFormatError, groupFlatRecords, parseCsv, parseGeoJson, type RecordOrigin } from './offers.formats.ts';
import type { FileFormat } from './offers.schema.ts';

// Reading an import file (CSV, GeoJSON, HSDS JSON) into candidate records: pure CPU work that took
// seconds on large files (a 20 MB single-line CSV: 15 s). The app runs it in a worker thread
// (createImportFileReaderPool), so the request thread keeps answering meanwhile.

export interface ImportFile {
  format: FileFormat;
  bytes: Uint8Array;
}

export type ImportFileReader = (file: ImportFile) => Promise<ImportCandidate[]>;

export interface ImportCandidate {
  row: number;
  /** An offer id named in the file (CSV/GeoJSON `id`, HSDS service id). */
  id: string | undefined;
  publication: string | undefined;
  input: Record<string, unknown>;
  unknownColumns: string[];
  warnings: string[];
  organization?: { id: string; name: string; description: string | null } | undefined;
  /** CSV and GeoJSON: the records behind the offer, to name problems as the file does. */
  origin?: RecordOrigin | undefined;
}


function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as unknown;
  } catch {
    throw new FileFormatError('invalid_json', 'The file is not valid JSON.');
  }
}

function readCandidates(format: FileFormat, bytes: Buffer): ImportCandidate[] {
  if (format === 'hsds') {
    return readHsdsServices(parseJson(bytes)).map((service, index) => {
      const record = hsdsServiceToInput(service, index + 1, { source: 'hsds' });
      return {
        row: record.row,
        id: record.serviceId,
        publication: record.publication,
        input: record.input,
        unknownColumns: [],
        warnings: record.warnings,
        organization: record.organization,
      };
    });
  }
  const records = format === 'csv' ? parseCsv(bytes.toString('utf8')) : parseGeoJson(parseJson(bytes));
  return groupFlatRecords(records).map((group) => ({
    row: group.row,
    id: group.id,
    publication: group.publication,
    input: group.input,
    unknownColumns: group.unknownColumns,
    warnings: [],
    origin: { row: group.row, locationRows: group.locationRows, headers: group.headers },
  }));
}

/** In this thread (tests, the CLI). */
export const readImportFile: ImportFileReader = async ({ format, bytes }) =>
  readCandidates(format, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

export type ImportFileResult = { candidates: ImportCandidate[] } | { error: { key: string; detail: string } };

/** The worker side: a FileFormatError crosses the thread as data (an Error would lose its key). */
export function readImportFileInWorker(file: ImportFile): ImportFileResult {
  try {
    return { candidates: readCandidates(file.format, Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength)) };
  } catch (error) {
    if (error instanceof FileFormatError) return { error: { key: error.key, detail: error.detail } };
    throw error;
  }
}

/** Import files read in a worker thread (piscina, offers-file.worker.mjs). */
export function createImportFileReaderPool(options: { threads: number }): { read: ImportFileReader; close(): Promise<void> } {
  const pool = new Piscina({
    filename: new URL('./offers-file.worker.mjs', import.meta.url).href,
    minThreads: 0,
    maxThreads: options.threads,
    idleTimeout: 30_000,
  });
  return {
    read: async (file) => {
      const result = (await pool.run(file)) as ImportFileResult;
      if ('error' in result) throw new FileFormatError(result.error.key, result.error.detail);
      return result.candidates;
    },
    close: () => pool.destroy(),
  };
}
