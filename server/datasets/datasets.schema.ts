import { z } from 'zod';
import { areaLevels } from '../areas/areas.schema.ts';

export const datasetKinds = ['areas', 'statistics', 'street_segments', 'offers', 'basemap', 'osm', 'area_sets'] as const;
export type DatasetKind = (typeof datasetKinds)[number];

/** The kinds an importer exists for (basemap assets are served as files, not imported). */
export const importKinds = ['areas', 'statistics', 'street_segments', 'offers', 'area_sets'] as const;
export type ImportKind = (typeof importKinds)[number];

const fieldName = z.string().min(1).max(120);
const code = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,79}$/, 'must be a lower-case code such as "population_total"');
const areaCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'must be an area code such as "609"');
const areaLevel = z.enum(areaLevels);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

/** A source field, or a constant written to every row ({ "value": "Berlin" }). */
export const fieldReferenceSchema = z.union([fieldName, z.object({ value: z.string().min(1).max(300) }).strict()]);
export type FieldReference = z.infer<typeof fieldReferenceSchema>;

// ---------------------------------------------------------------------------------------------
// areas
// ---------------------------------------------------------------------------------------------

export const areaParentRuleSchema = z.discriminatedUnion('by', [
  /** The parent's code is the first `length` characters of the code (Stadtteil 609 → district 6). */
  z.object({ by: z.literal('codePrefix'), level: areaLevel, length: z.number().int().min(1).max(39) }).strict(),
  /** The parent's code is in a field of the feature. */
  z.object({ by: z.literal('field'), level: areaLevel, field: fieldName }).strict(),
  /** The parent is the area of `level` that contains the feature (by a point on its surface). */
  z.object({ by: z.literal('containment'), level: areaLevel }).strict(),
]);
export type AreaParentRule = z.infer<typeof areaParentRuleSchema>;

/**
 * Areas built from the imported features: the union of all of them (a city made of its
 * districts) or of each group of a field (Berlin's Bezirke from the planning areas' BEZ).
 */
export const derivedAreaSchema = z.union([
  z.object({ level: areaLevel, code: areaCode, name: z.string().min(1).max(200) }).strict(),
  z
    .object({
      level: areaLevel,
      groupBy: fieldName,
      /** Name per group value; every group must have one. */
      names: z.record(z.string(), z.string().min(1).max(200)),
    })
    .strict(),
]);
export type DerivedArea = z.infer<typeof derivedAreaSchema>;

export const areasMappingSchema = z
  .object({
    level: areaLevel,
    code: fieldName,
    name: fieldName,
    parent: areaParentRuleSchema.optional(),
    /** Processed in order: each derived level becomes the parent of the one before it. */
    derive: z.array(derivedAreaSchema).max(4).default([]),
    /**
     * The date these boundaries take effect. Current areas of the level that began earlier and
     * differ (or are missing from the file) are closed on this date and kept with their
     * statistics as an earlier version; without it the areas are updated in place.
     */
    validFrom: isoDate.optional(),
  })
  .strict();
export type AreasMapping = z.infer<typeof areasMappingSchema>;

// ---------------------------------------------------------------------------------------------
// statistics
// ---------------------------------------------------------------------------------------------

/** Maps a value of the area field to an area: first matching rule wins. */
export const areaCodeRuleSchema = z
  .object({
    /** Regular expression the whole value must match. */
    match: z.string().min(1).max(200),
    level: areaLevel,
    /** Replacement for the area code ($1 = first group); the value itself when omitted. */
    code: z.string().min(1).max(40).optional(),
  })
  .strict();
export type AreaCodeRule = z.infer<typeof areaCodeRuleSchema>;

const statisticsAreaSchema = z
  .object({
    field: fieldName,
    rules: z.array(areaCodeRuleSchema).min(1).max(20),
  })
  .strict();

const periodSchema = z.union([
  /** A year column; the period is 31 December of that year. */
  z.object({ field: fieldName, format: z.literal('year') }).strict(),
  z.object({ value: isoDate }).strict(),
]);

const derivedIndicatorSchema = z.object({ indicator: code, sum: z.array(code).min(2).max(20) }).strict();

const statisticsCommon = {
  delimiter: z.string().length(1).default(','),
  area: statisticsAreaSchema,
  period: periodSchema,
  /** Empty cells: "skip" for suppressed values (too few residents), "error" otherwise. */
  empty: z.enum(['skip', 'error']).default('error'),
  /** Indicators computed after the import as the sum of others, per area and period. */
  derived: z.array(derivedIndicatorSchema).max(20).default([]),
};

