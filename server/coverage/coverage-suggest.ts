/**
 * Where would one new offer reach most of the residents still out of reach? A greedy
 * maximal-coverage heuristic (Church & ReVelle 1974) on the same model, network and reach as the
 * coverage figures: candidates are the uncovered demand points themselves (street-segment
 * midpoints, or an area's inner point where it has no streets); each candidate's catchment is
 * measured with the coverage computation; the candidate that newly reaches the most residents is
 * taken, its residents count as reached, and the next is chosen among the rest.
 */
import {
  computePointOutcome,
  type CoverageModel,
  type CoverageParameters,
  type DemandPoints,
  type PointOutcome,
} from './coverage-compute.ts';

export interface SuggestedPoint {
  /** Index into the demand points of the candidate location. */
  demandIndex: number;
  /** Residents of the chosen areas out of reach so far that this location reaches. */
  newlyCovered: number;
}

export interface SuggestOptions {
  /** Indexes (into model.areas) of the Sozialräume whose residents count. */
  areaIndexes: ReadonlySet<number>;
  count: number;
  /** How many of the most populous uncovered points are tried as locations. */
  candidateLimit?: number;
}

function subset(demand: DemandPoints, indexes: readonly number[]): DemandPoints {
  return {
    area: Int32Array.from(indexes, (index) => demand.area[index]!),
    segment: Int32Array.from(indexes, (index) => demand.segment[index]!),
    lon: Float64Array.from(indexes, (index) => demand.lon[index]!),
    lat: Float64Array.from(indexes, (index) => demand.lat[index]!),
    population: Float64Array.from(indexes, (index) => demand.population[index]!),
  };
}

export function suggestLocations(
  model: CoverageModel,
  demand: DemandPoints,
  baseline: PointOutcome,
  parameters: CoverageParameters,
  options: SuggestOptions,
): SuggestedPoint[] {
  const reach = parameters.reachMeters;
  const uncovered: number[] = [];
  for (let index = 0; index < demand.population.length; index++) {
    if (demand.population[index]! > 0 && baseline.distance[index]! > reach && options.areaIndexes.has(demand.area[index]!)) {
      uncovered.push(index);
    }
  }
  if (uncovered.length === 0 || options.count <= 0) return [];
  const candidates = [...uncovered]
    .sort((left, right) => demand.population[right]! - demand.population[left]! || left - right)
    .slice(0, options.candidateLimit ?? 40);
  const targets = subset(demand, uncovered);
  // One pass per candidate: which of the uncovered points would it reach?
  const reaches = candidates.map((candidate) => {
    const segmentIndex = demand.segment[candidate]!;
    const outcome = computePointOutcome(
      model,
      targets,
      [
        {
          offerId: `candidate-${candidate}`,
          lon: demand.lon[candidate]!,
          lat: demand.lat[candidate]!,
          area: demand.area[candidate]!,
          amount: 1,
          capacity: null,
          // A candidate stands at the middle of its street segment, as its residents do.
          source: segmentIndex >= 0 && model.network ? { segmentIndex, alongMeters: model.network.segmentLength[segmentIndex]! / 2, offsetMeters: 0 } : null,
        },
      ],
      { ...parameters, bands: [{ upToMeters: reach, weight: 1 }] },
    );
    const reached: number[] = [];
    for (let index = 0; index < uncovered.length; index++) if (outcome.distance[index]! <= reach) reached.push(index);
    return reached;
  });
  const taken = new Uint8Array(uncovered.length);
  const chosen: SuggestedPoint[] = [];
  const used = new Set<number>();
  while (chosen.length < options.count) {
    let best = -1;
    let bestGain = 0;
    reaches.forEach((reached, position) => {
      if (used.has(position)) return;
      let gain = 0;
      for (const index of reached) if (!taken[index]) gain += targets.population[index]!;
      if (gain > bestGain + 1e-9) {
        best = position;
        bestGain = gain;
      }
    });
    if (best < 0) break;
    used.add(best);
    for (const index of reaches[best]!) taken[index] = 1;
    chosen.push({ demandIndex: candidates[best]!, newlyCovered: bestGain });
  }
  return chosen;
}
