import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { AuditEventInput } from '../audit/audit.schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { DatasetsService } from '../datasets/datasets.service.ts';
import type { DepartmentsService } from '../departments/departments.service.ts';
import type { GeocodingService } from '../geocoding/geocoding.service.ts';
import type { OrganizationsService } from '../organizations/organizations.service.ts';
import { AppError, ConflictError, ForbiddenError, type FieldError } from '../http/errors.ts';
import { fillMessage, localizedErrorMap, localizedValidationError, parseContext } from '../http/localized-validation.ts';
import { versionMessages } from '../http/versioning.ts';
import type { TaxonomyCode, TaxonomyTerm } from '../taxonomies/taxonomies.schema.ts';
import type { TaxonomiesService } from '../taxonomies/taxonomies.service.ts';
import {
  normalizeContent,
  resolveContent,
  snapshotOf,
  snapshotOfOffer,
  stateOfOffer,
  type OfferContent,
} from './offers.content.ts';
import {
  csvHeaderLine,
  csvLine,
  FileFormatError,
  geoJsonFeature,
  locateInFile,
  offerToFlatRecords,
} from './offers.formats.ts';
import { readImportFile, type ImportCandidate, type ImportFileReader } from './offers-file-reader.ts';
import { createPause } from '../shared/pause.ts';
import { offerMessages } from './offers.messages.ts';
import {
  findOffers,
  findOffersBySourceKeys,
  insertOffers,
  listAllOfferIds,
  lockOfferHead,
  updateOfferContent,
  type OfferFilter,
  type OfferWrite,
} from './offers.repo.ts';
import {
  type ExportQuery,
  type ImportQuery,
  maxImportRecords,
  offerCreateSchema,
  type FileFormat,
  type ImportProblem,
  type ImportReport,
  type Offer,
  type Publication,
} from './offers.schema.ts';
import {
  auditActorOf,
  contentCheckOptions,
  loadReferences,
  problem,
  forReader,
  requireWriter,
  toPrefixTsquery,
  type RequestContext,
  type UserActor,
} from './offers.service.ts';
import { germanStates } from '../shared/opening-hours.ts';

export interface OfferFilesService {
  /** `body` is the uploaded file (bytes, or JSON express has parsed): the file itself is read here. */
  importOffers(context: RequestContext, options: ImportQuery, body: unknown): Promise<ImportReport>;
  /** Resolves the filters first (errors surface before any byte is sent), then yields the file in chunks. */
  exportOffers(context: RequestContext, parsed: ExportQuery): Promise<{ format: FileFormat; chunks: AsyncGenerator<string> }>;
}

/**
 * The HSDS file format. The hsds feature owns it (`hsdsFileFormat` in hsds.service.ts) and createApp
 * passes it in, so that offers never import hsds while hsds reads offers through OffersService.
 */
export interface HsdsFileFormat {
  version: string;
  /** The services of an HSDS file as offer input records, numbered from 1. */
  readServices(json: unknown): Array<{
    row: number;
    serviceId: string | undefined;
    input: Record<string, unknown>;
    publication: string | undefined;
    warnings: string[];
    organization: { id: string; name: string; description: string | null } | undefined;
  }>;
  toService(
    offer: Offer,
    context: { term(taxonomy: TaxonomyCode, code: string): TaxonomyTerm | undefined; stateProvince: string },
  ): Record<string, unknown>;
}

/** One run of an offer file import, as the import log (import_runs) keeps it. */
export interface OfferFileRun {
  id?: string;
  fileName: string | null;
  status: 'succeeded' | 'failed' | 'dry_run';
  rowsRead: number;
  rowsWritten: number;
  report: unknown;
  startedAt: Date;
  actorLabel: string;
  confirmation?: { tokenHash: string; fileChecksum: string; actorId: string } | undefined;
}

/** The import log belongs to the imports feature (`createImportRunLog`); createApp passes it in. */
export interface ImportRunLog {
  recordOfferFileRun(executor: Knex | Knex.Transaction, run: OfferFileRun): Promise<string>;
  /** The unspent dry run a confirmation token was issued for, if it is younger than `maxAgeHours`. */
  findDryRunConfirmation(
    executor: Knex | Knex.Transaction,
    tokenHash: string,
    maxAgeHours: number,
  ): Promise<{ id: string; fileChecksum: string; actorId: string | null; format: string | null } | undefined>;
  /** Spends a confirmation token: true for exactly one caller. */
  spendDryRunConfirmation(executor: Knex | Knex.Transaction, id: string, tokenHash: string): Promise<boolean>;
}

