import fs from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { ImportIssue } from './imports.schema.ts';

/** The file cannot be read as a whole (missing, empty, not UTF-8, not GeoJSON …). */
export class SourceFileError extends Error {
  constructor(readonly issue: ImportIssue) {
    super(issue.message);
    this.name = 'SourceFileError';
  }
}

/** Index of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index]!;
    if (byte < 0x80) {
      index += 1;
      continue;
    }
    let length: number;
    let minimum: number;
    if (byte >= 0xc2 && byte <= 0xdf) {
      length = 2;
      minimum = 0x80;
    } else if (byte >= 0xe0 && byte <= 0xef) {
      length = 3;
      minimum = 0x800;
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      length = 4;
      minimum = 0x10000;
    } else {
      return index;
    }
    if (index + length > bytes.length) return index;
    let codePoint = byte & (0xff >> (length + 1));
    for (let offset = 1; offset < length; offset += 1) {
      const continuation = bytes[index + offset]!;
      if ((continuation & 0xc0) !== 0x80) return index;
      codePoint = (codePoint << 6) | (continuation & 0x3f);
    }
    if (codePoint < minimum || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return index;
    index += length;
  }
  return -1;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes a file as UTF-8 (a byte-order mark is dropped). Anything else is refused with the
 * line of the first bad byte: guessing Latin-1 would silently garble names like "Müngersdorf".
 */
export function decodeUtf8(bytes: Uint8Array, fileName: string): string {
  if (bytes.length === 0) {
    throw new SourceFileError({ code: 'file_empty', message: `${fileName} is empty (0 bytes).` });
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new SourceFileError({
      code: 'not_utf8',
      message: `${fileName} is UTF-16 encoded; save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8).`,
    });
  }
  try {
    return utf8.decode(bytes);
  } catch {
    const offset = findInvalidUtf8(bytes);
    let line = 1;
    for (let index = 0; index < offset; index += 1) if (bytes[index] === 0x0a) line += 1;
    const shown = offset >= 0 ? `0x${bytes[offset]!.toString(16).toUpperCase().padStart(2, '0')}` : 'a byte';
    throw new SourceFileError({
      line,
      code: 'not_utf8',
      message: `${fileName} is not UTF-8: line ${line} contains the byte ${shown} (offset ${offset}). Convert the file to UTF-8, e.g. iconv -f ISO-8859-1 -t UTF-8.`,
    });
  }
}

export async function readSourceText(filePath: string, fileName: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourceFileError({
      code: 'file_missing',
      message:
        code === 'ENOENT'
          ? `${fileName} does not exist.`
          : `${fileName} cannot be read (${code ?? (error as Error).message}).`,
    });
  }
  const text = decodeUtf8(bytes, fileName);
  if (text.trim() === '') throw new SourceFileError({ code: 'file_empty', message: `${fileName} contains only white space.` });
  return text;
}

// ---------------------------------------------------------------------------------------------
// GeoJSON
// ---------------------------------------------------------------------------------------------

export interface SourceFeature {
  /** 0-based index into the file's `features`. */
  index: number;
  id: string | number | undefined;
  properties: Record<string, unknown>;
  geometry: unknown;
}

export interface SourceFeatureCollection {
  /** The EPSG code the file declares in its (pre-RFC 7946) `crs` member, if any. */
  declaredSrid: number | undefined;
  features: SourceFeature[];
}

const featureCollectionSchema = z.object({
  type: z.literal('FeatureCollection', { error: 'must be "FeatureCollection"' }),
  crs: z
    .object({ type: z.string().optional(), properties: z.object({ name: z.string() }) })
    .optional()
    .nullable(),
  features: z.array(z.unknown(), { error: 'must be an array of features' }),
});

const featureSchema = z.object({
  type: z.literal('Feature', { error: 'must be "Feature"' }),
  id: z.union([z.string(), z.number()]).optional().nullable(),
  properties: z.record(z.string(), z.unknown()).nullable().optional(),
  geometry: z.unknown(),
});

/** Reads the EPSG code from a GeoJSON `crs` name such as "urn:ogc:def:crs:EPSG::25833". */
export function sridFromCrsName(name: string): number | undefined {
  if (/^urn:ogc:def:crs:OGC:(1\.3:)?CRS84$/i.test(name) || /^CRS84$/i.test(name)) return 4326;
  const match = /^(?:urn:ogc:def:crs:EPSG:[0-9.]*:|EPSG:{1,2}|https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/0\/)(\d{4,5})$/i.exec(name.trim());
  return match ? Number(match[1]) : undefined;
}

