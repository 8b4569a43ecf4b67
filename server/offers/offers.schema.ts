import { z } from 'zod';
import { phonePattern } from '../shared/contact.ts';

export const offerStatuses = ['active', 'inactive', 'temporarily_closed', 'defunct'] as const;
export type OfferStatus = (typeof offerStatuses)[number];
export const publications = ['draft', 'published'] as const;
export type Publication = (typeof publications)[number];
export const costKinds = ['free', 'reduced', 'paid'] as const;
export type CostKind = (typeof costKinds)[number];
export const areaLevels = ['city', 'district', 'sozialraum', 'quarter'] as const;
export type AreaLevel = (typeof areaLevels)[number];

export const maxWalkMeters = 10_000;
export const maxRadiusMeters = 100_000;
/** Records not verified for this many months are flagged `stale`. */
export const staleAfterMonths = 12;

/** A form sends "" for an empty field; it means "no value". */
const emptyToNull = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? null : value);

function optionalText(max: number) {
  return z.preprocess(emptyToNull, z.string().trim().max(max).nullable()).optional();
}

/**
 * One line of text (a name, a street): runs of spaces, tabs and line breaks become one space. The
 * same rule for the API, the offer files and the city-data imports (issue 10).
 */
const collapseWhitespace = (value: unknown) => (typeof value === 'string' ? value.replace(/\s+/g, ' ') : value);

function optionalLine(max: number) {
  return z.preprocess((value) => emptyToNull(collapseWhitespace(value)), z.string().trim().max(max).nullable()).optional();
}

const termCode = z.string().trim().min(1).max(80);
const termCodes = z.array(termCode).max(50);


export const pointSchema = z.strictObject({
  type: z.literal('Point'),
  coordinates: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]),
});

export const addressSchema = z.strictObject({
  street: optionalLine(200),
  houseNumber: optionalLine(20),
  postalCode: z.preprocess(emptyToNull, z.string().trim().regex(/^[0-9]{5}$/).nullable()).optional(),
  city: optionalLine(100),
});

export const locationInputSchema = z.strictObject({
  /** An existing location of this offer keeps its id; a location without id is new. */
  id: z.uuid().optional(),
  name: optionalLine(300),
  address: addressSchema.nullable().optional(),
  accessibilityNote: optionalText(2000),
  geometry: pointSchema,
  // read-only parts of a location as the API returns it; accepted so a client may send one back
  areas: z.unknown().optional(),
  sozialraum: z.unknown().optional(),
});
export type LocationInput = z.infer<typeof locationInputSchema>;

export const reachSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('walk'), meters: z.int().min(1).max(maxWalkMeters) }),
  z.strictObject({ kind: z.literal('radius'), meters: z.int().min(1).max(maxRadiusMeters) }),
  z.strictObject({ kind: z.literal('area'), areaIds: z.array(z.uuid()).min(1).max(200) }),
]);
export type Reach = z.infer<typeof reachSchema>;

/** The fields staff edit. No defaults here: a PATCH must not reset what it does not name. */
export const offerContentShape = {
  departmentCode: z.string().trim().min(1).max(40).optional(),
  organizationId: z.uuid().nullable().optional(),
  name: z.preprocess(collapseWhitespace, z.string().trim().min(1).max(300)),
  alternateName: optionalLine(300),
  description: optionalText(10_000),
  status: z.enum(offerStatuses).optional(),
  offerType: termCode,
  targetGroups: termCodes.optional(),
  fieldsOfAction: termCodes.optional(),
  accessibility: termCodes.optional(),
  minAge: z.int().min(0).max(130).nullable().optional(),
  maxAge: z.int().min(0).max(130).nullable().optional(),
  cost: z.strictObject({ kind: z.enum(costKinds), text: optionalText(1000) }).nullable().optional(),
  languages: z.array(z.string().trim().toLowerCase().regex(/^[a-z]{2,3}$/)).max(30).optional(),
  email: z.preprocess(emptyToNull, z.email().max(254).nullable()).optional(),
  phone: z.preprocess(emptyToNull, z.string().trim().max(40).regex(phonePattern).nullable()).optional(),
  website: z.preprocess(emptyToNull, z.url({ protocol: /^https?$/ }).max(2000).nullable()).optional(),
  openingHours: optionalText(1000),
  openingHoursNote: optionalText(1000),
  reach: reachSchema.nullable().optional(),
  capacity: z.strictObject({ value: z.number().min(0).max(999_999), unit: optionalText(40) }).nullable().optional(),
  locations: z.array(locationInputSchema).max(50).optional(),
  source: z.string().trim().min(1).max(80).optional(),
  externalId: z.string().trim().min(1).max(200).optional(),
};

