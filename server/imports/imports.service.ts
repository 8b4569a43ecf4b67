import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { registerCity, seedCityIndicators } from '../cities/cities.service.ts';
import {
  mappingFileSchema,
  type CityManifest,
  type ImportableManifest,
  type ImportKind,
} from '../datasets/datasets.schema.ts';
import type { DatasetsService } from '../datasets/datasets.service.ts';
import type { ImportRunLog } from '../offers/offers-files.service.ts';
import type { TaxonomiesService, TermIndex } from '../taxonomies/taxonomies.service.ts';
import { zodIssuesToFieldErrors } from '../http/parse.ts';
import type { BoundingBox } from './area-import.repo.ts';
import { checkAreasMapping, importAreas } from './areas.importer.ts';
import { importAreaSets } from './area-sets.importer.ts';
import { readAreaSetFile, type AreaSetDefinition } from './area-sets.schema.ts';
import type { ImportContext, ImporterResult } from './import-context.ts';
import { DryRunRollback, ImportIssues, ImportRejectedError } from './import-issues.ts';
import { findDryRunConfirmation, isKnownSrid, recordImportRun, recordOfferFileRun, spendDryRunConfirmation } from './imports.repo.ts';
import {
  describeIssue,
  type ImportProgress,
  type ImportReport,
  type ProgressListener,
} from './imports.schema.ts';
import { importOffers } from './offers.importer.ts';
import {
  parseCsvTable,
  parseFeatureCollection,
  readSourceText,
  SourceFileError,
  SourceFileErrors,
  type SourceFeatureCollection,
  type SourceTable,
} from './source-file.ts';
import { isShapefilePath, readShapefile } from './shapefile-source.ts';
import { importStatistics } from './statistics.importer.ts';
import { importStreetSegments } from './street-segments.importer.ts';

/** Degrees around the city's bounding box within which geometry is plausible (≈ 20–28 km). */
const plausibilityMarginDegrees = 0.25;

/** The command line or the start-up asked for something that cannot be imported at all. */
export class ImportSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportSetupError';
  }
}

/** Everything needed to run one import: what the manifest (or a mapping file) says about a file. */
export interface ResolvedImport {
  datasetId: string;
  kind: ImportKind;
  manifest: ImportableManifest;
  filePath: string;
  /** As shown in reports: the path inside the data directory, or as given on the command line. */
  fileName: string;
  source: string;
  city: CityManifest | undefined;
  /** The city the rows are written to: the manifest's city, else the city this process serves. */
  cityId: string;
}

export interface ImportOptions {
  dryRun?: boolean;
  /** Who started the import (a user name, "cli", "startup"); stored with the run. */
  actor?: string;
  onProgress?: ProgressListener;
}

export interface ImportsService {
  /** A dataset id, or a file path with an optional mapping file (`import <dataset-or-file> --mapping m.json`). */
  resolve(target: string, options?: { mappingFile?: string; cwd?: string }): ResolvedImport;
  /** Imports one dataset in its own transaction; a failed import writes nothing. */
  run(resolved: ResolvedImport, options?: ImportOptions): Promise<ImportReport>;
  /** Imports several datasets in one transaction: all of them or none. */
  runAll(resolved: readonly ResolvedImport[], options?: ImportOptions): Promise<{ ok: boolean; reports: ImportReport[] }>;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'file'
  );
}

function readMappingFile(mappingPath: string): ReturnType<typeof mappingFileSchema.parse> {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(mappingPath, 'utf8'));
  } catch (error) {
    throw new ImportSetupError(`The mapping file ${mappingPath} cannot be read as JSON: ${(error as Error).message}`);
  }
  const parsed = mappingFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = zodIssuesToFieldErrors(parsed.error.issues, 'file').map((issue) => `${issue.field}: ${issue.message}`);
    throw new ImportSetupError(`The mapping file ${mappingPath} is not valid: ${problems.join('; ')}`);
  }
  return parsed.data;
}

function plausibleBounds(city: CityManifest | undefined): BoundingBox | undefined {
  if (!city) return undefined;
  const [west, south, east, north] = city.bbox;
  const margin = plausibilityMarginDegrees;
  return [west - margin, south - margin, east + margin, north + margin];
}