export interface OfferFilesDependencies {
  db: Knex;
  hsds: HsdsFileFormat;
  importRuns: ImportRunLog;
  departments: Pick<DepartmentsService, 'list'>;
  organizations: Pick<OrganizationsService, 'existingIds' | 'insertImported'>;
  audit: AuditService;
  taxonomies: TaxonomiesService;
  datasets: Pick<DatasetsService, 'city'>;
  holidayState: string;
  /** The local address lookup for rows without coordinates; without it such rows are refused. */
  geocoding?: Pick<GeocodingService, 'geocode'>;
  /** Reads an uploaded file into records in a worker thread (the app's pool); without it, in this thread. */
  readFile?: ImportFileReader;
}


interface PreparedRecord {
  row: number;
  content: OfferContent & { departmentCode: string };
  write: OfferWrite;
  publication: Publication;
  existing: Offer | undefined;
}

const maxReportedProblems = 1000;
/** A dry run's confirmation token expires after a day: a confirm belongs to a check just made. */
const confirmTokenMaxAgeHours = 24;

function sha256(input: string | Buffer): string {
  return createHash('sha256').update(input).digest('hex');
}
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function bodyBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0)) return Buffer.alloc(0);
  // application/json bodies arrive parsed (express.json); their checksum is over the JSON text.
  return Buffer.from(JSON.stringify(body), 'utf8');
}

function sameContent(offer: Offer, content: OfferContent & { departmentCode: string }): boolean {
  return JSON.stringify(snapshotOfOffer(offer)) === JSON.stringify(snapshotOf(content, stateOfOffer(offer)));
}

type ImportOptions = ImportQuery;
type ParsedRecord = { candidate: ImportCandidate; content: OfferContent & { departmentCode: string } };

/** One run of the file import: who imports what, and the problems found so far. */
interface ImportRun {
  context: RequestContext;
  actor: UserActor;
  options: ImportOptions;
  language: RequestContext['language'];
  startedAt: Date;
  errors: ImportProblem[];
  warnings: ImportProblem[];
  /** Rows an editor may not import (another department's offers). */
  forbiddenRows: number[];
  geocoded: number;
  /** The loops over every record let the event loop answer others every 200 records (shared/pause.ts). */
  pause: () => Promise<void> | undefined;
}

function startImportRun(context: RequestContext, actor: UserActor, options: ImportOptions, startedAt: Date): ImportRun {
  return { context, actor, options, language: context.language, startedAt, errors: [], warnings: [], forbiddenRows: [], geocoded: 0, pause: createPause() };
}

/** A problem named as the uploaded file names it: CSV column, GeoJSON path (HSDS: the offer's field). */
function place(run: ImportRun, candidate: ImportCandidate, field: string): { row: number; field: string } {
  return candidate.origin && run.options.format !== 'hsds' ? locateInFile(run.options.format, candidate.origin, field) : { row: candidate.row, field };
}

/** Step 1, read: the file as candidate records; an unreadable file is a validation error on `file`. */
async function readCandidates(deps: OfferFilesDependencies, run: ImportRun, bytes: Buffer, body: unknown): Promise<ImportCandidate[]> {
  const { options, language } = run;
  let candidates: ImportCandidate[];
  try {
    const file = { format: options.format, bytes, columns: options.columns };
    // A large file (a raw body; small JSON arrives parsed) is parsed in a worker thread (offers-file-reader.ts).
    candidates = deps.readFile && Buffer.isBuffer(body) ? await deps.readFile(file) : readImportFile(file, deps.hsds, body);
  } catch (error) {
    if (!(error instanceof FileFormatError)) throw error;
    const own = error.reason && offerMessages[error.reason.key] ? error.reason : undefined;
    const message = own
      ? fillMessage(offerMessages[own.key]!, language, own.params)
      : offerMessages[error.key]
        ? fillMessage(offerMessages[error.key]!, language, { detail: error.detail })
        : error.detail;
    throw localizedValidationError([{ field: 'file', code: error.key, message }], language);
  }
  if (candidates.length > maxImportRecords) {
    throw new AppError('import_too_large', 413, problem(run.context, 'import_too_many_rows', { max: maxImportRecords }));
  }
  return candidates;
}

