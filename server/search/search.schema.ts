import { z } from 'zod';
import type { AreaLevel } from '../areas/areas.schema.ts';

// Query parameters of GET /api/search. Lists come as "a,b" or as repeated parameters.

const maxPageDepth = 1000;
export const searchResultCap = maxPageDepth;

const codePattern = /^[a-z0-9][a-z0-9_.-]{0,79}$/;

/** A list parameter; a bad item is reported on the parameter itself ("query.type"), naming the item. */
function listOf(pattern: RegExp, itemRule: string, what: string) {
  return z.preprocess(
    (value) => {
      if (value === undefined || value === '') return undefined;
      const parts = (Array.isArray(value) ? value : [value]).flatMap((part) => String(part).split(','));
      return parts.map((part) => part.trim()).filter((part) => part.length > 0);
    },
    z
      .array(z.string(), { error: `must be a comma-separated list of ${what}` })
      .min(1, `must name at least one of the ${what}`)
      .max(20, `may name at most 20 ${what}`)
      .superRefine((items, context) => {
        for (const item of items) {
          if (!pattern.test(item)) {
            context.addIssue({ code: 'custom', message: `"${item.slice(0, 40)}" ${itemRule}` });
            return;
          }
        }
      })
      .optional(),
  );
}

const codeList = (article: 'a' | 'an', what: string) =>
  listOf(codePattern, `is not ${article} ${what} code (codes look like "seniors": lower-case letters, digits, _ . -)`, `${what} codes`);

const booleanFlag = z
  .enum(['true', 'false', '1', '0'], { error: 'must be "true" or "false"' })
  .transform((value) => value === 'true' || value === '1')
  .optional();

const number = (message: string) => z.coerce.number({ error: message }).refine(Number.isFinite, message);

export const searchQuerySchema = z
  .object({
    lat: number('must be a latitude in degrees between -90 and 90')
      .pipe(z.number().min(-90, 'must be a latitude in degrees between -90 and 90').max(90, 'must be a latitude in degrees between -90 and 90'))
      .optional(),
    lon: number('must be a longitude in degrees between -180 and 180')
      .pipe(z.number().min(-180, 'must be a longitude in degrees between -180 and 180').max(180, 'must be a longitude in degrees between -180 and 180'))
      .optional(),
    address: z
      .string()
      .trim()
      .min(2, 'needs at least 2 characters')
      .max(200, 'may be at most 200 characters long')
      .optional(),
    radius: z.coerce
      .number({ error: 'must be a distance in metres between 50 and 50000' })
      .int('must be a whole number of metres')
      .min(50, 'must be at least 50 metres')
      .max(50_000, 'may be at most 50000 metres (50 km)')
      .default(3000),
    type: codeList('an', 'offer type'),
    targetGroup: codeList('a', 'target group'),
    fieldOfAction: codeList('a', 'field of action'),
    accessible: z
      .preprocess((value) => (value === 'true' || value === '1' ? 'step_free_entrance' : value), codeList('an', 'accessibility feature')),
    language: listOf(/^[a-z]{2,3}$/, 'is not an ISO 639 language code such as "de" or "tr"', 'language codes'),
    openNow: booleanFlag,
    at: z
      .string()
      .trim()
      .regex(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/,
        'must be a date and time such as 2025-11-03T10:00 (Köln time) or 2025-11-03T09:00:00Z',
      )
      .optional(),
    free: booleanFlag,
    age: z.coerce
      .number({ error: 'must be an age in years between 0 and 130' })
      .int('must be a whole number of years')
      .min(0, 'must be an age in years between 0 and 130')
      .max(130, 'must be an age in years between 0 and 130')
      .optional(),
    q: z.string().trim().min(1, 'must not be empty').max(200, 'may be at most 200 characters long').optional(),
    page: z.coerce
      .number({ error: 'must be a page number from 1' })
      .int('must be a whole page number')
      .min(1, 'must be a page number from 1')
      .default(1),
    pageSize: z.coerce
      .number({ error: 'must be a whole number between 1 and 50' })
      .int('must be a whole number between 1 and 50')
      .min(1, 'must be a whole number between 1 and 50')
      .max(50, 'must be a whole number between 1 and 50')
      .default(20),
  })
  .superRefine((value, context) => {
    if ((value.lat === undefined) !== (value.lon === undefined)) {
      context.addIssue({
        code: 'custom',
        path: [value.lat === undefined ? 'lat' : 'lon'],
        message: 'lat and lon must be given together',
      });
    }
    if (value.lat !== undefined && value.address !== undefined) {
      context.addIssue({ code: 'custom', path: ['address'], message: 'give either an address or lat and lon, not both' });
    }
    if (value.openNow && value.at !== undefined) {
      context.addIssue({ code: 'custom', path: ['at'], message: 'give either openNow or at, not both' });
    }
    if (value.page * value.pageSize > maxPageDepth) {
      context.addIssue({
        code: 'custom',
        path: ['page'],
        message: `is too deep: only the first ${maxPageDepth} results can be paged through; narrow the search instead`,
      });
    }
  });

export type SearchQuery = z.output<typeof searchQuerySchema>;

export const offerIdParamsSchema = z.object({ id: z.uuid({ error: 'must be an offer id (UUID)' }) });

export type WalkingDistanceMethod = 'network' | 'detour_factor';
export type OpeningStatus = 'open' | 'closed' | 'unknown';