export const longStatisticsMappingSchema = z
  .object({
    format: z.literal('long'),
    ...statisticsCommon,
    /** Every value the field takes must be listed: an indicator code, or null to ignore the row. */
    indicator: z.object({ field: fieldName, values: z.record(z.string(), code.nullable()) }).strict(),
    value: fieldName,
  })
  .strict();

export const wideStatisticsMappingSchema = z
  .object({
    format: z.literal('wide'),
    ...statisticsCommon,
    /** Column → indicator code; other columns are ignored. */
    columns: z.record(fieldName, code),
  })
  .strict();

export const statisticsMappingSchema = z.discriminatedUnion('format', [
  longStatisticsMappingSchema,
  wideStatisticsMappingSchema,
]);
export type StatisticsMapping = z.infer<typeof statisticsMappingSchema>;

// ---------------------------------------------------------------------------------------------
// street segments
// ---------------------------------------------------------------------------------------------

export const streetSegmentsMappingSchema = z
  .object({
    externalId: fieldName,
    /**
     * "error": a repeated or missing id fails the import. "disambiguate": such segments get
     * the id plus a hash of their geometry (the publisher's file repeats some ids).
     */
    duplicateIds: z.enum(['error', 'disambiguate']).default('error'),
    streetName: fieldName,
    /** "keep": a segment without a name stays in the walking network (it cannot be geocoded). */
    unnamedSegments: z.enum(['error', 'keep']).default('error'),
    houseNumbers: z
      .object({ fromLeft: fieldName, toLeft: fieldName, fromRight: fieldName, toRight: fieldName })
      .strict()
      .optional(),
    /** Drops a trailing two-letter locality abbreviation ("Dachsweg Wi") from the street key. */
    stripLocalitySuffix: z.boolean().default(false),
    /** Each segment is assigned to the area of this level that contains its midpoint. */
    areaLevel: areaLevel.default('sozialraum'),
  })
  .strict();
export type StreetSegmentsMapping = z.infer<typeof streetSegmentsMappingSchema>;

// ---------------------------------------------------------------------------------------------
// offers
// ---------------------------------------------------------------------------------------------

export const offersMappingSchema = z
  .object({
    /** "@id" = the GeoJSON feature id; otherwise a property or CSV column. */
    externalId: fieldName,
    name: fieldName,
    /** Used when the name is empty (OSM points often have none); without it an empty name is an error. */
    nameFallback: z.string().min(1).max(300).optional(),
    description: fieldReferenceSchema.optional(),
    phone: fieldName.optional(),
    website: fieldName.optional(),
    email: fieldName.optional(),
    capacity: z.object({ field: fieldName, unit: z.string().min(1).max(40) }).strict().optional(),
    address: z
      .object({
        street: fieldName.optional(),
        houseNumber: fieldName.optional(),
        /** One field with street and number ("Hönower Straße 91"). */
        streetWithNumber: fieldName.optional(),
        postalCode: fieldName.optional(),
        city: fieldReferenceSchema.optional(),
      })
      .strict()
      .optional(),
    organization: z
      .object({
        name: fieldName,
        /** A stable provider key; without it the normalised name identifies the organisation. */
        externalId: fieldName.optional(),
        website: fieldName.optional(),
        /** Shared by all files whose providers are one register; defaults to the dataset id. */
        source: z.string().min(1).max(80).optional(),
      })
      .strict()
      .optional(),
    offerType: code,
    targetGroups: z.array(code).max(10).default([]),
    department: z
      .object({
        code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/),
        name: z.string().min(1).max(200),
      })
      .strict(),
    /** Only points inside this area are imported (the OSM extracts reach beyond the city). */
    onlyInside: z.object({ level: areaLevel, code: areaCode }).strict().optional(),
    /** CSV only: the coordinate columns (in the dataset's CRS). */
    coordinates: z.object({ x: fieldName, y: fieldName }).strict().optional(),
  })
  .strict();
export type OffersMapping = z.infer<typeof offersMappingSchema>;

// ---------------------------------------------------------------------------------------------
// manifests
// ---------------------------------------------------------------------------------------------

