import { parse as parseCsvText } from 'csv-parse/sync';
import { importColumns, listSeparator as writtenListSeparator, listSplitPattern, type ImportColumnMapping, type Offer } from './offers.schema.ts';

/**
 * The flat form of an offer shared by CSV and GeoJSON: one record per offer and location (like
 * HSDS service_at_location). Rows of one offer repeat its fields and are grouped on import by
 * `id`, else by `source` + `external_id`.
 */
export const flatColumns = [
  'id',
  'source',
  'external_id',
  'department_code',
  'organization_id',
  'name',
  'alternate_name',
  'description',
  'status',
  'publication',
  'offer_type',
  'target_groups',
  'fields_of_action',
  'accessibility',
  'min_age',
  'max_age',
  'cost_kind',
  'cost_text',
  'languages',
  'email',
  'phone',
  'website',
  'opening_hours',
  'opening_hours_note',
  'reach_kind',
  'reach_meters',
  'reach_area_ids',
  'capacity',
  'capacity_unit',
  'location_id',
  'location_name',
  'street',
  'house_number',
  'postal_code',
  'city',
  'location_accessibility_note',
  'longitude',
  'latitude',
  'sozialraum_code',
  'sozialraum_name',
  'verified_at',
  'stale',
  'version',
  'updated_at',
] as const;
export type FlatColumn = (typeof flatColumns)[number];

/** Export-only columns: derived or managed by the system; an import ignores them. */
export const readOnlyColumns: ReadonlySet<string> = new Set(['sozialraum_code', 'sozialraum_name', 'verified_at', 'stale', 'version', 'updated_at']);

export type FlatValue = string | number | boolean | null;
export type FlatRecord = Partial<Record<FlatColumn, FlatValue>>;

/** One record read from a file, with where it came from (CSV line or feature number). */
export interface SourceRecord {
  row: number;
  values: Record<string, FlatValue>;
  /** CSV: each column (trimmed, lower case, as `values` names it) as the file's header spells it. */
  headers?: ReadonlyMap<string, string>;
}

const listSeparator = writtenListSeparator;

export function offerToFlatRecords(offer: Offer): FlatRecord[] {
  const base: FlatRecord = {
    id: offer.id,
    source: offer.source,
    external_id: offer.externalId,
    department_code: offer.department.code,
    organization_id: offer.organization?.id ?? null,
    name: offer.name,
    alternate_name: offer.alternateName,
    description: offer.description,
    status: offer.status,
    publication: offer.publication,
    offer_type: offer.offerType,
    target_groups: offer.targetGroups.join(listSeparator),
    fields_of_action: offer.fieldsOfAction.join(listSeparator),
    accessibility: offer.accessibility.join(listSeparator),
    min_age: offer.minAge,
    max_age: offer.maxAge,
    cost_kind: offer.cost?.kind ?? null,
    cost_text: offer.cost?.text ?? null,
    languages: offer.languages.join(listSeparator),
    email: offer.email,
    phone: offer.phone,
    website: offer.website,
    opening_hours: offer.openingHours,
    opening_hours_note: offer.openingHoursNote,
    reach_kind: offer.reach?.kind ?? null,
    reach_meters: offer.reach && offer.reach.kind !== 'area' ? offer.reach.meters : null,
    reach_area_ids: offer.reach?.kind === 'area' ? offer.reach.areaIds.join(listSeparator) : null,
    capacity: offer.capacity?.value ?? null,
    capacity_unit: offer.capacity?.unit ?? null,
    verified_at: offer.verifiedAt,
    stale: offer.stale,
    version: offer.version,
    updated_at: offer.updatedAt,
  };
  if (offer.locations.length === 0) return [base];
  return offer.locations.map((location) => ({
    ...base,
    location_id: location.id,
    location_name: location.name,
    street: location.address.street,
    house_number: location.address.houseNumber,
    postal_code: location.address.postalCode,
    city: location.address.city,
    location_accessibility_note: location.accessibilityNote,
    longitude: location.geometry.coordinates[0],
    latitude: location.geometry.coordinates[1],
    sozialraum_code: location.sozialraum?.code ?? null,
    sozialraum_name: location.sozialraum?.name ?? null,
  }));
}