/** The database's own message: knex prefixes it with the SQL text, which is no use in a report. */
function databaseMessage(error: unknown): string {
  const message = (error as Error).message ?? String(error);
  const separator = message.indexOf(' - ');
  const own = separator >= 0 && message.slice(0, separator).includes('\n') ? message.slice(separator + 3) : message;
  const hint = (error as { hint?: string }).hint;
  return `${own.split('\n')[0]}${hint ? ` (${hint})` : ''}`;
}

function emptyReport(resolved: ResolvedImport): ImportReport {
  return {
    dataset: resolved.datasetId,
    kind: resolved.kind,
    file: resolved.fileName,
    status: 'failed',
    rowsRead: 0,
    rowsAccepted: 0,
    rowsSkipped: 0,
    tables: {},
    errors: [],
    errorCount: 0,
    warnings: [],
    warningCount: 0,
    durationMs: 0,
  };
}

type ParsedSource = { collection: SourceFeatureCollection } | { table: SourceTable } | { sets: AreaSetDefinition[] };

/**
 * Works out what to import without touching the database: a dataset id, or a file path with a
 * mapping file (a file that a manifest describes may also be given by path).
 */
export function resolveImport(
  datasets: DatasetsService,
  target: string,
  options: { mappingFile?: string; cwd?: string } = {},
): ResolvedImport {
  const mappingFile = options.mappingFile ? readMappingFile(path.resolve(options.cwd ?? process.cwd(), options.mappingFile)) : undefined;
  let dataset = datasets.get(target);
  let filePath: string;
  if (dataset) {
    filePath = dataset.path;
  } else {
    const candidates = [path.resolve(options.cwd ?? process.cwd(), target), path.resolve(datasets.geodataDir, target)];
    // A folder is read as an unzipped Shapefile.
    const found = candidates.find((candidate) => fs.existsSync(candidate) && (fs.statSync(candidate).isFile() || fs.statSync(candidate).isDirectory()));
    if (!found) {
      throw new ImportSetupError(
        `"${target}" is neither a dataset id nor a file. Run "npm run cli -- datasets" for the dataset ids, or give the path of a GeoJSON, CSV or Shapefile (.zip, .shp or a folder) with --mapping.`,
      );
    }
    filePath = found;
    dataset = datasets.list().find((candidate) => candidate.path === found);
  }
  if (dataset && dataset.kind === 'basemap') {
    throw new ImportSetupError(`${dataset.id} is a set of map assets; it is served as files and not imported.`);
  }
  if (dataset && dataset.kind === 'osm') {
    throw new ImportSetupError(`${dataset.id} is an OpenStreetMap extract: import it with "npm run cli -- import-osm --dataset ${dataset.id}".`);
  }
  let manifest: ImportableManifest;
  if (dataset) {
    const { present: _present, path: _path, ...rest } = dataset;
    manifest = rest as ImportableManifest;
    if (mappingFile) {
      if (mappingFile.kind !== manifest.kind) {
        throw new ImportSetupError(`The mapping file is for ${mappingFile.kind}, but ${manifest.id} holds ${manifest.kind}.`);
      }
      if ('mapping' in mappingFile) manifest = { ...manifest, mapping: mappingFile.mapping, crs: mappingFile.crs ?? manifest.crs } as ImportableManifest;
    }
  } else {
    if (!mappingFile) {
      throw new ImportSetupError(
        `${target} is not described by a dataset manifest: give a mapping file with --mapping (see docs/data-import.md).`,
      );
    }
    const base = slug(path.basename(filePath).replace(/\.[^.]+$/, ''));
    manifest = {
      id: `file-${base}`.slice(0, 80),
      city: mappingFile.city ?? null,
      title: path.basename(filePath),
      file: filePath,
      sourceUrl: 'https://example.invalid/',
      publisher: 'local file',
      licence: 'unknown',
      attribution: path.basename(filePath),
      loadByDefault: false,
      order: 100,
      ...('crs' in mappingFile && mappingFile.crs ? { crs: mappingFile.crs } : {}),
      kind: mappingFile.kind,
      ...('mapping' in mappingFile ? { mapping: mappingFile.mapping } : {}),
    } as ImportableManifest;
  }
  const city = manifest.city ? datasets.findCity(manifest.city) : undefined;
  if (manifest.city && !city) throw new ImportSetupError(`The city "${manifest.city}" is neither a bundled city (geodata/cities) nor a known city folder.`);
  return {
    datasetId: manifest.id,
    kind: manifest.kind,
    manifest,
    filePath,
    fileName: dataset ? dataset.file : target,
    source: (manifest.source ?? manifest.id).slice(0, 80),
    city,
    cityId: city?.id ?? datasets.city().id,
  };
}


