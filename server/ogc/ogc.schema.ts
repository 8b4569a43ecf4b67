import { z } from 'zod';

/** OGC API – Features: the CRS a client may ask for (Part 2); CRS84 is the default (Part 1). */
export const crs84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const supportedCrs = [
  { uri: crs84, srid: 4326 },
  { uri: 'http://www.opengis.net/def/crs/EPSG/0/25832', srid: 25832 },
  { uri: 'http://www.opengis.net/def/crs/EPSG/0/25833', srid: 25833 },
] as const;
export type SupportedCrs = (typeof supportedCrs)[number];

export const conformanceClasses = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
  'http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus',
] as const;

export const defaultLimit = 100;
export const maxLimit = 10_000;

/** The parameters every items request may carry; a collection adds its queryables. */
export const standardItemParameters = ['f', 'limit', 'offset', 'bbox', 'bbox-crs', 'crs', 'datetime', 'filter', 'filter-lang', 'filter-crs'] as const;

function crsFromUri(uri: string): SupportedCrs | undefined {
  const trimmed = uri.trim().replace(/^\[|\]$/g, '');
  return supportedCrs.find((crs) => crs.uri === trimmed || crs.uri.replace(/^http:/, 'https:') === trimmed);
}

const crsSchema = z.string().transform((uri, context) => {
  const crs = crsFromUri(uri);
  if (!crs) {
    context.addIssue({ code: 'custom', params: { key: 'unsupported_crs', values: supportedCrs.map((item) => item.uri).join(', ') } });
    return z.NEVER;
  }
  return crs;
});

const bboxSchema = z.string().transform((text, context) => {
  const parts = text.split(',').map((part) => part.trim());
  const numbers = parts.map(Number);
  if ((numbers.length !== 4 && numbers.length !== 6) || parts.some((part) => part === '') || numbers.some((value) => !Number.isFinite(value))) {
    context.addIssue({ code: 'custom', params: { key: 'bbox_numbers' } });
    return z.NEVER;
  }
  // A 3D box lists west,south,min height,east,north,max height: heights are ignored.
  const [west, south, east, north] = numbers.length === 6 ? [numbers[0]!, numbers[1]!, numbers[3]!, numbers[4]!] : (numbers as [number, number, number, number]);
  if (south > north) {
    context.addIssue({ code: 'custom', params: { key: 'bbox_south_north' } });
    return z.NEVER;
  }
  return { west, south, east, north };
});

/** `2012-12-31`, `2010-01-01/2012-12-31`, `../2012-12-31`, `2010-01-01/..` (RFC 3339 dates or times). */
const datetimeSchema = z.string().transform((text, context) => {
  const parts = text.split('/');
  const valid = (part: string) => part === '..' || part === '' || !Number.isNaN(Date.parse(part));
  if (parts.length > 2 || !parts.every(valid) || (parts.length === 1 && (parts[0] === '..' || parts[0] === ''))) {
    context.addIssue({ code: 'custom', params: { key: 'bad_datetime' } });
    return z.NEVER;
  }
  const bound = (part: string | undefined) => (part === undefined || part === '..' || part === '' ? null : new Date(part).toISOString());
  if (parts.length === 1) {
    const instant = bound(parts[0]);
    return { start: instant, end: instant };
  }
  const interval = { start: bound(parts[0]), end: bound(parts[1]) };
  if (interval.start && interval.end && interval.start > interval.end) {
    context.addIssue({ code: 'custom', params: { key: 'interval_order' } });
    return z.NEVER;
  }
  return interval;
});

// Messages: ogc.messages.ts.
export const itemsQuerySchema = z.object({
  f: z.enum(['json', 'html', 'geojson']).optional(),
  limit: z.coerce.number().int().min(1).max(maxLimit).default(defaultLimit),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  bbox: bboxSchema.optional(),
  'bbox-crs': crsSchema.optional(),
  crs: crsSchema.optional(),
  datetime: datetimeSchema.optional(),
  filter: z.string().max(10_000).optional(),
  'filter-lang': z.enum(['cql2-text']).optional(),
  'filter-crs': crsSchema.optional(),
});
export type ItemsQuery = z.output<typeof itemsQuerySchema>;

export const formatQuerySchema = z.object({ f: z.enum(['json', 'html']).optional() }).strict();

export const featureQuerySchema = z.object({ f: z.enum(['json', 'html', 'geojson']).optional(), crs: crsSchema.optional() }).strict();
export type FeatureQuery = z.output<typeof featureQuerySchema>;

/** Query parameters are given once each: a repeated one (`?limit=1&limit=2`) is refused, not guessed. */
export const singleValuesSchema = z.record(z.string(), z.unknown()).transform((query, context) => {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (typeof value === 'string') values[name] = value;
    else context.addIssue({ code: 'custom', path: [name], params: { key: 'repeated' } });
  }
  return values;
});

/**
 * An items request as the route parses it: the standard parameters, typed, and the others by
 * name (each given once), which the collection checks against its queryables.
 */
export interface ItemsRequest {
  query: ItemsQuery;
  properties: Record<string, string>;
  /** Every parameter as given, for the links to this page and the next. */
  given: Record<string, string>;
}

/** What a client may filter on, per collection (Part 3 queryables). */
export interface Queryable {
  name: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'timestamp' | 'geometry';
  /** A property holding a list (e.g. target groups): `=` means "contains". */
  list?: boolean;
  title: string;
}

export interface CollectionLink {
  href: string;
  rel: string;
  type?: string;
  title?: string;
}

export interface CollectionDescription {
  id: string;
  title: string;
  description: string;
  itemType: 'feature';
  crs: string[];
  storageCrs: string;
  extent: {
    spatial: { bbox: number[][]; crs: string };
    temporal?: { interval: (string | null)[][]; trs: string };
  };
  links: CollectionLink[];
}

export interface OgcFeature {
  type: 'Feature';
  id: string;
  geometry: GeoJSON.Geometry | null;
  properties: Record<string, unknown>;
}

export interface OgcFeatureCollection {
  type: 'FeatureCollection';
  numberMatched: number;
  numberReturned: number;
  timeStamp: string;
  features: OgcFeature[];
  links: CollectionLink[];
}

/** Path parameters, for the OpenAPI description (the routes look collections and features up by these). */
export const collectionParamsSchema = z.object({ collectionId: z.string().max(120) });
export const featureParamsSchema = z.object({ collectionId: z.string().max(120), featureId: z.string().max(200) });
