import type { Attribution, CityManifest, RecordSource } from '../datasets/datasets.schema.ts';

/** Why the city data is not there; the client words it in the user's language. */
export type DataStatusReason = 'data_dir_missing' | 'no_default_datasets' | 'import_failed';

export interface DataStatus {
  loaded: boolean;
  reason: DataStatusReason | null;
  /** The operator-facing sentence, in English, as logged at start-up. */
  message: string | null;
  /** Official pages where the missing files can be downloaded. */
  downloadPages: { title: string; url: string }[];
}

export const dataLoaded: DataStatus = { loaded: true, reason: null, message: null, downloadPages: [] };

/** GET /api/config */
export interface AppConfig {
  version: string;
  city: {
    id: string;
    name: string;
    bbox: [number, number, number, number];
    center: [number, number];
    /** The city's contact line (phone, hours, a sentence), the last resort of a search; null if none is configured. */
    contact: NonNullable<CityManifest['contact']> | null;
  };
  basemapStyleUrl: string | null;
  attributions: Attribution[];
  /** Where imported offer records come from, by their `source`: publisher, data date, completeness. */
  recordSources: RecordSource[];
  dataStatus: DataStatus;
}
