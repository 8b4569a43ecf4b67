import { z } from 'zod';

export const reachModes = ['walk', 'airline'] as const;
export type ReachMode = (typeof reachModes)[number];

/** `area_set`: unions of Sozialräume or districts from a member-code file (issue 13), e.g. Cologne's Lebenswerte Veedel. */
export const coverageLevels = ['sozialraum', 'district', 'city', 'area_set'] as const;
export type CoverageLevel = (typeof coverageLevels)[number];

export const gapUnits = ['segments', 'areas'] as const;
export type GapUnit = (typeof gapUnits)[number];

// Messages: coverage.messages.ts (`field.<name>` and `format.<name>` where the generic sentence would not explain the rule).
const codeSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,79}$/);

const bandPattern = /^\d{1,5}(\.\d+)?:\d+(\.\d+)?(,\d{1,5}(\.\d+)?:\d+(\.\d+)?){0,9}$/;

export interface DistanceBandInput {
  upToMeters: number;
  weight: number;
}

/** "250:1,500:0.68,1000:0.22" → bands up to 250 m (weight 1), 500 m (0.68), 1,000 m (0.22). */
export function parseBands(text: string): DistanceBandInput[] {
  return text.split(',').map((part) => {
    const [upTo = '', weight = ''] = part.split(':');
    return { upToMeters: Number(upTo), weight: Number(weight) };
  });
}

const bandsSchema = z
  .string()
  .trim()
  .regex(bandPattern)
  .transform(parseBands)
  .refine((bands) => bands.every((band, index) => index === 0 || band.upToMeters > bands[index - 1]!.upToMeters), {
    params: { key: 'bands_increase' },
  })
  .refine((bands) => bands.every((band) => band.upToMeters > 0 && band.upToMeters <= 10_000), { params: { key: 'bands_range' } })
  .refine((bands) => bands.every((band) => band.weight <= 1), { params: { key: 'bands_weight' } });

const integerFromText = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** What a coverage question asks; shared by the GET query and the scenario body. */
const coverageQueryFields = {
  offerType: codeSchema.optional(),
  targetGroup: codeSchema.optional(),
  mode: z.enum(reachModes).optional(),
  distance: integerFromText(50, 10_000).optional(),
  year: integerFromText(1900, 2200).optional(),
  detourFactor: z.coerce.number().min(1).max(3).optional(),
  bands: bandsSchema.optional(),
};

function requireSubject<T extends { offerType?: string | undefined; targetGroup?: string | undefined }>(
  value: T,
  context: z.core.$RefinementCtx<T>,
): void {
  if (!value.offerType && !value.targetGroup) {
    context.addIssue({ code: 'custom', path: ['offerType'], params: { key: 'subject_required' } });
  }
}

export const coverageQuerySchema = z
  .object({ ...coverageQueryFields, level: z.enum(coverageLevels).optional() })
  .strict()
  .superRefine(requireSubject);
export type CoverageQuery = z.output<typeof coverageQuerySchema>;

export const gapsQuerySchema = z
  .object({
    ...coverageQueryFields,
    unit: z.enum(gapUnits).optional(),
    limit: integerFromText(1, 20_000).optional(),
  })
  .strict()
  .superRefine(requireSubject);
export type GapsQuery = z.output<typeof gapsQuerySchema>;

