import { z } from 'zod';

// How complete the offer inventory is, per offer type and area, for planners (issue 12): how many
// records, from how many sources, when they were last verified, and which sources are known to
// be incomplete. Shared with the client.

export const completenessLevels = ['sozialraum', 'district', 'city'] as const;
export type CompletenessLevel = (typeof completenessLevels)[number];

export const completenessQuerySchema = z.strictObject({
  /** An offer type code (its narrower types count too); without it, every offer. */
  offerType: z.string().trim().min(1).max(80).optional(),
  level: z.enum(completenessLevels).default('sozialraum'),
});
export type CompletenessQuery = z.output<typeof completenessQuerySchema>;

/**
 * Where records come from: an imported dataset (by the offers' `source`) or, for records kept by
 * hand, the department that keeps them.
 */
export interface CompletenessSource {
  key: string;
  kind: 'dataset' | 'department';
  /** The publisher of a dataset, the name of a department. */
  label: string;
  /** The data date of a dataset (as its manifest states it); null for departments and unknown dates. */
  dataDate: string | null;
  /** The dataset's manifest says its inventory of this offer type is incomplete. */
  knownIncomplete: boolean;
  records: number;
}

export interface AreaCompleteness {
  areaId: string;
  code: string;
  name: string;
  level: CompletenessLevel;
  /** Offers the public and the coverage see (published, active, not archived) with a location in the area. */
  records: number;
  /** Of them, raw imported records (e.g. unnamed OpenStreetMap objects) that citizens are not shown. */
  rawRecords: number;
  /** Of them, records a member of staff has ever verified. */
  verifiedRecords: number;
  /** Of them, records verified within the last 12 months. */
  recentlyVerifiedRecords: number;
  /** The latest verification of a record in the area (ISO time), null when none was ever verified. */
  lastVerifiedAt: string | null;
  /** The oldest data date among the datasets the area's records come from. */
  oldestDataDate: string | null;
  /** Keys of `sources` that hold records in the area, with their count. */
  sources: Array<{ key: string; records: number }>;
  /** A source of records in this area is known to be incomplete for the offer type. */
  knownIncomplete: boolean;
}

export interface CompletenessResult {
  offerType: string | null;
  level: CompletenessLevel;
  computedAt: string;
  /** Months after which a record counts as not recently verified. */
  verificationMonths: number;
  /** Every source of matching records, city-wide. */
  sources: CompletenessSource[];
  totals: { records: number; rawRecords: number; verifiedRecords: number; recentlyVerifiedRecords: number; lastVerifiedAt: string | null };
  areas: AreaCompleteness[];
}