const manifestBase = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,79}$/),
  city: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/).nullable(),
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
  /** EPSG code of the coordinates; a GeoJSON file may name its own (it must then agree). */
  crs: z.string().regex(/^EPSG:\d{4,5}$/, 'must be an EPSG code such as "EPSG:25833"').optional(),
  /** Loaded by `npm start` on an empty database for this city, in this order. */
  loadByDefault: z.boolean().default(false),
  order: z.number().int().default(100),
  /** The value of the `source` column of imported rows; defaults to the id. */
  source: z.string().regex(/^[a-z0-9][a-z0-9-]{1,79}$/).optional(),
};

/** What an OSM manifest takes from its extract (the options of `import-osm`). */
const osmPartsSchema = z
  .object({
    addresses: z.boolean().default(false),
    network: z.boolean().default(false),
    /** A tag mapping file for offers, relative to the project folder (e.g. "geodata/osm-offers.json"). */
    offerMapping: z.string().min(1).max(500).optional(),
    areas: z.object({ adminLevel: z.number().int().min(2).max(11), level: areaLevel.exclude(['city']).default('district') }).strict().optional(),
  })
  .strict();

export const datasetManifestSchema = z.discriminatedUnion('kind', [
  z.object({ ...manifestBase, kind: z.literal('areas'), mapping: areasMappingSchema }).strict(),
  z.object({ ...manifestBase, kind: z.literal('statistics'), mapping: statisticsMappingSchema }).strict(),
  z.object({ ...manifestBase, kind: z.literal('street_segments'), mapping: streetSegmentsMappingSchema }).strict(),
  z
    .object({
      ...manifestBase,
      kind: z.literal('offers'),
      mapping: offersMappingSchema,
      /**
       * false: the file is known not to hold every offer of its type in the city (an old OSM
       * extract); citizens are told so next to results of that type.
       */
      inventoryComplete: z.boolean().default(true),
    })
    .strict(),
  z.object({ ...manifestBase, kind: z.literal('basemap') }).strict(),
  /** An OpenStreetMap extract (.osm.pbf, .osm, .osm.gz) read by the OSM importer (`import-osm`). */
  z.object({ ...manifestBase, kind: z.literal('osm'), osm: osmPartsSchema }).strict(),
  /**
   * Area sets (issue 13): a member-code file (JSON or CSV, docs/data-import.md) that names unions of
   * existing areas. A bundled manifest's file is inside the project's geodata/ folder (a set list
   * is the project's own transcription, not third-party data); a city folder's inside that folder.
   */
  z.object({ ...manifestBase, kind: z.literal('area_sets') }).strict(),
]);

export type DatasetManifest = z.infer<typeof datasetManifestSchema>;
export type ImportableManifest = Exclude<DatasetManifest, { kind: 'basemap' | 'osm' }>;
export type OsmManifest = Extract<DatasetManifest, { kind: 'osm' }>;

/**
 * A mapping file for `import <file> --mapping <mapping.json>`: the manifest without the
 * catalogue fields. With a dataset id, only `mapping` (and `crs`) replace the manifest's.
 */
export const mappingFileSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('areas'), crs: manifestBase.crs, city: manifestBase.city.optional(), mapping: areasMappingSchema }).strict(),
  z
    .object({ kind: z.literal('statistics'), crs: manifestBase.crs, city: manifestBase.city.optional(), mapping: statisticsMappingSchema })
    .strict(),
  z
    .object({
      kind: z.literal('street_segments'),
      crs: manifestBase.crs,
      city: manifestBase.city.optional(),
      mapping: streetSegmentsMappingSchema,
    })
    .strict(),
  z.object({ kind: z.literal('offers'), crs: manifestBase.crs, city: manifestBase.city.optional(), mapping: offersMappingSchema }).strict(),
  /** A member-code file needs no mapping: the file names its sets, levels and codes. */
  z.object({ kind: z.literal('area_sets'), city: manifestBase.city.optional() }).strict(),
]);
export type MappingFile = z.infer<typeof mappingFileSchema>;

