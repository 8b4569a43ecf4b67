import { z } from 'zod';

export const goalStatuses = ['draft', 'adopted', 'achieved', 'dropped'] as const;
export type GoalStatus = (typeof goalStatuses)[number];

export const trackStatuses = ['on_track', 'at_risk', 'off_track', 'no_data'] as const;
export type TrackStatus = (typeof trackStatuses)[number];

export const coverageMeasures = ['share_within_reach', 'offers_per_1000', 'capacity_per_1000'] as const;
export type CoverageMeasure = (typeof coverageMeasures)[number];

export const measureKinds = ['new_offer', 'offer_change', 'project'] as const;
export type MeasureKind = (typeof measureKinds)[number];

export const measureStatuses = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export type MeasureStatus = (typeof measureStatuses)[number];

const code = z.string().trim().regex(/^[a-z0-9][a-z0-9_.-]{0,79}$/);
const isoDate = z.iso.date();
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
const finite = z.number().refine(Number.isFinite);

/** A key figure: a statistic of the areas, a coverage indicator of the living inventory, or a hand-entered process figure. */
export const keyFigureSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('statistic'), indicator: code }),
  z.strictObject({
    kind: z.literal('coverage'),
    measure: z.enum(coverageMeasures),
    offerType: code.optional(),
    targetGroup: code.optional(),
    mode: z.enum(['walk', 'airline']).optional(),
    distance: z.number().int().min(50).max(10_000).optional(),
  }),
  z.strictObject({ kind: z.literal('process'), label: z.string().trim().min(1).max(200), unit: z.string().trim().min(1).max(40) }),
]);
export type KeyFigure = z.output<typeof keyFigureSchema>;

const goalFields = {
  fieldOfAction: code,
  title: z.string().trim().min(1).max(300),
  rationale: z.string().trim().max(10_000).nullable().optional(),
  targetGroup: code.nullable().optional(),
  /** Sozialräume or districts by id; empty or absent with scope "city" means the whole city. */
  scope: z.enum(['city', 'areas']),
  areaIds: z.array(z.uuid()).max(500).optional(),
  keyFigure: keyFigureSchema,
  baseline: z.strictObject({ value: finite, date: isoDate }),
  target: z.strictObject({ value: finite, deadline: isoDate }),
  ownerDepartmentCode: z.string().trim().min(1).max(40),
  contributingDepartmentCodes: z.array(z.string().trim().min(1).max(40)).max(50).optional(),
  councilReference: z.string().trim().max(200).nullable().optional(),
};

export const goalCreateSchema = z.strictObject(goalFields);
export type GoalCreateInput = z.output<typeof goalCreateSchema>;

export const goalPatchSchema = z.strictObject(goalFields).partial();
export type GoalPatchInput = z.output<typeof goalPatchSchema>;

export const goalTransitionSchema = z.strictObject({ status: z.enum(['adopted', 'achieved', 'dropped']) });
export type GoalTransition = z.output<typeof goalTransitionSchema>;

export const goalListQuerySchema = z.strictObject({
  fieldOfAction: code.optional(),
  department: z.string().trim().min(1).max(40).optional(),
  area: z.uuid().optional(),
  targetGroup: code.optional(),
  status: z.enum(goalStatuses).optional(),
});
export type GoalListQuery = z.output<typeof goalListQuerySchema>;

export const idParamsSchema = z.object({ id: z.uuid() });

export const plannedOfferSchema = z.strictObject({
  name: z.string().trim().min(1).max(300),
  offerType: code,
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  capacity: z.number().min(0).max(100_000).optional(),
  address: z
    .strictObject({
      street: z.string().trim().min(1).max(200),
      houseNumber: z.string().trim().max(20).optional(),
      postalCode: z.string().trim().max(10).optional(),
      city: z.string().trim().min(1).max(100),
    })
    .optional(),
});
export type PlannedOffer = z.output<typeof plannedOfferSchema>;

const milestoneSchema = z.strictObject({
  title: z.string().trim().min(1).max(300),
  dueDate: isoDate,
  doneOn: isoDate.nullable().optional(),
});

const measureFields = {
  kind: z.enum(measureKinds),
  title: z.string().trim().min(1).max(300),
  description: z.string().trim().max(10_000).nullable().optional(),
  goalIds: z.array(z.uuid()).min(1).max(20),
  departmentCode: z.string().trim().min(1).max(40),
  contributingDepartmentCodes: z.array(z.string().trim().min(1).max(40)).max(50).optional(),
  status: z.enum(measureStatuses).optional(),
  progress: z.number().int().min(0).max(100).optional(),
  budget: z.number().min(0).max(1e12).nullable().optional(),
  plannedOffer: plannedOfferSchema.nullable().optional(),
  offerId: z.uuid().nullable().optional(),
  milestones: z.array(milestoneSchema).max(50).optional(),
};

export const measureCreateSchema = z.strictObject(measureFields);
export type MeasureCreateInput = z.output<typeof measureCreateSchema>;
export const measurePatchSchema = z.strictObject(measureFields).partial();
export type MeasurePatchInput = z.output<typeof measurePatchSchema>;