type ContentInput = {
  minAge?: number | null | undefined;
  maxAge?: number | null | undefined;
  reach?: Reach | null | undefined;
  locations?: LocationInput[] | undefined;
  languages?: string[] | undefined;
  source?: string | undefined;
  externalId?: string | undefined;
};

/** A broken rule between fields: the field a person would correct, a message key and its values. */
export interface ConsistencyIssue {
  path: (string | number)[];
  params: { key: string } & Record<string, unknown>;
  input: unknown;
}

/**
 * Rules between fields; each names the field a person would correct. They run even when other
 * fields failed (so that one answer lists every problem), hence the guards on each value. The
 * same rules check a PATCH laid over a stored offer (offers.content.ts, `consistencyErrors`).
 */
export function offerConsistencyIssues(value: ContentInput): ConsistencyIssue[] {
  const issues: ConsistencyIssue[] = [];
  const add = (path: (string | number)[], params: ConsistencyIssue['params'], input: unknown) => issues.push({ path, params, input });
  const { minAge, maxAge, reach, source, externalId } = value;
  const locations = Array.isArray(value.locations) ? value.locations : [];
  const isAreaReach = typeof reach === 'object' && reach !== null && reach.kind === 'area';
  if (typeof minAge === 'number' && typeof maxAge === 'number' && minAge > maxAge) add(['maxAge'], { key: 'age_range', minAge }, maxAge);
  if (locations.length === 0 && !isAreaReach) add(['locations'], { key: 'location_required' }, value.locations);
  const ids = locations.map((location) => (typeof location === 'object' && location !== null ? location.id : undefined)).filter((id) => id !== undefined);
  if (new Set(ids).size !== ids.length) add(['locations'], { key: 'duplicate_location' }, ids);
  if (isAreaReach && Array.isArray(reach.areaIds) && new Set(reach.areaIds).size !== reach.areaIds.length) {
    add(['reach', 'areaIds'], { key: 'duplicate_area' }, reach.areaIds);
  }
  if (Array.isArray(value.languages) && new Set(value.languages).size !== value.languages.length) {
    add(['languages'], { key: 'duplicate_language' }, value.languages);
  }
  if ((source === undefined) !== (externalId === undefined)) add([source === undefined ? 'source' : 'externalId'], { key: 'source_pair' }, undefined);
  return issues;
}

function checkOfferConsistency(value: ContentInput, context: z.RefinementCtx): void {
  for (const issue of offerConsistencyIssues(value)) context.addIssue({ code: 'custom', ...issue });
}

const isObject = (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value);

/** POST /api/offers */
export const offerCreateSchema = z.strictObject(offerContentShape).superRefine(checkOfferConsistency, { when: isObject });
export type OfferCreateInput = z.input<typeof offerCreateSchema>;

/** PATCH /api/offers/:id — the named fields only; rules between fields are checked on the result. */
export const offerPatchSchema = z.strictObject(offerContentShape).partial();
export type OfferPatchInput = z.input<typeof offerPatchSchema>;
/** A PATCH as the route parsed it: the service lays it over the stored offer. */
export type OfferPatch = z.output<typeof offerPatchSchema>;
export type OfferCreate = z.output<typeof offerCreateSchema>;

function commaList<T extends string>(values: readonly [T, ...T[]]) {
  return z
    .string()
    .transform((value) => value.split(',').map((part) => part.trim()).filter((part) => part !== ''))
    .pipe(z.array(z.enum(values)).min(1));
}

export const offerSorts = ['name', '-name', 'updatedAt', '-updatedAt', 'createdAt', '-createdAt', 'verifiedAt', '-verifiedAt'] as const;
export type OfferSort = (typeof offerSorts)[number];