/** Step 2, place: addresses without a point are placed by the local geocoder; rows it cannot place are listed (and returned). */
async function geocodeCandidates(deps: OfferFilesDependencies, run: ImportRun, candidates: ImportCandidate[]): Promise<Set<ImportCandidate>> {
  const unplaced = new Set<ImportCandidate>();
  const lookups = new Map<string, Promise<Awaited<ReturnType<GeocodingService['geocode']>>>>();
  for (const candidate of candidates) {
    await run.pause();
    const locations = Array.isArray(candidate.input.locations) ? (candidate.input.locations as Record<string, unknown>[]) : [];
    for (const [index, location] of locations.entries()) {
      if (location.geometry !== undefined) continue;
      const address = (location.address ?? {}) as { street?: string; houseNumber?: string; postalCode?: string; city?: string };
      const query = [address.street, address.houseNumber].filter(Boolean).join(' ');
      if (!lookups.has(query)) lookups.set(query, deps.geocoding && query.length >= 2 ? deps.geocoding.geocode(query, 1) : Promise.resolve([]));
      const hit = (await lookups.get(query)!).find(
        (result) => result.kind === 'address' && (result.precision === 'house_number' || result.precision === 'nearest_house_number'),
      );
      const shown = [query, [address.postalCode, address.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
      // the address columns the file has, as its header spells them
      const headers = candidate.origin?.headers;
      const addressColumns = headers ? ['street', 'house_number', 'postal_code', 'city'].flatMap((column) => (headers.has(column) ? [headers.get(column)!] : [])) : [];
      const at = { ...place(run, candidate, `locations.${index}.address`), ...(addressColumns.length > 0 ? { field: addressColumns.join(', ') } : {}) };
      if (!hit) {
        run.errors.push({ ...at, code: 'address_not_found', message: fillMessage(offerMessages.address_not_found!, run.language, { address: shown }) });
        unplaced.add(candidate);
        continue;
      }
      location.geometry = { type: 'Point', coordinates: [hit.lon, hit.lat] };
      run.geocoded += 1;
      if (hit.precision === 'nearest_house_number') {
        run.warnings.push({ ...at, code: 'address_approximated', message: fillMessage(offerMessages.address_approximated!, run.language, { address: shown, found: hit.label }) });
      }
    }
  }
  return unplaced;
}

/** Step 3, shape: each placed record through the same schema as POST /api/offers. */
async function parseCandidates(run: ImportRun, candidates: ImportCandidate[], unplaced: Set<ImportCandidate>): Promise<ParsedRecord[]> {
  const { actor, language } = run;
  const errorMap = localizedErrorMap(language, offerMessages);
  const defaultDepartment = actor.role === 'editor' ? (actor.departmentCode ?? undefined) : run.options.department;
  const parsed: ParsedRecord[] = [];
  for (const candidate of candidates) {
    await run.pause();
    if (unplaced.has(candidate)) continue;
    for (const column of candidate.unknownColumns) {
      run.warnings.push({ ...place(run, candidate, column), code: 'unknown_column', message: language === 'de' ? 'Unbekannte Spalte; sie wird nicht gelesen.' : 'Unknown column; it is not read.' });
    }
    for (const warning of candidate.warnings) run.warnings.push({ row: candidate.row, field: 'file', code: 'not_imported', message: warning });
    const input = { ...candidate.input, departmentCode: candidate.input.departmentCode ?? defaultDepartment };
    const result = offerCreateSchema.safeParse(input, parseContext(errorMap));
    if (!result.success) {
      for (const issue of result.error.issues) {
        run.errors.push({
          ...place(run, candidate, issue.path.map(String).join('.') || 'record'),
          code: issue.code === 'custom' && typeof issue.params?.key === 'string' ? issue.params.key : issue.code,
          message: issue.message,
        });
      }
      continue;
    }
    const normalized = normalizeContent(result.data);
    if (!normalized.departmentCode) {
      run.errors.push({ ...place(run, candidate, 'departmentCode'), code: 'department_required', message: fillMessage(offerMessages.department_required!, language) });
      continue;
    }
    if (actor.role === 'editor' && normalized.departmentCode !== actor.departmentCode) run.forbiddenRows.push(candidate.row);
    parsed.push({ candidate, content: { ...normalized, departmentCode: normalized.departmentCode } });
  }
  return parsed;
}

interface ExistingOffers {
  byId: Map<string, Offer>;
  bySourceKey: Awaited<ReturnType<typeof findOffersBySourceKeys>>;
}

/** Step 4, match: which records update existing offers (by id, else by source and external id). */
async function findExistingOffers(db: Knex, parsed: ParsedRecord[]): Promise<ExistingOffers> {
  const namedIds = [...new Set(parsed.map(({ candidate }) => candidate.id).filter((id): id is string => id !== undefined && uuidPattern.test(id)))];
  const byId = new Map<string, Offer>();
  for (let start = 0; start < namedIds.length; start += 1000) {
    for (const offer of await findOffers(db, namedIds.slice(start, start + 1000))) byId.set(offer.id, offer);
  }
  const sourceKeys = parsed
    .filter(({ candidate, content }) => !(candidate.id && byId.has(candidate.id)) && content.source && content.externalId)
    .map(({ content }) => ({ source: content.source!, externalId: content.externalId! }));
  const bySourceKey = await findOffersBySourceKeys(db, sourceKeys);
  const sourceIds = [...new Set([...bySourceKey.values()].map((head) => head.id))].filter((id) => !byId.has(id));
  for (let start = 0; start < sourceIds.length; start += 1000) {
    for (const offer of await findOffers(db, sourceIds.slice(start, start + 1000))) byId.set(offer.id, offer);
  }
  return { byId, bySourceKey };
}

/** Location ids that are not the offer's own become new locations (e.g. a file from another instance); rows without a location id update the offer's locations in their order. */
function matchLocations(candidate: ImportCandidate, content: OfferContent, existing: Offer | undefined): OfferContent['locations'] {
  const ownLocations = existing?.locations.map((location) => location.id) ?? [];
  const namedIds = Array.isArray(candidate.input.locations)
    ? (candidate.input.locations as { id?: unknown }[]).map((location) => (typeof location?.id === 'string' ? location.id : undefined))
    : [];
  return content.locations.map((location, index) => {
    if (namedIds[index] === undefined) return { ...location, id: ownLocations[index] ?? location.id };
    return ownLocations.includes(location.id) ? location : { ...location, id: randomUUID() };
  });
}

interface PreparedImport {
  records: PreparedRecord[];
  unchanged: number;
  organizationsToCreate: Map<string, { id: string; name: string; description: string | null }>;
}

/** Step 5, check: references, points, opening hours, the same checks as a single save; unchanged records are counted, not written. */
async function prepareRecords(deps: OfferFilesDependencies, run: ImportRun, parsed: ParsedRecord[], existingOffers: ExistingOffers): Promise<PreparedImport> {
  const { actor } = run;
  const organizationsToCreate = new Map<string, { id: string; name: string; description: string | null }>();
  const references = await loadReferences(deps, parsed.map(({ content }) => content));
  for (const { candidate } of parsed) {
    const organization = candidate.organization;
    if (organization && uuidPattern.test(organization.id) && !references.organizationIds.has(organization.id)) {
      organizationsToCreate.set(organization.id, organization);
      references.organizationIds.add(organization.id);
    }
  }
  const checkOptions = { ...contentCheckOptions(deps, run.language), openingHoursCache: new Map<string, string | null>() };
  const records: PreparedRecord[] = [];
  const seenOffers = new Map<string, number>();
  let unchanged = 0;
  for (const { candidate, content } of parsed) {
    await run.pause();
    const sourceHead = content.source && content.externalId ? existingOffers.bySourceKey.get(`${content.source}\u0000${content.externalId}`) : undefined;
    const existing = (candidate.id ? existingOffers.byId.get(candidate.id) : undefined) ?? (sourceHead ? existingOffers.byId.get(sourceHead.id) : undefined);
    const firstRow = existing ? seenOffers.get(existing.id) : undefined;
    if (firstRow !== undefined) {
      // found by id, else by source and external id: the column that made the match
      run.errors.push({ ...place(run, candidate, candidate.id ? 'id' : 'externalId'), code: 'duplicate_row', message: fillMessage(offerMessages.duplicate_row!, run.language, { row: firstRow }) });
      continue;
    }
    if (existing) {
      seenOffers.set(existing.id, candidate.row);
      if (actor.role === 'editor' && existing.department.id !== actor.departmentId) run.forbiddenRows.push(candidate.row);
    }
    const locations = matchLocations(candidate, content, existing);
    // An update keeps the offer's own source key; the file's key only finds the offer.
    const finalContent = existing ? { ...content, locations, source: existing.source, externalId: existing.externalId } : { ...content, locations };
    const resolved = resolveContent(existing?.id ?? randomUUID(), finalContent, references, checkOptions);
    if (!resolved.write) {
      for (const error of resolved.errors) run.errors.push({ ...error, ...place(run, candidate, error.field) });
      continue;
    }
    if (existing && sameContent(existing, finalContent)) {
      unchanged += 1;
      continue;
    }
    records.push({
      row: candidate.row,
      content: finalContent,
      write: resolved.write,
      publication: candidate.publication === 'published' || (run.options.publish && !existing) ? 'published' : 'draft',
      existing,
    });
  }
  return { records, unchanged, organizationsToCreate };
}

function otherDepartmentError(run: ImportRun): ForbiddenError {
  const rows = run.forbiddenRows.slice(0, 20).join(', ');
  return new ForbiddenError(
    run.language === 'de'
      ? `Die Datei enthält Angebote anderer Dienststellen (Zeilen ${rows}); Sie dürfen nur Angebote Ihrer eigenen Dienststelle (${run.actor.departmentCode}) importieren.`
      : `The file holds offers of other departments (rows ${rows}); you may only import offers of your own department (${run.actor.departmentCode}).`,
    'other_department',
  );
}

function importReport(run: ImportRun, records: number, checksum: string, prepared: PreparedImport): ImportReport {
  const created = prepared.records.filter((record) => !record.existing);
  return {
    format: run.options.format,
    dryRun: run.options.dryRun,
    checksum,
    records,
    valid: run.errors.length === 0,
    created: created.length,
    updated: prepared.records.length - created.length,
    unchanged: prepared.unchanged,
    errorCount: run.errors.length,
    errors: run.errors.slice(0, maxReportedProblems),
    warnings: run.warnings.slice(0, maxReportedProblems),
    importRunId: null,
    geocoded: run.geocoded,
    published: created.filter((record) => record.publication === 'published').length,
  };
}

type RunBase = Pick<OfferFileRun, 'fileName' | 'rowsRead' | 'startedAt' | 'actorLabel'>;

/** Step 6a, the dry run's answer: the report with a confirmation token in place of the checksum. */
async function answerDryRun(deps: OfferFilesDependencies, run: ImportRun, report: ImportReport, runBase: RunBase, checksum: string): Promise<ImportReport> {
  // The token is random and only its hash is kept: it proves this user checked this very file.
  const token = randomBytes(32).toString('hex');
  report.checksum = token;
  report.importRunId = await deps.importRuns.recordOfferFileRun(deps.db, {
    ...runBase,
    status: 'dry_run',
    rowsWritten: 0,
    report: { ...summary(report), checksum: undefined },
    confirmation: { tokenHash: sha256(token), fileChecksum: checksum, actorId: run.actor.id },
  });
  return report;
}

/** Step 6b, a confirmation: the token of this user's dry run of this very file, and a file without errors. */
async function checkConfirmation(deps: OfferFilesDependencies, run: ImportRun, report: ImportReport, checksum: string): Promise<{ id: string; tokenHash: string }> {
  const { options, language, context } = run;
  if (!options.checksum) {
    throw localizedValidationError(
      [{ field: 'query.checksum', code: 'checksum_required', message: language === 'de' ? 'Zum Bestätigen die Prüfsumme aus dem Probelauf (dryRun=true) mitsenden.' : 'To confirm, send the checksum from the dry run (dryRun=true).' }],
      language,
    );
  }
  const tokenHash = sha256(options.checksum);
  const dryRun = await deps.importRuns.findDryRunConfirmation(deps.db, tokenHash, confirmTokenMaxAgeHours);
  if (!dryRun || dryRun.fileChecksum !== checksum || dryRun.actorId !== run.actor.id || dryRun.format !== options.format) {
    throw new ConflictError(problem(context, 'import_checksum_mismatch'), 'import_checksum_mismatch');
  }
  if (run.errors.length > 0) {
    const fieldErrors: FieldError[] = report.errors.map((error) => ({ field: `rows.${error.row}.${error.field}`, code: error.code, message: error.message }));
    throw new AppError('import_invalid', 400, problem(context, 'import_invalid', { count: run.errors.length }), { errors: fieldErrors, report });
  }
  return { id: dryRun.id, tokenHash };
}

/** Inserts the new offers, a batch per publication, with their audit events. */
async function insertCreated(trx: Knex.Transaction, deps: OfferFilesDependencies, run: ImportRun, created: PreparedRecord[], details: Record<string, unknown>): Promise<AuditEventInput[]> {
  const events: AuditEventInput[] = [];
  for (const publication of ['draft', 'published'] as const) {
    const batch = created.filter((record) => record.publication === publication);
    if (batch.length === 0) continue;
    await insertOffers(
      trx,
      batch.map((record) => record.write),
      { actorId: run.actor.id, publication, cityId: deps.datasets.city().id },
    );
    for (const record of batch) {
      await run.pause();
      events.push({
        actor: auditActorOf(run.actor),
        action: 'offer.created',
        entityType: 'offer',
        entityId: record.write.id,
        entityVersion: 1,
        requestId: run.context.requestId,
        before: null,
        after: snapshotOf(record.content, { publication, archivedAt: null, verifiedAt: null, verifiedBy: null }),
        details,
      });
    }
  }
  return events;
}

/** Updates the matched offers at the version the check saw (a newer one is a conflict), with their audit events. */
async function updateExisting(trx: Knex.Transaction, run: ImportRun, updated: PreparedRecord[], details: Record<string, unknown>): Promise<AuditEventInput[]> {
  const events: AuditEventInput[] = [];
  for (const record of updated) {
    await run.pause();
    const existing = record.existing!;
    const head = await lockOfferHead(trx, existing.id);
    if (!head || head.version !== existing.version) {
      throw new ConflictError(fillMessage(versionMessages.version_mismatch!, run.language, { current: head?.version ?? '?', expected: existing.version }), 'version_mismatch');
    }
    const version = await updateOfferContent(trx, record.write, { actorId: run.actor.id, expectedVersion: existing.version });
    events.push({
      actor: auditActorOf(run.actor),
      action: 'offer.updated',
      entityType: 'offer',
      entityId: existing.id,
      entityVersion: version ?? existing.version + 1,
      requestId: run.context.requestId,
      before: snapshotOfOffer(existing),
      after: snapshotOf(record.content, stateOfOffer(existing)),
      details,
    });
  }
  return events;
}

/** Step 7, write: all or nothing, one transaction for every offer, its events and the run record; a failure is logged as a failed run. */
async function writeImport(
  deps: OfferFilesDependencies,
  run: ImportRun,
  write: { report: ImportReport; runBase: RunBase; prepared: PreparedImport; confirmation: { id: string; tokenHash: string } },
): Promise<void> {
  const { report, runBase, prepared, confirmation } = write;
  const importRunId = randomUUID();
  try {
    await deps.db.transaction(async (trx) => {
      if (!(await deps.importRuns.spendDryRunConfirmation(trx, confirmation.id, confirmation.tokenHash))) {
        throw new ConflictError(problem(run.context, 'import_checksum_mismatch'), 'import_checksum_mismatch');
      }
      await deps.organizations.insertImported(trx, [...prepared.organizationsToCreate.values()]);
      const details = { importRunId, format: run.options.format };
      const created = await insertCreated(trx, deps, run, prepared.records.filter((record) => !record.existing), details);
      const updated = await updateExisting(trx, run, prepared.records.filter((record) => record.existing), details);
      await deps.audit.recordMany(trx, [...created, ...updated]);
      report.importRunId = importRunId;
      await deps.importRuns.recordOfferFileRun(trx, {
        ...runBase,
        id: importRunId,
        status: 'succeeded',
        rowsWritten: prepared.records.length,
        report: summary(report),
      });
    });
  } catch (error) {
    await deps.importRuns.recordOfferFileRun(deps.db, {
      ...runBase,
      status: 'failed',
      rowsWritten: 0,
      report: { ...summary(report), failure: error instanceof AppError ? error.code : 'database_error' },
    }).catch(() => undefined);
    throw error;
  }
}

// eslint-disable-next-line max-lines-per-function -- a service factory: a closure over its injected dependencies; each method is counted on its own
export function createOfferFilesService(deps: OfferFilesDependencies): OfferFilesService {
  return {
    async importOffers(context, options, body) {
      const startedAt = new Date();
      const actor = requireWriter(context);
      const run = startImportRun(context, actor, options, startedAt);
      const bytes = bodyBytes(body);
      const checksum = sha256(bytes);
      const candidates = await readCandidates(deps, run, bytes, body);
      const unplaced = await geocodeCandidates(deps, run, candidates);
      const parsed = await parseCandidates(run, candidates, unplaced);
      const existing = await findExistingOffers(deps.db, parsed);
      const prepared = await prepareRecords(deps, run, parsed, existing);
      if (run.forbiddenRows.length > 0) throw otherDepartmentError(run);
      const report = importReport(run, candidates.length, checksum, prepared);
      const runBase = { fileName: run.options.fileName ?? null, rowsRead: candidates.length, startedAt: run.startedAt, actorLabel: run.actor.email };
      if (run.options.dryRun) return answerDryRun(deps, run, report, runBase, checksum);
      const confirmation = await checkConfirmation(deps, run, report, checksum);
      await writeImport(deps, run, { report, runBase, prepared, confirmation });
      return report;
    },

    async exportOffers(context, parsed) {
      const terms = await deps.taxonomies.termIndex();
      const publicOnly = context.actor.kind === 'anonymous';
      const filter: OfferFilter = {
        publicOnly,
        cityId: deps.datasets.city().id,
        departmentCode: parsed.department,
        offerTypeIds: parsed.type === undefined ? undefined : terms.withDescendants('offer_type', parsed.type).map((term) => term.id),
        targetGroupIds: parsed.targetGroup === undefined ? undefined : terms.withDescendants('target_group', parsed.targetGroup).map((term) => term.id),
        statuses: publicOnly ? undefined : parsed.status,
        publication: publicOnly ? undefined : parsed.publication,
        archived: parsed.archived,
        stale: publicOnly ? undefined : parsed.stale,
        tsquery: parsed.q === undefined ? undefined : (toPrefixTsquery(parsed.q) ?? 'nothing_matches_this_search:*'),
        areaId: parsed.area,
        locationId: parsed.location,
      };
      const ids = await listAllOfferIds(deps.db, filter);
      const hsdsContext: Parameters<HsdsFileFormat['toService']>[1] = {
        term: (taxonomy, code) => terms.byCode(taxonomy, code),
        stateProvince: germanStates[deps.holidayState] ?? deps.holidayState,
      };
      const db = deps.db;
      async function* offersInChunks(): AsyncGenerator<Offer[]> {
        for (let start = 0; start < ids.length; start += 500) {
          yield (await findOffers(db, ids.slice(start, start + 500))).map((offer) => forReader(context, offer));
        }
      }
      async function* chunks(): AsyncGenerator<string> {
        if (parsed.format === 'csv') {
          yield `\uFEFF${csvHeaderLine}`;
          for await (const offers of offersInChunks()) yield offers.flatMap(offerToFlatRecords).map(csvLine).join('');
          return;
        }
        if (parsed.format === 'geojson') {
          yield '{"type":"FeatureCollection","features":[';
          let first = true;
          for await (const offers of offersInChunks()) {
            const features = offers.flatMap(offerToFlatRecords).map((record) => JSON.stringify(geoJsonFeature(record)));
            if (features.length === 0) continue;
            yield `${first ? '' : ','}${features.join(',')}`;
            first = false;
          }
          yield ']}';
          return;
        }
        // HSDS: the page shape of GET /services with every service in one page
        const head = {
          hsds_version: deps.hsds.version,
          total_items: ids.length,
          total_pages: 1,
          page_number: 1,
          size: ids.length,
          first_page: true,
          last_page: true,
          empty: ids.length === 0,
        };
        yield `${JSON.stringify(head).slice(0, -1)},"contents":[`;
        let first = true;
        for await (const offers of offersInChunks()) {
          if (offers.length === 0) continue;
          yield `${first ? '' : ','}${offers.map((offer) => JSON.stringify(deps.hsds.toService(offer, hsdsContext))).join(',')}`;
          first = false;
        }
        yield ']}';
      }
      return { format: parsed.format, chunks: chunks() };
    },
  };
}

/** What the import_runs row keeps: the counts and the first problems, not the whole file. */
function summary(report: ImportReport): Record<string, unknown> {
  return { ...report, errors: report.errors.slice(0, 100), warnings: report.warnings.slice(0, 100) };
}