// Spreadsheets run cells that start like a formula; such text gets a leading apostrophe
// (OWASP "CSV injection"), which the import removes again. Numbers like +49 … stay as they are.
const formulaStart = /^[=@\t\r]|^[+-](?![\d (])/;

function csvCell(value: FlatValue | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n;]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvHeaderLine = `${flatColumns.join(',')}\r\n`;

export function csvLine(record: FlatRecord): string {
  return `${flatColumns.map((column) => csvCell(record[column])).join(',')}\r\n`;
}

export function geoJsonFeature(record: FlatRecord): GeoJSON.Feature<GeoJSON.Point | null> {
  const { longitude, latitude, ...properties } = record;
  const located = typeof longitude === 'number' && typeof latitude === 'number';
  return {
    type: 'Feature',
    ...(typeof record.location_id === 'string' ? { id: `${record.id}/${record.location_id}` } : { id: String(record.id) }),
    geometry: located ? { type: 'Point', coordinates: [longitude, latitude] } : null,
    properties,
  };
}

export class FileFormatError extends Error {
  constructor(
    readonly key: string,
    readonly detail: string,
    /** A message of its own for what went wrong (the parser's text is English), with its values. */
    readonly reason: { key: string; params: Record<string, unknown> } | undefined = undefined,
  ) {
    super(detail);
    this.name = 'FileFormatError';
  }
}

/** csv-parse's error as a message in the user's language: which line and what to do. */
function csvProblem(error: unknown, headerColumns: number): { key: string; params: Record<string, unknown> } {
  const parseError = error as { code?: string; lines?: number; record?: unknown[] };
  const line = parseError.lines ?? '?';
  switch (parseError.code) {
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
    case 'CSV_RECORD_DONT_MATCH_COLUMNS_LENGTH':
      return { key: 'csv_column_count', params: { line, found: parseError.record?.length ?? '?', expected: headerColumns } };
    case 'CSV_QUOTE_NOT_CLOSED':
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
      return { key: 'csv_quotes', params: { line } };
    default:
      return { key: 'csv_unreadable', params: { line } };
  }
}

/** The German headers of the template and of common spreadsheets, read as our columns. */
const columnAliases: ReadonlyMap<string, string> = new Map(importColumns.flatMap((entry) => entry.aliases.map((alias) => [alias, entry.column] as const)));

/**
 * The column a header names: the mapping step's choice first (`""` = do not read), then the column
 * itself, then a known German header ("Straße" → street).
 */
export function columnOfHeader(header: string, mapping: ImportColumnMapping | undefined): string | null {
  const trimmed = header.trim();
  const chosen = mapping?.[trimmed] ?? mapping?.[trimmed.toLowerCase()];
  if (chosen !== undefined) return chosen === '' ? null : chosen;
  const column = trimmed.toLowerCase();
  if ((flatColumns as readonly string[]).includes(column)) return column;
  return columnAliases.get(column) ?? column;
}

/** Reads CSV (comma or semicolon, UTF-8 with or without BOM); `row` is the line number where a record starts. */
export function parseCsv(text: string, mapping?: ImportColumnMapping): SourceRecord[] {
  let rows: { record: Record<string, string>; raw: string; info: { lines: number } }[];
  const headers = new Map<string, string>();
  // Spreadsheets in German locales write semicolons (and decimal commas); the header tells which.
  const headerLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (headerLine.match(/;/g)?.length ?? 0) > (headerLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  try {
    rows = parseCsvText(text, {
      columns: (header: string[]) =>
        header.map((name) => {
          const column = columnOfHeader(name, mapping);
          // csv-parse skips a column named false: the mapping step said not to read it
          if (column === null) return false as unknown as string;
          if (!headers.has(column)) headers.set(column, name.trim());
          return column;
        }),
      bom: true,
      delimiter,
      skip_empty_lines: true,
      trim: true,
      info: true,
      raw: true,
      relax_column_count: false,
    }) as unknown as { record: Record<string, string>; raw: string; info: { lines: number } }[];
  } catch (error) {
    throw new FileFormatError('invalid_csv', (error as Error).message.slice(0, 300), csvProblem(error, headerLine.split(delimiter).length));
  }
  return rows.map(({ record, raw, info }) => {
    // info.lines is where the record ends; a quoted field may span lines, and skipped blank lines come first.
    const innerLineBreaks = raw.replace(/^[\r\n]+|[\r\n]+$/g, '').match(/\r\n|\n|\r/g)?.length ?? 0;
    return {
      row: info.lines - innerLineBreaks,
      values: Object.fromEntries(
        Object.entries(record).map(([key, value]) => [key, value === '' ? null : value.replace(/^'(?=[=@+\-\t\r])/, '')]),
      ),
      headers,
    };
  });
}

/** Reads a GeoJSON FeatureCollection of points; `row` is the feature number, from 1. */
export function parseGeoJson(json: unknown): SourceRecord[] {
  const collection = json as { type?: unknown; features?: unknown };
  if (typeof collection !== 'object' || collection === null || collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    throw new FileFormatError('invalid_geojson', 'The file is not a GeoJSON FeatureCollection.');
  }
  return collection.features.map((feature: unknown, index) => {
    const { geometry, properties } = (feature ?? {}) as { geometry?: { type?: unknown; coordinates?: unknown } | null; properties?: unknown };
    const values: Record<string, FlatValue> = {};
    if (typeof properties === 'object' && properties !== null) {
      for (const [key, value] of Object.entries(properties)) {
        values[key] = value === undefined || typeof value === 'object' ? (value === null ? null : JSON.stringify(value)) : (value as FlatValue);
      }
    }
    if (geometry && geometry.type === 'Point' && Array.isArray(geometry.coordinates)) {
      // RFC 7946 positions are numbers: "6.95" (a string) is refused, kept quoted so that
      // validation names features[i].geometry.coordinates[n] instead of reading it as a number.
      const position = (value: unknown): FlatValue =>
        typeof value === 'number' || value === undefined || value === null ? (value as FlatValue) : JSON.stringify(value);
      values.longitude = position(geometry.coordinates[0]);
      values.latitude = position(geometry.coordinates[1]);
    } else if (geometry) {
      values.longitude = 'not a point';
    }
    return { row: index + 1, values };
  });
}

function text(value: FlatValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const result = String(value).trim();
  return result === '' ? undefined : result;
}

function list(value: FlatValue | undefined): string[] | undefined {
  const raw = text(value);
  // one separator is written ("; "), both are read: forms and spreadsheets use commas as often
  return raw === undefined ? undefined : raw.split(listSplitPattern).map((part) => part.trim()).filter((part) => part !== '');
}

/** A number where one is expected; anything else passes through so that validation names the field. */
function numeric(value: FlatValue | undefined): unknown {
  const raw = text(value);
  if (raw === undefined) return undefined;
  if (typeof value === 'number') return value;
  const parsed = Number(raw.replace(',', '.'));
  return Number.isFinite(parsed) ? parsed : raw;
}

export interface GroupedRecord {
  /** Row of the first record of the offer. */
  row: number;
  rows: number[];
  /** Row of the record that gave each entry of `input.locations` (records without a point give none). */
  locationRows: number[];
  /** CSV: the header as the file spells it (see SourceRecord). */
  headers: ReadonlyMap<string, string> | undefined;
  id: string | undefined;
  publication: string | undefined;
  /** Input for the offer create schema. */
  input: Record<string, unknown>;
  unknownColumns: string[];
}

function recordKey(values: Record<string, FlatValue>, row: number): string {
  const id = text(values.id);
  if (id) return `id:${id}`;
  const source = text(values.source);
  const externalId = text(values.external_id);
  if (source && externalId) return `source:${source}\u0000${externalId}`;
  return `row:${row}`;
}

function locationOf(values: Record<string, FlatValue>): Record<string, unknown> | undefined {
  const longitude = numeric(values.longitude);
  const latitude = numeric(values.latitude);
  const address = {
    street: text(values.street),
    houseNumber: text(values.house_number),
    postalCode: text(values.postal_code),
    city: text(values.city),
  };
  if (longitude === undefined && latitude === undefined) {
    if (address.street === undefined) return undefined;
    // An address without a point: the import looks it up with the local geocoder.
    return {
      ...(text(values.location_id) ? { id: text(values.location_id) } : {}),
      name: text(values.location_name),
      address,
      accessibilityNote: text(values.location_accessibility_note),
    };
  }
  return {
    ...(text(values.location_id) ? { id: text(values.location_id) } : {}),
    name: text(values.location_name),
    address,
    accessibilityNote: text(values.location_accessibility_note),
    geometry: { type: 'Point', coordinates: [longitude, latitude] },
  };
}

/** Groups flat records into offers and turns them into input for the create schema. */
export function groupFlatRecords(records: readonly SourceRecord[]): GroupedRecord[] {
  const groups = new Map<string, SourceRecord[]>();
  for (const record of records) {
    const key = recordKey(record.values, record.row);
    const group = groups.get(key);
    if (group) group.push(record);
    else groups.set(key, [record]);
  }
  const known = new Set<string>(flatColumns);
  return [...groups.values()].map((group) => {
    const values = group[0]!.values;
    const located = group.flatMap((record) => {
      const location = locationOf(record.values);
      return location === undefined ? [] : [{ row: record.row, location }];
    });
    const reachKind = text(values.reach_kind);
    let reach: unknown;
    if (reachKind === 'area') reach = { kind: 'area', areaIds: list(values.reach_area_ids) ?? [] };
    else if (reachKind !== undefined) reach = { kind: reachKind, meters: numeric(values.reach_meters) };
    const costKind = text(values.cost_kind);
    const costText = text(values.cost_text);
    const capacity = numeric(values.capacity);
    const input: Record<string, unknown> = {
      departmentCode: text(values.department_code),
      organizationId: text(values.organization_id),
      name: text(values.name),
      alternateName: text(values.alternate_name),
      description: text(values.description),
      status: text(values.status),
      offerType: text(values.offer_type),
      targetGroups: list(values.target_groups),
      fieldsOfAction: list(values.fields_of_action),
      accessibility: list(values.accessibility),
      minAge: numeric(values.min_age),
      maxAge: numeric(values.max_age),
      cost: costKind !== undefined || costText !== undefined ? { kind: costKind, text: costText } : undefined,
      languages: list(values.languages)?.map((code) => code.toLowerCase()),
      email: text(values.email),
      phone: text(values.phone),
      website: text(values.website),
      openingHours: text(values.opening_hours),
      openingHoursNote: text(values.opening_hours_note),
      reach,
      capacity: capacity === undefined ? undefined : { value: capacity, unit: text(values.capacity_unit) },
      locations: located.map((entry) => entry.location),
      source: text(values.source),
      externalId: text(values.external_id),
    };
    return {
      row: group[0]!.row,
      rows: group.map((record) => record.row),
      locationRows: located.map((entry) => entry.row),
      headers: group[0]!.headers,
      id: text(values.id),
      publication: text(values.publication),
      input: Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)),
      unknownColumns: Object.keys(values).filter((column) => !known.has(column)),
    };
  });
}

/** Columns that hold an offer field (a path of the create schema without list indexes). */
const offerFieldColumns: Record<string, FlatColumn[]> = {
  id: ['id'],
  departmentCode: ['department_code'],
  organizationId: ['organization_id'],
  name: ['name'],
  alternateName: ['alternate_name'],
  description: ['description'],
  status: ['status'],
  offerType: ['offer_type'],
  targetGroups: ['target_groups'],
  fieldsOfAction: ['fields_of_action'],
  accessibility: ['accessibility'],
  minAge: ['min_age'],
  maxAge: ['max_age'],
  cost: ['cost_kind', 'cost_text'],
  'cost.kind': ['cost_kind'],
  'cost.text': ['cost_text'],
  languages: ['languages'],
  email: ['email'],
  phone: ['phone'],
  website: ['website'],
  openingHours: ['opening_hours'],
  openingHoursNote: ['opening_hours_note'],
  reach: ['reach_kind', 'reach_meters', 'reach_area_ids'],
  'reach.kind': ['reach_kind'],
  'reach.meters': ['reach_meters'],
  'reach.areaIds': ['reach_area_ids'],
  capacity: ['capacity', 'capacity_unit'],
  'capacity.value': ['capacity'],
  'capacity.unit': ['capacity_unit'],
  // no location at all: the point is missing
  locations: ['longitude', 'latitude'],
  source: ['source'],
  externalId: ['external_id'],
};

/** Columns that hold a field of one location (the path after `locations.<n>.`). */
const locationFieldColumns: Record<string, FlatColumn[]> = {
  '': ['longitude', 'latitude'],
  id: ['location_id'],
  name: ['location_name'],
  address: ['street', 'house_number', 'postal_code', 'city'],
  'address.street': ['street'],
  'address.houseNumber': ['house_number'],
  'address.postalCode': ['postal_code'],
  'address.city': ['city'],
  accessibilityNote: ['location_accessibility_note'],
  geometry: ['longitude', 'latitude'],
  'geometry.type': ['longitude', 'latitude'],
  'geometry.coordinates': ['longitude', 'latitude'],
};

const isIndex = (segment: string) => /^\d+$/.test(segment);

/**
 * Where a problem with an offer field lies in the flat form: the columns, and for a field of a
 * location which of the offer's locations (and so which record of the file). `undefined` when
 * the field is none of the offer's (e.g. `record`).
 */
export function flatColumnsOfField(field: string): { location: number | undefined; columns: FlatColumn[] } | undefined {
  const parts = field.split('.');
  if (parts[0] === 'locations' && parts[1] !== undefined && isIndex(parts[1])) {
    const rest = parts.slice(2);
    const coordinate = rest[0] === 'geometry' && rest[1] === 'coordinates' ? rest[2] : undefined;
    if (coordinate === '0' || coordinate === '1') return { location: Number(parts[1]), columns: [coordinate === '0' ? 'longitude' : 'latitude'] };
    const columns = locationFieldColumns[rest.filter((part) => !isIndex(part)).join('.')];
    return columns ? { location: Number(parts[1]), columns } : undefined;
  }
  if ((flatColumns as readonly string[]).includes(field)) return { location: undefined, columns: [field as FlatColumn] };
  const columns = offerFieldColumns[parts.filter((part) => !isIndex(part)).join('.')];
  return columns ? { location: undefined, columns } : undefined;
}

/** An offer as read from a file: its first record, and the record behind each location. */
export interface RecordOrigin {
  row: number;
  locationRows: readonly number[];
  headers: ReadonlyMap<string, string> | undefined;
}

/**
 * Says where a problem lies in the file a person uploaded, instead of the offer's field path
 * (`locations.0.geometry.coordinates.1`): for CSV the column as the header spells it and the line
 * of that location's record; for GeoJSON the path in the file (`features[4].geometry.coordinates[1]`,
 * `features[4].properties.min_age`) with that feature's number.
 */
export function locateInFile(format: 'csv' | 'geojson', origin: RecordOrigin, field: string): { row: number; field: string } {
  const located = flatColumnsOfField(field);
  const row = located?.location !== undefined ? (origin.locationRows[located.location] ?? origin.row) : origin.row;
  if (format === 'csv') {
    if (!located) return { row, field: origin.headers?.get(field) ?? field };
    return { row, field: located.columns.map((column) => origin.headers?.get(column) ?? column).join(', ') };
  }
  const feature = `features[${row - 1}]`;
  if (!located) return { row, field: field === 'record' ? feature : `${feature}.properties.${field}` };
  const [first, second] = located.columns;
  if (first === 'longitude' && second === 'latitude') return { row, field: `${feature}.geometry` };
  if (first === 'longitude' || first === 'latitude') return { row, field: `${feature}.geometry.coordinates[${first === 'longitude' ? 0 : 1}]` };
  return { row, field: located.columns.map((column) => `${feature}.properties.${column}`).join(', ') };
}
