import { z } from 'zod';
import type { ImportIssue, WriteCounts } from './imports.schema.ts';

const code = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,79}$/, 'must be a lower-case code such as "kita"');
const tagValue = z.string().min(1).max(255);

/**
 * One offer rule of an OSM tag mapping: every key of `match` must carry one of the listed values
 * ("*" = any value). The first matching rule takes an element.
 */
const osmOfferRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'must be a short lower-case id such as "kita"'),
    match: z.record(z.string().min(1).max(100), z.union([tagValue, z.array(tagValue).min(1).max(50)])).refine((match) => Object.keys(match).length > 0, 'needs at least one tag'),
    offerType: code,
    targetGroups: z.array(code).max(10).default([]),
    nameFallback: z.string().min(1).max(300).optional(),
    /** The `capacity` tag becomes the offer's capacity in this unit (e.g. "Plätze"). */
    capacityUnit: z.string().min(1).max(40).optional(),
  })
  .strict();
export type OsmOfferRule = z.infer<typeof osmOfferRuleSchema>;

export const osmOfferMappingSchema = z
  .object({
    department: z
      .object({ code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/), name: z.string().min(1).max(200) })
      .strict()
      .default({ code: 'osm', name: 'OpenStreetMap-Import' }),
    rules: z.array(osmOfferRuleSchema).min(1).max(100),
  })
  .strict();
export type OsmOfferMapping = z.infer<typeof osmOfferMappingSchema>;

export const areaLevelsForOsm = ['city', 'district', 'sozialraum', 'quarter'] as const;

/** What `import-osm` was asked to do (the CLI's options, or a manifest of kind `osm`). */
export const osmImportRequestSchema = z
  .object({
    addresses: z.boolean().default(false),
    network: z.boolean().default(false),
    offers: osmOfferMappingSchema.optional(),
    areas: z
      .object({
        adminLevel: z.number({ error: 'must be a number from 2 to 11' }).int().min(2).max(11),
        /** The area level the boundaries become (Andorra's parishes: district). */
        level: z.enum(areaLevelsForOsm).default('district'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((request) => request.addresses || request.network || request.offers !== undefined || request.areas !== undefined, {
    message: 'choose at least one of --addresses, --network, --offers <mapping>, --areas',
  });
export type OsmImportRequest = z.infer<typeof osmImportRequestSchema>;

export interface OsmImportReport {
  city: string;
  file: string;
  status: 'succeeded' | 'failed' | 'dry_run';
  elementsRead: number;
  tables: Record<string, WriteCounts>;
  /** Offers of an earlier import that the file no longer has: archived, not deleted. */
  disappeared: Array<{ rule: string; externalId: string; name: string }>;
  errors: ImportIssue[];
  warnings: ImportIssue[];
  durationMs: number;
}
