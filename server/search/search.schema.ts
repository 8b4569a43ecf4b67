import { z } from 'zod';
import type { AreaLevel } from '../areas/areas.schema.ts';

// Query parameters of GET /api/search. Lists come as "a,b" or as repeated parameters.

const maxPageDepth = 1000;
export const searchResultCap = maxPageDepth;

const codePattern = /^[a-z0-9][a-z0-9_.-]{0,79}$/;

/**
 * A list parameter; a bad item is reported on the parameter itself ("query.type"), naming the item
 * (`itemKey` in the search's message catalogue, search.messages.ts).
 */
function listOf(pattern: RegExp, itemKey: string) {
  return z.preprocess(
    (value) => {
      if (value === undefined || value === '') return undefined;
      const parts = (Array.isArray(value) ? value : [value]).flatMap((part) => String(part).split(','));
      return parts.map((part) => part.trim()).filter((part) => part.length > 0);
    },
    z
      .array(z.string())
      .min(1)
      .max(20)
      .superRefine((items, context) => {
        for (const item of items) {
          if (!pattern.test(item)) {
            context.addIssue({ code: 'custom', params: { key: itemKey, item: item.slice(0, 40) } });
            return;
          }
        }
      })
      .optional(),
  );
}

const codeList = () => listOf(codePattern, 'bad_code');

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1')
  .optional();

// Messages: search.messages.ts (`field.<name>` for the rules the generic sentences do not explain).
export const searchQuerySchema = z
  .object({
    lat: z.coerce.number().pipe(z.number().min(-90).max(90)).optional(),
    lon: z.coerce.number().pipe(z.number().min(-180).max(180)).optional(),
    address: z.string().trim().min(2).max(200).optional(),
    radius: z.coerce.number().int().min(50).max(50_000).default(3000),
    type: codeList(),
    targetGroup: codeList(),
    fieldOfAction: codeList(),
    accessible: z.preprocess((value) => (value === 'true' || value === '1' ? 'step_free_entrance' : value), codeList()),
    language: listOf(/^[a-z]{2,3}$/, 'bad_language'),
    openNow: booleanFlag,
    at: z
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/)
      .optional(),
    free: booleanFlag,
    age: z.coerce.number().int().min(0).max(130).optional(),
    q: z.string().trim().min(1).max(200).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(50).default(20),
  })
  .superRefine((value, context) => {
    if ((value.lat === undefined) !== (value.lon === undefined)) {
      context.addIssue({ code: 'custom', path: [value.lat === undefined ? 'lat' : 'lon'], params: { key: 'lat_lon_together' } });
    }
    if (value.lat !== undefined && value.address !== undefined) {
      context.addIssue({ code: 'custom', path: ['address'], params: { key: 'address_or_coordinates' } });
    }
    if (value.openNow && value.at !== undefined) {
      context.addIssue({ code: 'custom', path: ['at'], params: { key: 'open_now_or_at' } });
    }
    if (value.page * value.pageSize > maxPageDepth) {
      context.addIssue({ code: 'custom', path: ['page'], params: { key: 'page_too_deep', max: maxPageDepth } });
    }
  });

export type SearchQuery = z.output<typeof searchQuerySchema>;

export const offerIdParamsSchema = z.object({ id: z.uuid() });

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