/** GET /api/offers */
export const listOffersQuerySchema = z.strictObject({
  department: z.string().trim().min(1).max(40).optional(),
  type: termCode.optional(),
  targetGroup: termCode.optional(),
  status: commaList(offerStatuses).optional(),
  publication: z.enum(publications).optional(),
  archived: z.enum(['exclude', 'only', 'include']).default('exclude'),
  stale: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
  q: z.string().trim().min(1).max(200).optional(),
  area: z.uuid().optional(),
  /** The offer at this location (HSDS service_at_location id). */
  location: z.uuid().optional(),
  sort: z.enum(offerSorts).default('name'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type ListOffersQuery = z.output<typeof listOffersQuerySchema>;

export const restoreVersionBodySchema = z.strictObject({ version: z.int().min(1) });

export const offerIdSchema = z.strictObject({ id: z.uuid() });

// ---- what the API returns ----

export interface AreaRef {
  id: string;
  code: string;
  name: string;
  level: AreaLevel;
}

export interface OfferLocation {
  id: string;
  name: string | null;
  address: { street: string | null; houseNumber: string | null; postalCode: string | null; city: string | null };
  accessibilityNote: string | null;
  geometry: { type: 'Point'; coordinates: [number, number] };
  /** Every area the point lies in (all levels), computed when the offer is saved. */
  areas: AreaRef[];
  sozialraum: AreaRef | null;
}

export type EffectiveReach =
  | { source: 'offer' | 'offer_type'; kind: 'walk' | 'radius'; meters: number }
  | { source: 'offer'; kind: 'area'; areaIds: string[] }
  | { source: 'offer_type'; kind: 'area'; level: AreaLevel }
  | null;

export interface UserRef {
  id: string;
  email: string | null;
}

export interface Offer {
  id: string;
  version: number;
  department: { id: string; code: string; name: string };
  organization: { id: string; name: string } | null;
  name: string;
  alternateName: string | null;
  description: string | null;
  status: OfferStatus;
  publication: Publication;
  archivedAt: string | null;
  offerType: string;
  targetGroups: string[];
  fieldsOfAction: string[];
  accessibility: string[];
  minAge: number | null;
  maxAge: number | null;
  cost: { kind: CostKind; text: string | null } | null;
  languages: string[];
  email: string | null;
  phone: string | null;
  website: string | null;
  openingHours: string | null;
  openingHoursNote: string | null;
  reach: Reach | null;
  reachAreas: AreaRef[];
  effectiveReach: EffectiveReach;
  capacity: { value: number; unit: string | null } | null;
  locations: OfferLocation[];
  verifiedAt: string | null;
  verifiedBy: UserRef | null;
  stale: boolean;
  source: string | null;
  externalId: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: UserRef | null;
  updatedBy: UserRef | null;
}

export interface OfferPage {
  items: Offer[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * What the history keeps of an offer at each version: what staff recorded, without derived
 * values (areas of a location, stale flag) and without the version counter itself.
 */
export type OfferSnapshot = Pick<
  Offer,
  | 'name'
  | 'alternateName'
  | 'description'
  | 'status'
  | 'publication'
  | 'archivedAt'
  | 'offerType'
  | 'targetGroups'
  | 'fieldsOfAction'
  | 'accessibility'
  | 'minAge'
  | 'maxAge'
  | 'cost'
  | 'languages'
  | 'email'
  | 'phone'
  | 'website'
  | 'openingHours'
  | 'openingHoursNote'
  | 'reach'
  | 'capacity'
  | 'verifiedAt'
  | 'source'
  | 'externalId'
> & {
  departmentCode: string;
  organizationId: string | null;
  locations: Pick<OfferLocation, 'id' | 'name' | 'address' | 'accessibilityNote' | 'geometry'>[];
  verifiedBy: string | null;
};

// ---- bulk import and export ----

export const fileFormats = ['csv', 'geojson', 'hsds'] as const;
export type FileFormat = (typeof fileFormats)[number];
export const maxImportRecords = 200_000;

/** POST /api/offers/import?format=…&dryRun=…; the body is the file itself. */
export const importQuerySchema = z.strictObject({
  format: z.enum(fileFormats),
  dryRun: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
  /** The token (`checksum`) a dry run reported; required to confirm (dryRun=false). */
  checksum: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** Department for records that name none (administrators; editors always import into their own). */
  department: z.string().trim().min(1).max(40).optional(),
  fileName: z.string().trim().min(1).max(500).optional(),
  /**
   * CSV: which column of the file holds which field, as JSON `{ "Straße": "street", … }` (the
   * mapping step). Columns not named here are read by their name or a known German header.
   */
  columns: z
    .string()
    .max(10_000)
    .transform((text, context) => {
      try {
        const parsed = importColumnMappingSchema.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
      } catch {
        // reported below
      }
      context.addIssue({ code: 'custom', message: 'must be a JSON object from column names to field names', params: { key: 'invalid_column_mapping' } });
      return z.NEVER;
    })
    .optional(),
  /** Publish the new offers at once (default: they become drafts). */
  publish: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
});
export type ImportQuery = z.output<typeof importQuerySchema>;

/**
 * The columns a staff member's CSV may have, in the order of the template, with the German headers
 * read as the same column (lower case, as the parser compares them). Shared with the client's
 * mapping step and template.
 */
export const importColumns = [
  { column: 'name', required: true, aliases: ['name', 'bezeichnung', 'angebot', 'titel'] },
  { column: 'offer_type', required: true, aliases: ['angebotsart', 'art', 'typ'] },
  { column: 'department_code', required: false, aliases: ['dienststelle', 'amt'] },
  { column: 'target_groups', required: false, aliases: ['zielgruppen', 'zielgruppe'] },
  { column: 'description', required: false, aliases: ['beschreibung'] },
  { column: 'street', required: true, aliases: ['straße', 'strasse', 'str.'] },
  { column: 'house_number', required: true, aliases: ['hausnummer', 'hausnr.', 'hausnr', 'nr.'] },
  { column: 'postal_code', required: false, aliases: ['plz', 'postleitzahl'] },
  { column: 'city', required: false, aliases: ['ort', 'stadt'] },
  { column: 'phone', required: false, aliases: ['telefon', 'tel.', 'tel'] },
  { column: 'email', required: false, aliases: ['e-mail', 'email', 'mail'] },
  { column: 'website', required: false, aliases: ['webseite', 'internet', 'homepage'] },
  { column: 'opening_hours', required: false, aliases: ['öffnungszeiten', 'oeffnungszeiten'] },
  { column: 'languages', required: false, aliases: ['sprachen'] },
  { column: 'min_age', required: false, aliases: ['mindestalter', 'alter von'] },
  { column: 'max_age', required: false, aliases: ['höchstalter', 'alter bis'] },
  { column: 'cost_kind', required: false, aliases: ['kosten'] },
  { column: 'capacity', required: false, aliases: ['kapazität', 'plätze'] },
  { column: 'capacity_unit', required: false, aliases: ['einheit der kapazität'] },
  { column: 'longitude', required: false, aliases: ['längengrad', 'laengengrad', 'lon', 'lng'] },
  { column: 'latitude', required: false, aliases: ['breitengrad', 'lat'] },
  { column: 'source', required: false, aliases: ['quelle'] },
  { column: 'external_id', required: false, aliases: ['kennung', 'externe kennung', 'nummer'] },
] as const;
export type ImportColumn = (typeof importColumns)[number]['column'];
export const importColumnNames: readonly string[] = importColumns.map((entry) => entry.column);

/** A file column → the field it holds; `""` leaves the column unread. */
export const importColumnMappingSchema = z.record(
  z.string().trim().min(1).max(200),
  z.union([z.enum(importColumnNames as [string, ...string[]]), z.literal('')]),
);
export type ImportColumnMapping = z.infer<typeof importColumnMappingSchema>;

/** The list separator of files and forms: lists are written with "; " and read with ";" or ",". */
export const listSeparator = '; ';
export const listSplitPattern = /\s*[;,|]\s*/;

/** GET /api/offers/export?format=…: the list filters, without paging. */
export const exportQuerySchema = listOffersQuerySchema.omit({ page: true, pageSize: true }).extend({ format: z.enum(fileFormats) });
export type ExportQuery = z.output<typeof exportQuerySchema>;

export interface ImportProblem {
  /** CSV line number (header = 1) or feature / service number (from 1); for a location, its own record's. */
  row: number;
  /**
   * As the file names it: CSV the column as its header spells it (`latitude`; two columns
   * comma-separated), GeoJSON the path in the file (`features[4].geometry.coordinates[1]`,
   * `features[4].properties.min_age`), HSDS the offer's field.
   */
  field: string;
  code: string;
  message: string;
}

export interface ImportReport {
  format: FileFormat;
  dryRun: boolean;
  /**
   * A dry run's confirmation token (64 hex digits, issued by the server, single use, valid for 24 h
   * and only for the same user and the same file); send it back with dryRun=false to confirm.
   * The name stays `checksum` for compatibility; it is no longer the file's SHA-256.
   */
  checksum: string;
  /** Offers found in the file (rows of one offer with several locations count once). */
  records: number;
  valid: boolean;
  created: number;
  updated: number;
  unchanged: number;
  errorCount: number;
  /** The first 1,000 problems. */
  errors: ImportProblem[];
  warnings: ImportProblem[];
  importRunId: string | null;
  /** Locations placed by the local address lookup (rows without coordinates). */
  geocoded: number;
  /** New offers that are published at once (publish=true); the others become drafts. */
  published: number;
}

// ---- bulk publish (staff list: several drafts at once, all or nothing) ----

export const maxBulkPublish = 100;

/** Each offer with the version (ETag) the list showed; a changed offer refuses the whole request. */
export const bulkPublishBodySchema = z.strictObject({
  offers: z
    .array(z.strictObject({ id: z.uuid(), version: z.int().min(1) }))
    .min(1)
    .max(maxBulkPublish),
});
export type BulkPublishBody = z.output<typeof bulkPublishBodySchema>;

/** Why one offer of a bulk request was refused; the request as a whole is then refused. */
export interface BulkPublishRefusal {
  id: string;
  code: 'offer_not_found' | 'other_department' | 'version_mismatch' | 'invalid_transition' | 'duplicate_offer';
  message: string;
}

export interface BulkPublishResult {
  items: Offer[];
}