export const processValueSchema = z.strictObject({
  month,
  value: finite,
  areaId: z.uuid().nullable().optional(),
  source: z.string().trim().min(1).max(300),
});
export type ProcessValueInput = z.output<typeof processValueSchema>;

export const snapshotBodySchema = z.strictObject({ month: month.optional() });
export type SnapshotBody = z.output<typeof snapshotBodySchema>;

export const needsQuerySchema = z.strictObject({
  suggestions: z.coerce.number().int().min(0).max(10).optional(),
});
export type NeedsQuery = z.output<typeof needsQuerySchema>;

/** An indicator a statistics goal can name (the goal form's choices). */
export interface IndicatorChoice {
  code: string;
  label: { de: string; en: string };
  unit: string;
}

export interface AreaRef {
  id: string;
  code: string;
  name: string;
  level: string;
}

export interface Goal {
  id: string;
  fieldOfAction: string;
  title: string;
  rationale: string | null;
  targetGroup: string | null;
  scope: 'city' | 'areas';
  areas: AreaRef[];
  keyFigure: KeyFigure;
  unit: string;
  baseline: { value: number; date: string };
  target: { value: number; deadline: string };
  ownerDepartment: { id: string; code: string; name: string };
  contributingDepartments: { id: string; code: string; name: string }[];
  councilReference: string | null;
  status: GoalStatus;
  adoptedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Milestone {
  id: string;
  title: string;
  dueDate: string;
  doneOn: string | null;
}

export interface ExpectedEffect {
  goalId: string;
  /** The goal's figure today and with the planned offer, over the goal's areas. */
  before: number | null;
  after: number | null;
  change: number | null;
  perArea: { areaId: string; before: number | null; after: number | null }[];
  computedAt: string;
}

export interface Measure {
  id: string;
  kind: MeasureKind;
  title: string;
  description: string | null;
  goalIds: string[];
  department: { id: string; code: string; name: string };
  contributingDepartments: { id: string; code: string; name: string }[];
  status: MeasureStatus;
  progress: number;
  budget: number | null;
  plannedOffer: PlannedOffer | null;
  offerId: string | null;
  openedAt: string | null;
  milestones: Milestone[];
  /** Milestones past their date and not done. */
  overdueMilestones: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface SnapshotArea {
  areaId: string;
  code: string;
  name: string;
  value: number | null;
  /** True when a process figure was not entered for the month (not zero). */
  missing: boolean;
  targetPopulation?: number | null;
  uncovered?: number | null;
}

export interface Snapshot {
  id: string;
  goalId: string;
  month: string;
  takenAt: string;
  trigger: 'schedule' | 'command_line' | 'request';
  value: number | null;
  status: TrackStatus;
  goalVersion: number;
  method: Record<string, unknown>;
  areas: SnapshotArea[];
}

export interface ProcessValue {
  id: number;
  goalId: string;
  areaId: string | null;
  month: string;
  value: number;
  source: string;
  enteredBy: string;
  enteredAt: string;
}

export interface GoalFigure {
  value: number | null;
  areas: SnapshotArea[];
  method: Record<string, unknown>;
}

export interface NeedArea {
  areaId: string;
  code: string;
  name: string;
  current: number | null;
  target: number;
  /** Target minus current, in the figure's unit; null without a current value. */
  gap: number | null;
  /** Coverage goals: target residents out of reach today, and how many must be reached to meet the target. */
  uncoveredResidents: number | null;
  residentsToReach: number | null;
}

export interface LocationSuggestion {
  rank: number;
  lon: number;
  lat: number;
  areaId: string;
  areaName: string;
  streetName: string | null;
  /** Uncovered target residents of the goal's areas this location would newly reach. */
  newlyCovered: number;
}

export interface Needs {
  goalId: string;
  unit: string;
  current: number | null;
  target: number;
  gap: number | null;
  areas: NeedArea[];
  suggestions: LocationSuggestion[];
  method: Record<string, unknown>;
}

/** An offer behind a coverage figure: counted as supply and located in the goal's areas. */
export interface FigureOffer {
  offerId: string;
  name: string;
  capacity: number | null;
  areas: { id: string; name: string }[];
}

export interface FigureOffers {
  goalId: string;
  /** False for statistics and process figures: no offers stand behind them. */
  applicable: boolean;
  items: FigureOffer[];
}

export interface GoalTracking {
  goal: Goal;
  status: TrackStatus;
  snapshots: Snapshot[];
  measures: Measure[];
}

export interface SnapshotRun {
  month: string;
  taken: number;
  alreadyTaken: number;
  milliseconds: number;
}

export interface DashboardGoal {
  goal: Goal;
  status: TrackStatus;
  /** The latest snapshot: its value, when it was taken and how it was measured (data dates). */
  latest: { month: string; value: number | null; takenAt: string; method: Record<string, unknown> } | null;
  series: { month: string; value: number | null; status: TrackStatus }[];
  measuresDue: number;
  measuresOverdue: number;
}

export interface Dashboard {
  asOf: string;
  fields: { fieldOfAction: string; label: { de: string; en: string }; goals: DashboardGoal[] }[];
}