export const hypotheticalOfferSchema = z
  .object({
    lon: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    capacity: z.number().min(0).max(100_000).optional(),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type HypotheticalOffer = z.output<typeof hypotheticalOfferSchema>;

export const scenarioBodySchema = z
  .object({
    ...coverageQueryFields,
    distance: z.number().int().min(50).max(10_000).optional(),
    year: z.number().int().min(1900).max(2200).optional(),
    detourFactor: z.number().min(1).max(3).optional(),
    offers: z.array(hypotheticalOfferSchema).min(1).max(100),
  })
  .strict()
  .superRefine(requireSubject);
export type ScenarioBody = z.output<typeof scenarioBodySchema>;

export interface CoverageIndicators {
  targetPopulation: number;
  coveredPopulation: number;
  uncoveredPopulation: number;
  /** Share (0–1) of the target population within reach; null without target population. */
  shareWithinReach: number | null;
  offers: number;
  capacity: number | null;
  offersPer1000: number | null;
  capacityPer1000: number | null;
  /** Population-weighted median distance to the nearest offer, metres; null if half are out of any reach. */
  medianDistanceMeters: number | null;
  /** E2SFCA accessibility: supply within the weighted catchment per 1,000 target residents. */
  e2sfcaPer1000: number | null;
}

export interface AreaCoverage extends CoverageIndicators {
  areaId: string;
  code: string;
  name: string;
  level: CoverageLevel;
  parentId: string | null;
  /** How the area's residents were placed: by house numbers, by street length, or at the area itself. */
  demandWeighting: 'house_numbers' | 'length' | 'area' | 'mixed';
}

export interface CoverageMethod {
  offerType: { code: string; label: string } | null;
  targetGroup: { code: string; label: string };
  demand: {
    indicators: { code: string; label: string }[];
    year: number;
    period: string;
    availableYears: number[];
    spreading: string;
    weighting: { houseNumbers: number; length: number; area: number };
  };
  reach: {
    mode: ReachMode;
    meters: number;
    detourFactor: number | null;
    measuredOn: 'street_network' | 'airline' | 'airline_with_detour' | 'mixed';
    defaultFromOfferType: boolean;
    /** Where the reach comes from, for a client to say in its language; `note` says it in English. */
    basis: 'request' | 'offer_type_walk' | 'offer_type_radius' | 'offer_type_area' | 'no_offer_type' | 'default';
    note: string;
  };
  supply: {
    offers: number;
    locations: number;
    filter: string;
    capacityKnownFor: number;
    locationsOutsideAreas: number;
  };
  e2sfca: {
    bands: DistanceBandInput[];
    supplyMeasure: 'capacity' | 'offers';
    note: string;
  };
  network: {
    segments: number;
    nodes: number;
    snappedLocations: number;
    maxSnapOffsetMeters: number | null;
  } | null;
  dataDates: { statistics: string; offersUpdated: string | null; offersVerified: string | null };
  sources: string[];
  computedAt: string;
  computeMilliseconds: number;
}

export interface CoverageResult {
  method: CoverageMethod;
  areas: AreaCoverage[];
}

export interface GapProperties {
  rank: number;
  kind: 'segment' | 'area';
  segmentId: number | null;
  streetName: string | null;
  areaId: string;
  areaCode: string;
  areaName: string;
  uncoveredResidents: number;
  distanceMeters: number | null;
}

export interface GapsResult {
  type: 'FeatureCollection';
  method: CoverageMethod;
  totalUncovered: number;
  features: { type: 'Feature'; id: string; properties: GapProperties; geometry: GeoJSON.Geometry }[];
}

export interface ScenarioOfferPlacement {
  index: number;
  lon: number;
  lat: number;
  capacity: number | null;
  name: string | null;
  areaId: string | null;
  snapOffsetMeters: number | null;
}

export interface ScenarioResult {
  method: CoverageMethod;
  hypotheticalOffers: ScenarioOfferPlacement[];
  baseline: AreaCoverage[];
  scenario: AreaCoverage[];
}

export const profileParamsSchema = z.object({ areaId: z.uuid() });

export const profileQuerySchema = z
  .object({ offerType: codeSchema.optional(), targetGroup: codeSchema.optional() })
  .strict();
export type ProfileQuery = z.output<typeof profileQuerySchema>;

export interface ProfileSeries {
  indicator: { code: string; label: string };
  /** Values of this boundary and of earlier or later versions with an unchanged boundary. */
  area: { period: string; value: number }[];
  /** Values of the same code under a boundary that changed: shown apart, never joined to `area`. */
  /** Values under an older boundary version (not comparable); only where the boundary changed. */
  otherBoundary?: { period: string; value: number }[];
  city: { period: string; value: number }[];
}

/** A new boundary version of the area: `continuous` when the change is below 1 % of its area. */
export interface ProfileBoundaryChange {
  date: string;
  /** Symmetric difference with the version before, as a share of the new area. */
  share: number | null;
  continuous: boolean;
}

export interface AreaProfile {
  area: { id: string; code: string; name: string; level: string; parentId: string | null; validFrom: string | null; validTo: string | null };
  boundaryChanges: ProfileBoundaryChange[];
  series: ProfileSeries[];
  offers: { offerId: string; name: string; offerType: string; capacity: number | null; lon: number; lat: number }[];
  sources: string[];
}