/** The import log for offer files (the offers feature records its runs through it). */
export function createImportRunLog(): ImportRunLog {
  return {
    recordOfferFileRun: (executor, run) => recordOfferFileRun(executor, run),
    findDryRunConfirmation: (executor, tokenHash, maxAgeHours) => findDryRunConfirmation(executor, tokenHash, maxAgeHours),
    spendDryRunConfirmation: (executor, id, tokenHash) => spendDryRunConfirmation(executor, id, tokenHash),
  };
}

// eslint-disable-next-line max-lines-per-function -- a service factory: a closure over its injected dependencies; each method is counted on its own
export function createImportsService(deps: { db: Knex; datasets: DatasetsService; taxonomies: TaxonomiesService; logger: Logger }): ImportsService {
  const { db, datasets, logger } = deps;

  async function readSource(resolved: ResolvedImport): Promise<ParsedSource> {
    const isDirectory = fs.existsSync(resolved.filePath) && fs.statSync(resolved.filePath).isDirectory();
    if (isShapefilePath(resolved.filePath, isDirectory)) {
      if (resolved.kind === 'statistics') {
        throw new SourceFileError({ code: 'wrong_format', message: `${resolved.fileName}: statistics are read from CSV files (.csv), not from Shapefiles.` });
      }
      return { collection: await readShapefile(resolved.filePath, resolved.fileName) };
    }
    const text = await readSourceText(resolved.filePath, resolved.fileName);
    const isCsv = /\.(csv|txt)$/i.test(resolved.filePath);
    switch (resolved.kind) {
      case 'area_sets':
        return { sets: readAreaSetFile(text, resolved.fileName, isCsv) };
      case 'statistics':
        if (!isCsv) throw new SourceFileError({ code: 'wrong_format', message: `${resolved.fileName}: statistics are read from CSV files (.csv).` });
        return { table: parseCsvTable(text, resolved.fileName, resolved.manifest.kind === 'statistics' ? resolved.manifest.mapping.delimiter : ',') };
      case 'offers':
        return isCsv ? { table: parseCsvTable(text, resolved.fileName) } : { collection: parseFeatureCollection(text, resolved.fileName) };
      default:
        if (isCsv) throw new SourceFileError({ code: 'wrong_format', message: `${resolved.fileName}: ${resolved.kind} are read from GeoJSON files.` });
        return { collection: parseFeatureCollection(text, resolved.fileName) };
    }
  }

  /**
   * The file's own CRS (a GeoJSON `crs` member, a Shapefile's `.prj`) wins only if it agrees with
   * the manifest; GeoJSON without one is EPSG:4326 (RFC 7946).
   */
  function resolveSrid(resolved: ResolvedImport, parsed: ParsedSource): number {
    const manifestSrid = resolved.manifest.crs ? Number(resolved.manifest.crs.slice('EPSG:'.length)) : undefined;
    const declared = 'collection' in parsed ? parsed.collection.declaredSrid : undefined;
    if (declared !== undefined && manifestSrid !== undefined && declared !== manifestSrid) {
      throw new SourceFileError({
        field: 'crs',
        code: 'crs_mismatch',
        message: `${resolved.fileName} declares EPSG:${declared}, but the manifest says ${resolved.manifest.crs}; correct one of them.`,
      });
    }
    return declared ?? manifestSrid ?? 4326;
  }

  function mappingProblems(resolved: ResolvedImport): string[] {
    return resolved.manifest.kind === 'areas' ? checkAreasMapping(resolved.manifest.mapping) : [];
  }

  async function execute(
    trx: Knex.Transaction,
    resolved: ResolvedImport,
    parsed: ParsedSource,
    srid: number,
    issues: ImportIssues,
    onProgress: ProgressListener | undefined,
    terms: TermIndex,
  ): Promise<ImporterResult> {
    if (!(await isKnownSrid(trx, srid))) {
      issues.error({ field: 'crs', code: 'unknown_crs', message: `EPSG:${srid} is not in the database's spatial_ref_sys; PostGIS cannot reproject from it.` });
      throw new ImportRejectedError(issues);
    }
    await seedCityIndicators(trx, resolved.cityId, datasets.indicatorsFor(resolved.cityId));
    const context: ImportContext = {
      executor: trx,
      datasetId: resolved.datasetId,
      cityId: resolved.cityId,
      fileName: resolved.fileName,
      source: resolved.source,
      srid,
      plausibleBounds: plausibleBounds(resolved.city),
      cityName: resolved.city?.name,
      issues,
      terms,
      progress: (phase: ImportProgress['phase'], done: number, total: number) =>
        onProgress?.({ dataset: resolved.datasetId, phase, done, total }),
    };
    const { manifest } = resolved;
    switch (manifest.kind) {
      case 'areas':
        if (!('collection' in parsed)) throw new Error('areas need GeoJSON');
        return importAreas(context, manifest.mapping, parsed.collection);
      case 'statistics':
        if (!('table' in parsed)) throw new Error('statistics need CSV');
        return importStatistics(context, manifest.mapping, parsed.table);
      case 'street_segments':
        if (!('collection' in parsed)) throw new Error('street segments need GeoJSON');
        return importStreetSegments(context, manifest.mapping, parsed.collection);
      case 'offers':
        if ('sets' in parsed) throw new Error('offers need GeoJSON or CSV');
        return importOffers(context, manifest.mapping, parsed);
      case 'area_sets':
        if (!('sets' in parsed)) throw new Error('area sets need a member-code file');
        return importAreaSets(context, parsed.sets);
    }
  }

  /** Reads the file and checks the mapping; returns undefined (and fills issues) when that already fails. */
  async function prepare(resolved: ResolvedImport, issues: ImportIssues, onProgress: ProgressListener | undefined) {
    for (const problem of mappingProblems(resolved)) issues.error({ code: 'invalid_mapping', message: problem });
    if (issues.failed) return undefined;
    try {
      onProgress?.({ dataset: resolved.datasetId, phase: 'reading', done: 0, total: 1 });
      const parsed = await readSource(resolved);
      const srid = resolveSrid(resolved, parsed);
      onProgress?.({ dataset: resolved.datasetId, phase: 'reading', done: 1, total: 1 });
      return { parsed, srid };
    } catch (error) {
      if (error instanceof SourceFileError) issues.error(error.issue);
      else if (error instanceof SourceFileErrors) error.issues.forEach((issue) => issues.error(issue));
      else throw error;
      return undefined;
    }
  }

  function toReport(resolved: ResolvedImport, issues: ImportIssues, result: ImporterResult | undefined, status: ImportReport['status'], started: number): ImportReport {
    return {
      ...emptyReport(resolved),
      status,
      ...(result ?? {}),
      ...(status === 'failed' ? { rowsAccepted: 0 } : {}),
      rowsRead: result?.rowsRead ?? 0,
      errors: issues.errors,
      errorCount: issues.errorCount,
      warnings: issues.warnings,
      warningCount: issues.warningCount,
      durationMs: Date.now() - started,
    };
  }

  /** A database error that is about the data (a CHECK or NOT NULL) becomes an issue; anything else is thrown. */
  function absorbDatabaseError(error: unknown, issues: ImportIssues): boolean {
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && /^(22|23|XX)/.test(code)) {
      const detail = (error as { constraint?: string; column?: string }).constraint ?? (error as { column?: string }).column;
      issues.error({
        code: 'database_rejected',
        message: `the database refused the data${detail ? ` (rule ${detail})` : ''}: ${databaseMessage(error)}`,
      });
      return true;
    }
    return false;
  }

  function logResult(report: ImportReport): void {
    const summary = { dataset: report.dataset, status: report.status, rowsRead: report.rowsRead, rowsAccepted: report.rowsAccepted, tables: report.tables, errors: report.errorCount, warnings: report.warningCount, ms: report.durationMs };
    if (report.status === 'failed') {
      logger.warn({ ...summary, firstErrors: report.errors.slice(0, 5).map(describeIssue) }, 'import failed; nothing was written');
    } else {
      logger.info(summary, report.status === 'dry_run' ? 'dry run finished; nothing was written' : 'import finished');
    }
  }

  async function run(resolved: ResolvedImport, options: ImportOptions = {}): Promise<ImportReport> {
    const started = Date.now();
    const startedAt = new Date(started);
    const issues = new ImportIssues();
    let result: ImporterResult | undefined;
    let status = 'failed' as ImportReport['status'];
    await registerCity(db, resolved.city ?? datasets.city());
    const prepared = await prepare(resolved, issues, options.onProgress);
    if (prepared) {
      // Read before the transaction: the embedded database has one connection.
      const terms = await deps.taxonomies.termIndex();
      try {
        await db.transaction(async (trx) => {
          result = await execute(trx, resolved, prepared.parsed, prepared.srid, issues, options.onProgress, terms);
          if (options.dryRun) throw new DryRunRollback();
          status = 'succeeded';
          const report = toReport(resolved, issues, result, status, started);
          await recordImportRun(trx, { report, kind: resolved.kind, startedAt, actor: options.actor ?? null, cityId: resolved.cityId });
        });
      } catch (error) {
        if (error instanceof DryRunRollback) status = 'dry_run';
        else if (error instanceof ImportRejectedError) status = 'failed';
        else if (absorbDatabaseError(error, issues)) status = 'failed';
        else throw error;
      }
    }
    const report = toReport(resolved, issues, result, status, started);
    if (status !== 'succeeded') await recordImportRun(db, { report, kind: resolved.kind, startedAt, actor: options.actor ?? null, cityId: resolved.cityId });
    logResult(report);
    return report;
  }

  async function runAll(list: readonly ResolvedImport[], options: ImportOptions = {}): Promise<{ ok: boolean; reports: ImportReport[] }> {
    const reports: ImportReport[] = [];
    const startedAt = new Date();
    let failed: { resolved: ResolvedImport; report: ImportReport } | undefined;
    // Read before the transaction: the embedded database has one connection.
    const terms = await deps.taxonomies.termIndex();
    for (const resolved of list) await registerCity(db, resolved.city ?? datasets.city());
    try {
      await db.transaction(async (trx) => {
        for (const resolved of list) {
          const started = Date.now();
          const issues = new ImportIssues();
          const prepared = await prepare(resolved, issues, options.onProgress);
          let result: ImporterResult | undefined;
          if (prepared) {
            try {
              result = await execute(trx, resolved, prepared.parsed, prepared.srid, issues, options.onProgress, terms);
            } catch (error) {
              if (!(error instanceof ImportRejectedError) && !absorbDatabaseError(error, issues)) throw error;
            }
          }
          if (issues.failed) {
            failed = { resolved, report: toReport(resolved, issues, undefined, 'failed', started) };
            reports.push(failed.report);
            throw new ImportRejectedError(issues);
          }
          const report = toReport(resolved, issues, result, options.dryRun ? 'dry_run' : 'succeeded', started);
          reports.push(report);
          logResult(report);
          if (!options.dryRun) await recordImportRun(trx, { report, kind: resolved.kind, startedAt, actor: options.actor ?? null, cityId: resolved.cityId });
        }
        if (options.dryRun) throw new DryRunRollback();
      });
    } catch (error) {
      if (!(error instanceof ImportRejectedError) && !(error instanceof DryRunRollback)) throw error;
    }
    if (failed) {
      logResult(failed.report);
      await recordImportRun(db, { report: failed.report, kind: failed.resolved.kind, startedAt, actor: options.actor ?? null, cityId: failed.resolved.cityId });
      // The datasets before the failed one were rolled back with it.
      return { ok: false, reports: reports.map((report) => (report === failed!.report ? report : { ...report, status: 'failed' as const, rowsAccepted: 0 })) };
    }
    return { ok: true, reports };
  }

  return { resolve: (target, options) => resolveImport(datasets, target, options), run, runAll };
}