export function parseFeatureCollection(text: string, fileName: string): SourceFeatureCollection {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SourceFileError({ code: 'invalid_json', message: `${fileName} is not valid JSON: ${(error as Error).message}.` });
  }
  const collection = featureCollectionSchema.safeParse(json);
  if (!collection.success) {
    const issue = collection.error.issues[0]!;
    throw new SourceFileError({
      code: 'invalid_geojson',
      field: issue.path.join('.') || undefined,
      message: `${fileName} is not a GeoJSON FeatureCollection: ${issue.path.join('.') || 'document'} ${issue.message}.`,
    });
  }
  let declaredSrid: number | undefined;
  const crsName = collection.data.crs?.properties.name;
  if (crsName !== undefined) {
    declaredSrid = sridFromCrsName(crsName);
    if (declaredSrid === undefined) {
      throw new SourceFileError({
        code: 'unknown_crs',
        field: 'crs',
        message: `${fileName} declares the coordinate reference system "${crsName}", which is not an EPSG code this importer understands.`,
      });
    }
  }
  if (collection.data.features.length === 0) {
    throw new SourceFileError({ code: 'file_empty', message: `${fileName} contains no features.` });
  }
  const features: SourceFeature[] = [];
  const problems: ImportIssue[] = [];
  collection.data.features.forEach((raw, index) => {
    const feature = featureSchema.safeParse(raw);
    if (!feature.success) {
      const issue = feature.error.issues[0]!;
      problems.push({ feature: index, code: 'invalid_feature', message: `not a GeoJSON Feature: ${issue.path.join('.') || 'feature'} ${issue.message}.` });
      return;
    }
    features.push({
      index,
      id: feature.data.id ?? undefined,
      properties: feature.data.properties ?? {},
      geometry: feature.data.geometry,
    });
  });
  if (problems.length > 0) throw new SourceFileErrors(problems);
  return { declaredSrid, features };
}

/** Several features or rows cannot be read at all (not a Feature, wrong column count); each is reported. */
export class SourceFileErrors extends Error {
  constructor(readonly issues: ImportIssue[]) {
    super(`${issues.length} record(s) cannot be read: ${issues[0]?.message ?? ''}`);
    this.name = 'SourceFileErrors';
  }
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

export interface SourceRow {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  values: Record<string, string>;
}

export interface SourceTable {
  columns: string[];
  rows: SourceRow[];
}

export function parseCsvTable(text: string, fileName: string, delimiter = ','): SourceTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    throw new SourceFileError({
      ...(typeof lines === 'number' ? { line: lines } : {}),
      code: 'invalid_csv',
      message: `${fileName} is not valid CSV${typeof lines === 'number' ? ` near line ${lines}` : ''}: ${(error as Error).message}`,
    });
  }
  const header = records[0];
  if (!header) throw new SourceFileError({ code: 'file_empty', message: `${fileName} has no header line.` });
  const columns = header.record.map((column) => column.trim());
  const seen = new Set<string>();
  for (const column of columns) {
    if (column === '') {
      throw new SourceFileError({ line: header.info.lines, code: 'invalid_header', message: `${fileName}: the header has an empty column name.` });
    }
    if (seen.has(column)) {
      throw new SourceFileError({ line: header.info.lines, field: column, code: 'duplicate_column', message: `${fileName}: the header names the column "${column}" twice.` });
    }
    seen.add(column);
  }
  if (records.length === 1) {
    throw new SourceFileError({ code: 'file_empty', message: `${fileName} has a header but no data rows.` });
  }
  const problems: ImportIssue[] = [];
  const rows: SourceRow[] = [];
  for (const { record, info } of records.slice(1)) {
    if (record.length !== columns.length) {
      problems.push({
        line: info.lines,
        code: 'column_count',
        message: `has ${record.length} values but the header has ${columns.length} columns.`,
      });
      continue;
    }
    const values: Record<string, string> = {};
    columns.forEach((column, index) => {
      values[column] = record[index]!;
    });
    rows.push({ line: info.lines, values });
  }
  if (problems.length > 0) throw new SourceFileErrors(problems);
  return { columns, rows };
}
