import type { TrackStatus } from './steering.schema.ts';

/** How far behind the straight line from baseline to target a goal may be and still be "at risk" (share of the way). */
export const atRiskTolerance = 0.1;
/** Least-squares trend over this many most recent monthly values (at least three are needed). */
export const trendWindow = 6;
const epsilon = 1e-9;
const dayMs = 86_400_000;

export interface StatusInput {
  baseline: { value: number; date: string };
  target: { value: number; deadline: string };
  /** Monthly values, oldest first; null where nothing was measured (a missing process figure). */
  values: { month: string; value: number | null }[];
  /** The day the status is judged on (the snapshot's month). */
  asOf: string;
}

export interface StatusResult {
  status: TrackStatus;
  /** Share of the way from baseline to target reached (1 = target reached). */
  progress: number | null;
  /** Share of the way the plan expects by `asOf` (time elapsed between baseline date and deadline). */
  expected: number;
  /** Progress the trend of the recent values projects for the deadline; null with fewer than three values. */
  projected: number | null;
}

function days(date: string): number {
  return Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / dayMs;
}

/**
 * The status rule (docs/steering.md, "Status"): with p the share of the way from baseline to
 * target reached, e the share of time elapsed from the baseline date to the deadline and t the
 * share the recent trend projects for the deadline —
 * on track if p ≥ 1 or p ≥ e; after the deadline off track unless p ≥ 1;
 * at risk if p ≥ e − 0.1 or t ≥ 1; otherwise off track. Without any value: no data.
 */
export function trackStatus(input: StatusInput): StatusResult {
  const total = input.target.value - input.baseline.value;
  const start = days(input.baseline.date);
  const end = days(input.target.deadline);
  const now = days(input.asOf);
  const expected = Math.min(1, Math.max(0, (now - start) / (end - start)));
  const measured = input.values.filter((entry): entry is { month: string; value: number } => entry.value !== null);
  const latest = measured[measured.length - 1];
  if (!latest || total === 0) return { status: 'no_data', progress: null, expected, projected: null };
  const progress = (latest.value - input.baseline.value) / total;

  let projected: number | null = null;
  const recent = measured.slice(-trendWindow);
  if (recent.length >= 3) {
    const xs = recent.map((entry) => days(`${entry.month}-01`.slice(0, 10)));
    const ys = recent.map((entry) => entry.value);
    const meanX = xs.reduce((sum, x) => sum + x, 0) / xs.length;
    const meanY = ys.reduce((sum, y) => sum + y, 0) / ys.length;
    let numerator = 0;
    let denominator = 0;
    for (let index = 0; index < xs.length; index++) {
      numerator += (xs[index]! - meanX) * (ys[index]! - meanY);
      denominator += (xs[index]! - meanX) ** 2;
    }
    const slope = denominator > 0 ? numerator / denominator : 0;
    const atDeadline = latest.value + slope * (end - xs[xs.length - 1]!);
    projected = (atDeadline - input.baseline.value) / total;
  }

  let status: TrackStatus;
  if (progress >= 1 - epsilon) status = 'on_track';
  else if (now > end) status = 'off_track';
  else if (progress >= expected - epsilon) status = 'on_track';
  else if (progress >= expected - atRiskTolerance - epsilon || (projected !== null && projected >= 1 - epsilon)) status = 'at_risk';
  else status = 'off_track';
  return { status, progress, expected, projected };
}