export const cityManifestSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
  name: z.string().min(1).max(100),
  /** [west, south, east, north] in EPSG:4326 */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  center: z.tuple([z.number(), z.number()]),
  holidayState: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter German state code such as NW or SH'),
  /** Where this city's portal runs, for the city choice of portals that share a database. */
  portalUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  sourceInfo: z.string().max(1000).optional(),
  /** The city's contact line: the last resort of a search that finds nothing near enough. */
  contact: z
    .object({
      name: z.object({ de: z.string().min(1).max(200), en: z.string().min(1).max(200) }).strict(),
      phone: z.string().regex(/^\+?[0-9 ()/-]{3,40}$/, 'must be a phone number such as "0221 221-0"'),
      email: z.email().optional(),
      hours: z.object({ de: z.string().min(1).max(200), en: z.string().min(1).max(200) }).strict(),
      text: z.object({ de: z.string().min(1).max(500), en: z.string().min(1).max(500) }).strict(),
    })
    .strict()
    .optional(),
  /** The administration's units that own offer records; created at start if missing. */
  departments: z
    .array(z.object({ code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/), name: z.string().min(1).max(200) }))
    .default([]),
});

export type CityManifest = z.infer<typeof cityManifestSchema>;

export type DatasetStatus = DatasetManifest & {
  present: boolean;
  /** Absolute path on the server; never sent to clients. */
  path: string;
};

/** What GET /api/datasets and `cli datasets` show for one dataset. */
export interface DatasetSummary {
  id: string;
  city: string | null;
  kind: DatasetKind;
  title: string;
  /** Path inside the data directory. */
  file: string;
  present: boolean;
  sourceUrl: string;
  downloadUrl: string | null;
  publisher: string;
  licence: string;
  licenceUrl: string | null;
  attribution: string;
  dataDate: string | null;
  crs: string | null;
  loadByDefault: boolean;
  order: number;
}

export interface Attribution {
  id: string;
  title: string;
  attribution: string;
  licence: string;
  url: string;
  /** Every dataset of the city under this attribution (seven OSM layers share one line). */
  datasets: Array<{ id: string; title: string; dataDate: string | null }>;
}

/** Where imported offer records come from (the `source` column), as citizens are shown it. */
export interface RecordSource {
  source: string;
  publisher: string;
  attribution: string;
  dataDate: string | null;
  /** Offer type codes of this source whose inventory is known to be incomplete. */
  incompleteOfferTypes: string[];
}

// ---------------------------------------------------------------------------------------------
// indicators (Kennzahlen) and demand rules a city declares
// ---------------------------------------------------------------------------------------------

export const indicatorUnits = ['persons', 'percent', 'index', 'count', 'per_1000'] as const;
export const indicatorKinds = ['count', 'share', 'index'] as const;

/** geodata/indicators.json: the bundled list every city starts with. */
export const bundledIndicatorFileSchema = z.object({
  $comment: z.string().optional(),
  indicators: z.array(
    z
      .object({
        code,
        label_de: z.string().min(1).max(200),
        label_en: z.string().min(1).max(200),
        description_de: z.string().max(4000).optional(),
        description_en: z.string().max(4000).optional(),
        unit: z.enum(indicatorUnits),
        aggregation: z.enum(['sum', 'mean', 'none']),
      })
      .strict(),
  ),
});

const germanAndEnglish = (max: number) =>
  z.object({ de: z.string().trim().min(1, 'must not be empty').max(max), en: z.string().trim().min(1, 'must not be empty').max(max) }).strict();

/** A city folder's indicators.json: its own indicators, e.g. the age bands its statistics office publishes. */
export const cityIndicatorFileSchema = z
  .object({
    $comment: z.string().optional(),
    indicators: z
      .array(
        z
          .object({
            code,
            label: germanAndEnglish(200),
            description: germanAndEnglish(4000).optional(),
            /** count: summed over areas (residents); share: averaged (a rate); index: never aggregated. */
            kind: z.enum(indicatorKinds, { error: `must be one of ${indicatorKinds.join(', ')}` }),
            /** persons for counts, percent for shares, index for indices when left out. */
            unit: z.enum(indicatorUnits, { error: `must be one of ${indicatorUnits.join(', ')}` }).optional(),
            source: z.string().min(1).max(300).optional(),
          })
          .strict(),
      )
      .min(1, 'must declare at least one indicator')
      .max(500),
  })
  .strict();

/** One indicator as the database stores it, whichever file declared it. */
export interface IndicatorDefinition {
  code: string;
  labelDe: string;
  labelEn: string;
  descriptionDe: string | null;
  descriptionEn: string | null;
  unit: (typeof indicatorUnits)[number];
  aggregation: 'sum' | 'mean' | 'none';
  source: string | null;
}

/** A file of a city folder or of the bundled examples that is missing, unreadable or invalid. */
export class CityFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'CityFileError';
  }
}
