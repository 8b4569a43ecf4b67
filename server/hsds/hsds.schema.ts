import { z } from 'zod';
import type { MessageCatalogue } from '../http/localized-validation.ts';

/** The largest radius of a proximity search (metres): a city and its surroundings. */
export const maxHsdsProximityMeters = 50_000;

/** "true"/"false" as a query parameter (HSDS `full`, `minimal`, `full_service`). */
const queryBoolean = z.enum(['true', 'false']).transform((value) => value === 'true');

/**
 * `modified_after` (HSDS: "on or after this datetime"): an ISO 8601 date or date-time with offset.
 * A plain date means midnight UTC of that day.
 */
const isoDateOrDateTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value));

/**
 * Query of the HSDS list endpoints (HSDS 3.1 OpenAPI: page, per_page, search, taxonomy_term_id,
 * taxonomy_id, organization_id, modified_after, format, postcode, proximity). The spec names
 * further flags (`full`, `minimal`) that this API reads and answers with its one shape. Besides
 * the spec's postcode proximity, `lat`/`lon` name the point of a proximity search directly.
 */
export const hsdsListQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    per_page: z.coerce.number().int().min(1).max(200).default(50),
    search: z.string().trim().min(1).max(200).optional(),
    /** An offer-type, target-group, … term id or code. */
    taxonomy_term_id: z.string().trim().min(1).max(80).optional(),
    /** A taxonomy id (as /taxonomies lists it) or code: records with any term of it. */
    taxonomy_id: z.string().trim().min(1).max(80).optional(),
    organization_id: z.uuid().optional(),
    modified_after: isoDateOrDateTime.optional(),
    /** `ndjson` streams every matching record, one JSON object per line, without pages. */
    format: z.enum(['json', 'ndjson']).default('json'),
    postcode: z.string().trim().regex(/^\d{5}$/).optional(),
    /** Metres around the point (`lat`/`lon`) or the centre of the postcode. */
    proximity: z.coerce.number().min(1).max(maxHsdsProximityMeters).optional(),
    lat: z.coerce.number().min(-90).max(90).optional(),
    lon: z.coerce.number().min(-180).max(180).optional(),
    full: queryBoolean.optional(),
    minimal: queryBoolean.optional(),
    full_service: queryBoolean.optional(),
  })
  .superRefine((query, context) => {
    if ((query.lat === undefined) !== (query.lon === undefined)) {
      context.addIssue({ code: 'custom', path: [query.lat === undefined ? 'lat' : 'lon'], params: { key: 'point_incomplete' } });
    }
    if (query.proximity !== undefined && query.lat === undefined && query.postcode === undefined) {
      context.addIssue({ code: 'custom', path: ['proximity'], params: { key: 'proximity_without_point' } });
    }
  });
export type HsdsListQuery = z.output<typeof hsdsListQuerySchema>;

/** The list query's own messages (by check key and by field), German first; zod's others are generic. */
export const hsdsQueryMessages: MessageCatalogue = {
  point_incomplete: { de: 'Ein Punkt braucht lat und lon zusammen.', en: 'A point needs lat and lon together.' },
  proximity_without_point: {
    de: 'proximity braucht einen Punkt: lat und lon oder eine Postleitzahl (postcode).',
    en: 'proximity needs a point: lat and lon, or a postcode.',
  },
  postcode: { de: 'Eine Postleitzahl hat fünf Ziffern.', en: 'A postcode has five digits.' },
};

/** The paging envelope of HSDS 3.1 list responses (the API's `Page` schema). */
export interface HsdsPage<T> {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: T[];
}