export interface LocalizedLabel {
  de: string;
  en: string;
}

export interface TermRef {
  code: string;
  label: LocalizedLabel;
}

export interface OpeningSummary {
  status: OpeningStatus;
  opensAt: string | null;
  closesAt: string | null;
  comment: string | null;
}

export interface SearchAddress {
  name: string | null;
  street: string | null;
  houseNumber: string | null;
  postalCode: string | null;
  city: string | null;
}

export interface SearchResult {
  /** The service_at_location id: one offer at one location. */
  id: string;
  offerId: string;
  locationId: string;
  name: string;
  summary: string | null;
  offerType: TermRef;
  organization: string | null;
  address: SearchAddress;
  lon: number;
  lat: number;
  /** Airline (great-circle) distance from the origin, metres; null without an origin. */
  distanceMeters: number | null;
  walkingDistanceMeters: number | null;
  walkingDistanceMethod: WalkingDistanceMethod | null;
  /** At 3 km/h, the pace planners assume for older people. */
  walkingMinutes: number | null;
  opening: OpeningSummary;
  costKind: 'free' | 'reduced' | 'paid' | null;
  languages: string[];
  /** Shared between results (frozen): read, do not change. */
  accessibility: readonly string[];
  targetGroups: readonly string[];
  minAge: number | null;
  maxAge: number | null;
}

export interface SearchOrigin {
  lon: number;
  lat: number;
  label: string | null;
  source: 'coordinates' | 'address';
  precision: string | null;
  /** The Stadtteil (Sozialraum) and Stadtbezirk the origin lies in, as understood; null outside the areas. */
  areaName: string | null;
  districtName: string | null;
}

export interface SearchResponse {
  origin: SearchOrigin | null;
  /** The moment opening states refer to (ISO 8601, city time). */
  at: string;
  radiusMeters: number | null;
  /** network: over the street segments; detour_factor: airline × walking.detourFactor; mixed: both occur. */
  walkingDistanceMethod: WalkingDistanceMethod | 'mixed' | null;
  walking: { detourFactor: number; speedKmh: number; networkAvailable: boolean };
  page: number;
  pageSize: number;
  /** Matches, counted up to `searchResultCap`; `totalIsCapped` says there may be more. */
  total: number;
  totalIsCapped: boolean;
  hasMore: boolean;
  /**
   * walking: by walking distance (network or detour estimate, as shown); distance: by airline
   * distance; relevance: by text rank; name: alphabetically (no origin, no text).
   */
  sortedBy: 'walking' | 'distance' | 'relevance' | 'name';
  /**
   * When fewer than `fewResultsThreshold` offers match within the radius: the nearest matching offers
   * beyond it (up to 3, nearest first), so that a search never ends empty-handed. Otherwise empty.
   */
  beyondRadius: SearchResult[];
  /**
   * When a target-group search finds fewer than `fewResultsThreshold` within the radius: offers open
   * to everyone (target group "everyone") within it, up to 5, walk-sorted. Otherwise empty.
   */
  openToEveryone: SearchResult[];
  results: SearchResult[];
}

/** Fewer matches than this within the radius bring in `beyondRadius` and `openToEveryone`. */
export const fewResultsThreshold = 3;

export interface SearchOptionTerm {
  code: string;
  parent: string | null;
  label: LocalizedLabel;
}

export interface SearchOptions {
  offerTypes: SearchOptionTerm[];
  targetGroups: SearchOptionTerm[];
  fieldsOfAction: SearchOptionTerm[];
  accessibility: SearchOptionTerm[];
  /** ISO 639 codes used by published offers, most frequent first. */
  languages: string[];
}

export interface OfferDetailLocation {
  id: string;
  address: SearchAddress;
  accessibilityNote: string | null;
  lon: number;
  lat: number;
  areas: Array<{ level: AreaLevel; name: string }>;
}

export interface OfferDetailDay {
  date: string;
  weekday: number;
  intervals: Array<{ from: string; to: string; unknown: boolean; comment: string | null }>;
  publicHoliday: string | null;
}

export interface OfferDetail {
  id: string;
  name: string;
  alternateName: string | null;
  description: string | null;
  status: 'active' | 'inactive' | 'temporarily_closed' | 'defunct';
  offerType: TermRef & { parent: TermRef | null };
  targetGroups: TermRef[];
  fieldsOfAction: TermRef[];
  accessibility: TermRef[];
  minAge: number | null;
  maxAge: number | null;
  costKind: 'free' | 'reduced' | 'paid' | null;
  costText: string | null;
  languages: string[];
  contact: { email: string | null; phone: string | null; website: string | null };
  openingHours: string | null;
  openingHoursNote: string | null;
  opening: OpeningSummary;
  /** The next seven days, with public holidays; null without (readable) opening hours. */
  week: OfferDetailDay[] | null;
  reach: { kind: 'walk' | 'radius' | 'area'; meters: number | null } | null;
  capacity: { value: number; unit: string | null } | null;
  organization: { name: string; website: string | null; email: string | null; phone: string | null } | null;
  department: { name: string; email: string | null; phone: string | null };
  locations: OfferDetailLocation[];
  verifiedAt: string | null;
  updatedAt: string;
  /** Where an imported record comes from (`source` of the import, see /api/config recordSources) and its id there. */
  source: { source: string; externalId: string } | null;
  at: string;
}
