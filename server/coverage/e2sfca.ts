/**
 * Two-step floating catchment area (2SFCA) with a distance weight, and its enhanced form
 * E2SFCA (Luo & Qi 2009) where the weight is a step function over distance bands.
 *
 *   step 1, each supply j:  R_j = S_j / Σ_{i: d_ij ≤ d0} P_i · w(d_ij)
 *   step 2, each demand i:  A_i = Σ_{j: d_ij ≤ d0} R_j · w(d_ij)
 *
 * With w = 1/d and d0 = 61 this reproduces PySAL access' `fca` reference example.
 */

export interface AccessPair {
  demand: number;
  supply: number;
  cost: number;
}

export interface TwoStepInput {
  demand: ArrayLike<number>;
  supply: ArrayLike<number>;
  pairs: Iterable<AccessPair>;
  maxCost: number;
  weight: (cost: number) => number;
}

export interface TwoStepResult {
  /** A_i: supply reachable per resident at each demand point. */
  access: Float64Array;
  /** R_j: supply per weighted resident in each catchment (0 when nobody lives in it). */
  supplyRatio: Float64Array;
}

export function twoStepFloatingCatchment(input: TwoStepInput): TwoStepResult {
  const kept: AccessPair[] = [];
  for (const pair of input.pairs) if (pair.cost <= input.maxCost) kept.push(pair);
  const weights = kept.map((pair) => input.weight(pair.cost));
  const weightedDemand = new Float64Array(input.supply.length);
  kept.forEach((pair, index) => {
    weightedDemand[pair.supply]! += input.demand[pair.demand]! * weights[index]!;
  });
  const supplyRatio = new Float64Array(input.supply.length);
  for (let supply = 0; supply < input.supply.length; supply++) {
    const denominator = weightedDemand[supply]!;
    supplyRatio[supply] = denominator > 0 ? input.supply[supply]! / denominator : 0;
  }
  const access = new Float64Array(input.demand.length);
  kept.forEach((pair, index) => {
    access[pair.demand]! += supplyRatio[pair.supply]! * weights[index]!;
  });
  return { access, supplyRatio };
}

export interface DistanceBand {
  /** Upper bound of the band in metres (inclusive). */
  upToMeters: number;
  weight: number;
}

/** Gaussian band weights of Luo & Qi (2009) for three equal bands. */
export const defaultBandWeights = [1, 0.68, 0.22] as const;

/** Three equal bands up to the reach distance, weighted 1, 0.68 and 0.22. */
export function defaultBands(reachMeters: number): DistanceBand[] {
  return defaultBandWeights.map((weight, index) => ({
    upToMeters: Math.round(((index + 1) * reachMeters) / defaultBandWeights.length),
    weight,
  }));
}

/** The E2SFCA step weight: the weight of the first band that holds the distance, 0 beyond the last. */
export function bandWeight(bands: readonly DistanceBand[]): (cost: number) => number {
  const sorted = [...bands].sort((left, right) => left.upToMeters - right.upToMeters);
  return (cost) => {
    for (const band of sorted) if (cost <= band.upToMeters) return band.weight;
    return 0;
  };
}

export function maximumBandDistance(bands: readonly DistanceBand[]): number {
  return bands.reduce((maximum, band) => Math.max(maximum, band.upToMeters), 0);
}
