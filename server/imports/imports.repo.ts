import type { Knex } from 'knex';
import { cityScope } from '../db/city-scope.ts';
import type { ImportKind } from '../datasets/datasets.schema.ts';
import type { ImportReport, WriteCounts } from './imports.schema.ts';

export type Executor = Knex | Knex.Transaction;

export async function isKnownSrid(executor: Executor, srid: number): Promise<boolean> {
  const result = await executor.raw<{ rows: { found: boolean }[] }>(
    'select exists (select 1 from spatial_ref_sys where srid = ?) as found',
    [srid],
  );
  return result.rows[0]?.found === true;
}

export async function listIndicatorCodes(executor: Executor, cityId: string): Promise<Set<string>> {
  const rows = (await cityScope(executor('indicators').select('code'), cityId)) as { code: string }[];
  return new Set(rows.map((row) => row.code));
}

export async function findArea(executor: Executor, cityId: string, level: string, code: string): Promise<{ id: string } | undefined> {
  return (await executor('areas').select('id').where({ city_id: cityId, level, code }).whereNull('valid_to').first()) as { id: string } | undefined;
}

export async function countAreasOfLevel(executor: Executor, cityId: string, level: string): Promise<number> {
  const row = (await executor('areas').where({ city_id: cityId, level }).whereNull('valid_to').count<{ count: number }[]>({ count: '*' }).first()) ?? { count: 0 };
  return Number(row.count);
}

export async function countAllAreas(executor: Executor, cityId: string): Promise<number> {
  const row = (await executor('areas').where({ city_id: cityId }).count<{ count: number }[]>({ count: '*' }).first()) ?? { count: 0 };
  return Number(row.count);
}

/**
 * Offer and street rows are matched on re-import by (source, external_id) across the database:
 * a source (a dataset id) that already holds rows of another city must not be taken over.
 */
export async function findSourceOfOtherCity(executor: Executor, table: 'offers' | 'street_segments', cityId: string, source: string): Promise<string | undefined> {
  const row = (await executor(table).select('city_id').where('source', source).whereNot('city_id', cityId).first()) as { city_id: string } | undefined;
  return row?.city_id;
}

/** Creates the owning department named by a manifest; an existing one keeps its name and contacts. */
export async function ensureDepartment(executor: Executor, cityId: string, department: { code: string; name: string }): Promise<{ id: string; created: boolean }> {
  const inserted = (await executor('departments')
    .insert({ city_id: cityId, code: department.code, name: department.name })
    .onConflict(['city_id', 'code'])
    .ignore()
    .returning('id')) as { id: string }[];
  if (inserted[0]) return { id: inserted[0].id, created: true };
  const existing = (await executor('departments').select('id').where({ city_id: cityId, code: department.code }).first()) as { id: string } | undefined;
  if (!existing) throw new Error(`department ${department.code} vanished while importing`);
  return { id: existing.id, created: false };
}

/**
 * The single row of an aggregate query. The embedded database answers a GEOS failure inside
 * PostGIS with an empty result instead of an error; without this check the import would go on
 * with nothing written.
 */
export function expectRow<Row>(rows: readonly Row[], what: string): Row {
  const row = rows[0];
  if (row === undefined) {
    throw new Error(`the database returned no result while writing ${what} (on the embedded database this means PostGIS/GEOS failed without reporting it)`);
  }
  return row;
}

/** Sums a CTE of upserted rows that return `(xmax = 0) as inserted` into write counts. */
export function toWriteCounts(row: { inserted: number; updated: number }, staged: number): WriteCounts {
  const inserted = Number(row.inserted);
  const updated = Number(row.updated);
  return { inserted, updated, unchanged: Math.max(0, staged - inserted - updated) };
}

/** Runs a statement that reads its rows from `jsonb_to_recordset(?::jsonb)`, one statement per batch. */
export async function insertJsonBatches<Row>(
  executor: Executor,
  statement: string,
  rows: readonly Row[],
  options: { batchSize: number; bindings: (batchJson: string) => readonly Knex.Value[]; onBatch?: (done: number) => void },
): Promise<void> {
  for (let start = 0; start < rows.length; start += options.batchSize) {
    const batch = rows.slice(start, start + options.batchSize);
    await executor.raw(statement, [...options.bindings(JSON.stringify(batch))]);
    options.onBatch?.(Math.min(rows.length, start + batch.length));
  }
}

export async function recordImportRun(
  executor: Executor,
  run: { report: ImportReport; kind: ImportKind; startedAt: Date; actor: string | null; cityId: string },
): Promise<string> {
  const { report } = run;
  const [row] = (await executor('import_runs')
    .insert({
      city_id: run.cityId,
      dataset: report.dataset.slice(0, 120),
      kind: run.kind,
      file_name: report.file.slice(0, 500),
      status: report.status,
      rows_read: report.rowsRead,
      rows_written: report.status === 'succeeded' ? report.rowsAccepted : 0,
      report: JSON.stringify(report),
      started_at: run.startedAt,
      actor_label: run.actor,
    })
    .returning('id')) as { id: string }[];
  return row!.id;
}

/** A run of the offer file import (POST /api/offers/files), in the same log as city-data imports. */
export async function recordOfferFileRun(
  executor: Executor,
  run: {
    id?: string | undefined;
    fileName: string | null;
    status: string;
    rowsRead: number;
    rowsWritten: number;
    report: unknown;
    startedAt: Date;
    actorLabel: string;
    /** A dry run's confirmation: the SHA-256 of the issued token, the file's checksum and who may spend it. */
    confirmation?: { tokenHash: string; fileChecksum: string; actorId: string } | undefined;
  },
): Promise<string> {
  const [row] = (await executor('import_runs')
    .insert({
      ...(run.id ? { id: run.id } : {}),
      dataset: 'offers',
      kind: 'offers',
      file_name: run.fileName,
      status: run.status,
      rows_read: run.rowsRead,
      rows_written: run.rowsWritten,
      report: JSON.stringify(run.report),
      started_at: run.startedAt,
      actor_label: run.actorLabel.slice(0, 254),
      confirm_token_hash: run.confirmation?.tokenHash ?? null,
      file_checksum: run.confirmation?.fileChecksum ?? null,
      actor_id: run.confirmation?.actorId ?? null,
    })
    .returning('id')) as { id: string }[];
  return row!.id;
}

export interface DryRunConfirmation {
  id: string;
  fileChecksum: string;
  actorId: string | null;
  format: string | null;
}

/** The unspent dry run a confirmation token was issued for, if it is younger than `maxAgeHours`. */
export async function findDryRunConfirmation(executor: Executor, tokenHash: string, maxAgeHours: number): Promise<DryRunConfirmation | undefined> {
  const row = (await executor('import_runs')
    .where({ confirm_token_hash: tokenHash, status: 'dry_run', kind: 'offers' })
    .where('finished_at', '>', executor.raw("now() - make_interval(hours => ?)", [maxAgeHours]))
    .first('id', 'file_checksum', 'actor_id', executor.raw("report->>'format' as format"))) as
    | { id: string; file_checksum: string; actor_id: string | null; format: string | null }
    | undefined;
  return row ? { id: row.id, fileChecksum: row.file_checksum, actorId: row.actor_id, format: row.format } : undefined;
}

/** Spends a confirmation token: true for exactly one caller (a second confirm of the same dry run finds nothing). */
export async function spendDryRunConfirmation(executor: Executor, id: string, tokenHash: string): Promise<boolean> {
  const updated = await executor('import_runs').where({ id, confirm_token_hash: tokenHash }).update({ confirm_token_hash: null });
  return Number(updated) === 1;
}
