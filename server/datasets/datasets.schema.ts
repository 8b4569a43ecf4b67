import { z } from 'zod';

export const datasetKinds = ['areas', 'statistics', 'street_segments', 'offers', 'basemap'] as const;

/** A dataset manifest in geodata/datasets/*.json: what we know about a third-party file. */
export const datasetManifestSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,79}$/),
  city: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/).nullable(),
  kind: z.enum(datasetKinds),
  title: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  /** Path inside the data directory (GEODATA_DIR). */
  file: z.string().min(1).max(500),
  sourceUrl: z.url(),
  downloadUrl: z.url().optional(),
  publisher: z.string().min(1).max(300),
  licence: z.string().min(1).max(100),
  licenceUrl: z.url().optional(),
  attribution: z.string().min(1).max(500),
  dataDate: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/).optional(),
  crs: z.string().regex(/^EPSG:\d{4,5}$|^custom$/).optional(),
  /** Loaded by `npm start` on an empty database for this city, in this order. */
  loadByDefault: z.boolean().default(false),
  order: z.number().int().default(100),
  mapping: z.record(z.string(), z.unknown()).default({}),
});

export type DatasetManifest = z.infer<typeof datasetManifestSchema>;

export const cityManifestSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
  name: z.string().min(1).max(100),
  /** [west, south, east, north] in EPSG:4326 */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  center: z.tuple([z.number(), z.number()]),
  holidayState: z.string().regex(/^[A-Z]{2}$/),
  sourceInfo: z.string().max(1000).optional(),
});

export type CityManifest = z.infer<typeof cityManifestSchema>;

export interface DatasetStatus extends DatasetManifest {
  present: boolean;
  path: string;
}

export interface Attribution {
  id: string;
  title: string;
  attribution: string;
  licence: string;
  url: string;
}
