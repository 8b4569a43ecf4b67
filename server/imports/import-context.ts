import type { Knex } from 'knex';
import type { TermIndex } from '../taxonomies/taxonomies.service.ts';
import type { BoundingBox } from './area-import.repo.ts';
import type { ImportIssues } from './import-issues.ts';
import type { ImportProgress, WriteCounts } from './imports.schema.ts';

/** What every importer gets: the transaction, where the rows come from, and where issues go. */
export interface ImportContext {
  executor: Knex.Transaction;
  datasetId: string;
  /** The city the rows belong to (`city_id`): the manifest's city, else the city the process serves. */
  cityId: string;
  /** The file as shown in messages (path inside the data directory). */
  fileName: string;
  /** Written to the `source` column of every imported row. */
  source: string;
  /** EPSG code of the file's coordinates. */
  srid: number;
  /**
   * The city's bounding box widened by a margin (EPSG:4326): geometry outside it is refused as
   * being in the wrong CRS. Undefined when the import names no city.
   */
  plausibleBounds: BoundingBox | undefined;
  cityName: string | undefined;
  issues: ImportIssues;
  /** Taxonomy terms, read through the taxonomies service before the transaction opened. */
  terms: TermIndex;
  progress(phase: ImportProgress['phase'], done: number, total: number): void;
}

export interface ImporterResult {
  rowsRead: number;
  rowsAccepted: number;
  rowsSkipped: number;
  tables: Record<string, WriteCounts>;
}

/** The plausibility check for geometry in EPSG:4326, or undefined when the import names no city. */
export function plausibleFor(context: ImportContext): { bounds: BoundingBox; cityName: string } | undefined {
  return context.plausibleBounds ? { bounds: context.plausibleBounds, cityName: context.cityName ?? 'the city' } : undefined;
}
