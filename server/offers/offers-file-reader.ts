import { Piscina } from 'piscina';
import { findNulCharacter } from '../http/input-guard.ts';
import { FileFormatError, groupFlatRecords, parseCsv, parseGeoJson, type RecordOrigin } from './offers.formats.ts';
import type { HsdsFileFormat } from './offers-files.service.ts';
import type { FileFormat, ImportColumnMapping } from './offers.schema.ts';

// Reading an import file (CSV, GeoJSON, HSDS JSON) into candidate records: pure CPU work that took
// seconds on large files (a 20 MB single-line CSV: 15 s). The app runs it in a worker thread
// (createImportFileReaderPool), so the request thread keeps answering meanwhile.

export interface ImportFile {
  format: FileFormat;
  bytes: Uint8Array;
  columns?: ImportColumnMapping | undefined;
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

type HsdsReader = Pick<HsdsFileFormat, 'readServices'>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file as text: UTF-8 only (a Latin-1 export would otherwise turn into replacement characters), no NUL. */
function fileText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new FileFormatError('invalid_encoding', 'The file is not encoded as UTF-8.');
  }
  if (text.includes('\u0000')) throw new FileFormatError('nul_character', 'The file holds a NUL character.');
  return text;
}

/** `body`: the JSON express.json parsed already (small JSON uploads), else the bytes are parsed. */
function parseJson(bytes: Uint8Array, body: unknown): unknown {
  let json: unknown;
  if (!Buffer.isBuffer(body) && typeof body === 'object' && body !== null) json = body;
  else {
    const text = fileText(bytes);
    try {
      json = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
    } catch {
      throw new FileFormatError('invalid_json', 'The file is not valid JSON.');
    }
  }
  // "\u0000" escapes parse into NUL characters that PostgreSQL cannot store.
  if (findNulCharacter(json, [])) throw new FileFormatError('nul_character', 'The file holds a NUL character.');
  return json;
}

function readCandidatesOfFile(file: ImportFile, body: unknown, hsds: HsdsReader): ImportCandidate[] {
  const { format, bytes } = file;
  // Blank lines or a byte-order mark alone count as empty too.
  if (bytes.length <= 1024 && Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, '').trim() === '') {
    throw new FileFormatError('empty_file', 'The file is empty.');
  }
  if (format === 'hsds') {
    return hsds.readServices(parseJson(bytes, body)).map((record) => ({
      row: record.row,
      id: record.serviceId,
      publication: record.publication,
      input: record.input,
      unknownColumns: [],
      warnings: record.warnings,
      organization: record.organization,
    }));
  }
  const records = format === 'csv' ? parseCsv(fileText(bytes), file.columns) : parseGeoJson(parseJson(bytes, body));
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

/** The candidate offers of a file, in this thread; `body` is the already parsed JSON of a small JSON upload. */
export function readImportFile(file: ImportFile, hsds: HsdsReader, body?: unknown): ImportCandidate[] {
  const candidates = readCandidatesOfFile(file, body, hsds);
  if (candidates.length === 0) throw new FileFormatError('no_records', 'The file holds no offers.');
  return candidates;
}

type ImportFileResult =
  | { candidates: ImportCandidate[] }
  | { error: { key: string; detail: string; reason: { key: string; params: Record<string, unknown> } | undefined } };

/** The worker side: a FileFormatError crosses the thread as data (an Error would lose its key and reason). */
export function readImportFileInWorker(file: ImportFile, hsds: HsdsReader): ImportFileResult {
  try {
    return { candidates: readImportFile(file, hsds) };
  } catch (error) {
    if (error instanceof FileFormatError) return { error: { key: error.key, detail: error.detail, reason: error.reason } };
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
      if ('error' in result) throw new FileFormatError(result.error.key, result.error.detail, result.error.reason);
      return result.candidates;
    },
    close: () => pool.destroy(),
  };
}
