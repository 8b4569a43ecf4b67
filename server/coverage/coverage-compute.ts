/**
 * The coverage computation itself, free of database and HTTP: demand points with residents,
 * supply points with an amount, distances (network or airline), then the indicators per
 * Sozialraum, district and city. The service loads the inputs; tests feed it directly.
 */
import { earthDistanceMeters } from '../streets/geodesic.ts';
import { airlineDistances } from './airline.ts';
import type { AreaCoverage, CoverageIndicators, CoverageLevel, ReachMode } from './coverage.schema.ts';
import { spreadWeights, type DemandWeighting } from './demand.ts';
import { bandWeight, maximumBandDistance, twoStepFloatingCatchment, type AccessPair, type DistanceBand } from './e2sfca.ts';
import { nearestSourceDistances, segmentsWithin, ShortestPaths } from '../streets/dijkstra.ts';
import type { SnappedPoint, StreetNetwork } from '../streets/street-network.ts';

export interface ModelArea {
  id: string;
  code: string;
  name: string;
  level: 'city' | 'district' | 'sozialraum' | 'area_set';
  parentId: string | null;
  pointLon: number;
  pointLat: number;
  /** An area set's member Sozialräume (ids of model areas); empty for the other levels. */
  memberIds: string[];
}

/** The Sozialräume (indexes into model.areas) that make up an area set. */
function memberIndexesOf(model: CoverageModel, set: ModelArea, sozialraumIndexes: readonly number[]): number[] {
  const members = new Set(set.memberIds);
  return sozialraumIndexes.filter((index) => members.has(model.areas[index]!.id));
}

export interface ModelSegment {
  id: number;
  areaId: string | null;
  houses: number;
  lengthMeters: number;
  midLon: number;
  midLat: number;
}

export interface DemandPlacement {
  weighting: DemandWeighting;
  /** Segment indexes (into the model's segments) and the share of the area's residents on each. */
  segmentIndexes: number[];
  shares: number[];
}

/** Everything about the city that does not depend on the question: built once, cached while unchanged. */
export interface CoverageModel {
  areas: ModelArea[];
  segments: ModelSegment[];
  /** The street kernel's network of this data version; segment i of the model is segment i of the network. */
  network: StreetNetwork | null;
  placements: Map<string, DemandPlacement>;
}

export function buildPlacements(areas: readonly ModelArea[], segments: readonly ModelSegment[]): Map<string, DemandPlacement> {
  const byArea = new Map<string, number[]>();
  segments.forEach((segment, index) => {
    if (!segment.areaId) return;
    const list = byArea.get(segment.areaId) ?? [];
    list.push(index);
    byArea.set(segment.areaId, list);
  });
  const placements = new Map<string, DemandPlacement>();
  for (const area of areas) {
    if (area.level !== 'sozialraum') continue;
    const segmentIndexes = byArea.get(area.id) ?? [];
    const { weighting, shares } = spreadWeights(
      segmentIndexes.map((index) => ({ houses: segments[index]!.houses, lengthMeters: segments[index]!.lengthMeters })),
    );
    placements.set(area.id, weighting === 'area' ? { weighting, segmentIndexes: [], shares: [] } : { weighting, segmentIndexes, shares });
  }
  return placements;
}

export interface DemandPoints {
  /** Index into model.areas of the Sozialraum. */
  area: Int32Array;
  /** Index into model.segments, or -1 for residents placed at the area itself. */
  segment: Int32Array;
  lon: Float64Array;
  lat: Float64Array;
  population: Float64Array;
}

/** Spreads each Sozialraum's target population over its placement. */
export function buildDemandPoints(model: CoverageModel, populationByArea: ReadonlyMap<string, number>): DemandPoints {
  const area: number[] = [];
  const segment: number[] = [];
  const lon: number[] = [];
  const lat: number[] = [];
  const population: number[] = [];
  model.areas.forEach((modelArea, areaIndex) => {
    const placement = model.placements.get(modelArea.id);
    if (!placement) return;
    const total = populationByArea.get(modelArea.id) ?? 0;
    if (placement.segmentIndexes.length === 0) {
      area.push(areaIndex);
      segment.push(-1);
      lon.push(modelArea.pointLon);
      lat.push(modelArea.pointLat);
      population.push(total);
      return;
    }
    placement.segmentIndexes.forEach((segmentIndex, position) => {
      const modelSegment = model.segments[segmentIndex]!;
      area.push(areaIndex);
      segment.push(segmentIndex);
      lon.push(modelSegment.midLon);
      lat.push(modelSegment.midLat);
      population.push(total * placement.shares[position]!);
    });
  });
  return sharedDemandPoints({ area, segment, lon, lat, population });
}

/**
 * The demand arrays in one SharedArrayBuffer: a coverage task hands the worker (coverage-pool.ts)
 * a view of the same memory instead of a copy (about 32 bytes per demand point, 0.5 MB for
 * Cologne's kita question). Nobody writes to them once built.
 */
function sharedDemandPoints(columns: { area: number[]; segment: number[]; lon: number[]; lat: number[]; population: number[] }): DemandPoints {
  const count = columns.area.length;
  const float64Bytes = count * Float64Array.BYTES_PER_ELEMENT;
  const int32Bytes = count * Int32Array.BYTES_PER_ELEMENT;
  const buffer = new SharedArrayBuffer(3 * float64Bytes + 2 * int32Bytes);
  const demand: DemandPoints = {
    lon: new Float64Array(buffer, 0, count),
    lat: new Float64Array(buffer, float64Bytes, count),
    population: new Float64Array(buffer, 2 * float64Bytes, count),
    area: new Int32Array(buffer, 3 * float64Bytes, count),
    segment: new Int32Array(buffer, 3 * float64Bytes + int32Bytes, count),
  };
  demand.lon.set(columns.lon);
  demand.lat.set(columns.lat);
  demand.population.set(columns.population);
  demand.area.set(columns.area);
  demand.segment.set(columns.segment);
  return demand;
}

export interface SupplyPoint {
  offerId: string;
  lon: number;
  lat: number;
  /** Index into model.areas of the Sozialraum holding it, or -1 outside all. */
  area: number;
  /** Supply counted for E2SFCA: the capacity (or 1) of the offer, split over its locations. */
  amount: number;
  /** Capacity of the offer split over its locations; null when unknown. */
  capacity: number | null;
  /** Where the point enters the street network (the street kernel's snapping); null: too far from any street. */
  source: SnappedPoint | null;
}

export interface CoverageParameters {
  mode: ReachMode;
  reachMeters: number;
  detourFactor: number;
  bands: DistanceBand[];
}

export interface PointOutcome {
  distance: Float64Array;
  nearest: Int32Array;
  access: Float64Array;
  measuredOn: { network: number; airline: number; airlineWithDetour: number };
}

/** The nearest supply point of every demand point, without the E2SFCA pairs (what shares and rates need). */
export type NearestDistances = Omit<PointOutcome, 'access'>;

/**
 * Distances from every demand point to the nearest supply point and, when `pairsWithin` is a
 * number, every demand–supply pair within that distance (the E2SFCA catchments). The nearest
 * distances do not depend on the reach, so questions that differ only in distance can share them.
 */
function measureDistances(
  model: CoverageModel,
  demand: DemandPoints,
  supply: readonly SupplyPoint[],
  parameters: Pick<CoverageParameters, 'mode' | 'detourFactor'>,
  pairsWithin: number | null,
): NearestDistances & { pairs: AccessPair[] } {
  const count = demand.population.length;
  const maxBand = pairsWithin ?? 0;
  const supplyPoints = { lon: supply.map((point) => point.lon), lat: supply.map((point) => point.lat) };
  const measuredOn = { network: 0, airline: 0, airlineWithDetour: 0 };
  let distance: Float64Array;
  let nearest: Int32Array;
  let pairs: AccessPair[];

  if (parameters.mode === 'airline') {
    const airline = airlineDistances(demand, supplyPoints, maxBand);
    distance = airline.distance;
    nearest = airline.nearest;
    pairs = airline.pairs;
    measuredOn.airline = count;
  } else {
    distance = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
    nearest = new Int32Array(count).fill(-1);
    pairs = [];
    const networkSupply: number[] = [];
    supply.forEach((point, index) => {
      if (point.source) networkSupply.push(index);
    });
    const onNetwork: number[] = [];
    const offNetwork: number[] = [];
    for (let i = 0; i < count; i++) {
      if (demand.segment[i]! >= 0 && model.network && networkSupply.length > 0) onNetwork.push(i);
      else offNetwork.push(i);
    }
    if (onNetwork.length > 0 && model.network) {
      const network = model.network;
      const sources = networkSupply.map((index) => supply[index]!.source!);
      const nearestOnNetwork = nearestSourceDistances(network, sources);
      const pointOfSegment = new Int32Array(network.segmentCount).fill(-1);
      for (const i of onNetwork) {
        const segment = demand.segment[i]!;
        pointOfSegment[segment] = i;
        distance[i] = nearestOnNetwork.distance[segment]!;
        const source = nearestOnNetwork.nearest[segment]!;
        nearest[i] = source >= 0 ? networkSupply[source]! : -1;
      }
      if (pairsWithin !== null) {
        const paths = new ShortestPaths(network);
        networkSupply.forEach((supplyIndex, sourceIndex) => {
          for (const [segment, cost] of segmentsWithin(paths, sources[sourceIndex]!, maxBand)) {
            const point = pointOfSegment[segment]!;
            if (point >= 0) pairs.push({ demand: point, supply: supplyIndex, cost });
          }
        });
      }
      measuredOn.network = onNetwork.length;
    }
    if (offNetwork.length > 0) {
      // Without a street network: airline distance times the stated detour factor, measured as
      // the search measures it (the street kernel's earth distance), so both give one number.
      const factor = parameters.detourFactor;
      const subset = {
        lon: offNetwork.map((i) => demand.lon[i]!),
        lat: offNetwork.map((i) => demand.lat[i]!),
      };
      const airline = airlineDistances(subset, supplyPoints, maxBand / factor, earthDistanceMeters);
      offNetwork.forEach((i, position) => {
        distance[i] = airline.distance[position]! * factor;
        nearest[i] = airline.nearest[position]!;
      });
      if (pairsWithin !== null) {
        for (const pair of airline.pairs) {
          pairs.push({ demand: offNetwork[pair.demand]!, supply: pair.supply, cost: pair.cost * factor });
        }
      }
      measuredOn.airlineWithDetour = offNetwork.length;
    }
  }

  return { distance, nearest, pairs: pairsWithin === null ? [] : pairs, measuredOn };
}

/** Distances from every demand point to the nearest supply point, and E2SFCA access per point. */
export function computePointOutcome(
  model: CoverageModel,
  demand: DemandPoints,
  supply: readonly SupplyPoint[],
  parameters: CoverageParameters,
): PointOutcome {
  const maxBand = maximumBandDistance(parameters.bands);
  const { distance, nearest, pairs, measuredOn } = measureDistances(model, demand, supply, parameters, maxBand);
  const { access } = twoStepFloatingCatchment({
    demand: demand.population,
    supply: supply.map((point) => point.amount),
    pairs,
    maxCost: maxBand,
    weight: bandWeight(parameters.bands),
  });
  return { distance, nearest, access, measuredOn };
}

/** Only the nearest distances: no catchment pairs, no E2SFCA (the monthly snapshot's figures). */
export function computeNearestDistances(
  model: CoverageModel,
  demand: DemandPoints,
  supply: readonly SupplyPoint[],
  parameters: Pick<CoverageParameters, 'mode' | 'detourFactor'>,
): NearestDistances {
  const { distance, nearest, measuredOn } = measureDistances(model, demand, supply, parameters, null);
  return { distance, nearest, measuredOn };
}

/** The value below which half of the weight lies (the lower median for an even split). */
export function weightedMedian(values: ArrayLike<number>, weights: ArrayLike<number>, indexes: readonly number[]): number | null {
  const kept = indexes.filter((index) => weights[index]! > 0);
  if (kept.length === 0) return null;
  kept.sort((left, right) => values[left]! - values[right]!);
  const total = kept.reduce((sum, index) => sum + weights[index]!, 0);
  let cumulative = 0;
  for (const index of kept) {
    cumulative += weights[index]!;
    if (cumulative >= total / 2 - 1e-9 * total) {
      const value = values[index]!;
      return Number.isFinite(value) ? value : null;
    }
  }
  return null;
}

function per1000(value: number, population: number): number | null {
  return population > 0 ? (value / population) * 1000 : null;
}

function indicatorsFor(
  pointIndexes: readonly number[],
  supplyIndexes: readonly number[],
  demand: DemandPoints,
  supply: readonly SupplyPoint[],
  outcome: PointOutcome,
  reachMeters: number,
  capacityKnown: boolean,
): CoverageIndicators {
  let target = 0;
  let covered = 0;
  let uncovered = 0;
  let weightedAccess = 0;
  for (const i of pointIndexes) {
    const population = demand.population[i]!;
    target += population;
    if (outcome.distance[i]! <= reachMeters) covered += population;
    else uncovered += population;
    weightedAccess += population * outcome.access[i]!;
  }
  const offers = new Set(supplyIndexes.map((index) => supply[index]!.offerId)).size;
  const capacity = capacityKnown ? supplyIndexes.reduce((sum, index) => sum + (supply[index]!.capacity ?? 0), 0) : null;
  return {
    targetPopulation: target,
    coveredPopulation: covered,
    uncoveredPopulation: uncovered,
    shareWithinReach: target > 0 ? covered / target : null,
    offers,
    capacity,
    offersPer1000: per1000(offers, target),
    capacityPer1000: capacity === null ? null : per1000(capacity, target),
    medianDistanceMeters: weightedMedian(outcome.distance, demand.population, pointIndexes),
    e2sfcaPer1000: target > 0 ? (weightedAccess / target) * 1000 : null,
  };
}

export const syntheticCityId = 'city';

/** Indicators per Sozialraum, district and city from the point outcome. */
export function aggregateCoverage(
  model: CoverageModel,
  demand: DemandPoints,
  supply: readonly SupplyPoint[],
  outcome: PointOutcome,
  reachMeters: number,
  levels: readonly CoverageLevel[] = ['sozialraum', 'district', 'city'],
): AreaCoverage[] {
  const capacityKnown = supply.some((point) => point.capacity !== null);
  const pointsByArea = new Map<number, number[]>();
  for (let i = 0; i < demand.population.length; i++) {
    const list = pointsByArea.get(demand.area[i]!) ?? [];
    list.push(i);
    pointsByArea.set(demand.area[i]!, list);
  }
  const supplyByArea = new Map<number, number[]>();
  supply.forEach((point, index) => {
    if (point.area < 0) return;
    const list = supplyByArea.get(point.area) ?? [];
    list.push(index);
    supplyByArea.set(point.area, list);
  });
  const results: AreaCoverage[] = [];
  const weightingOf = (areaIndexes: readonly number[]): AreaCoverage['demandWeighting'] => {
    const kinds = new Set(areaIndexes.map((index) => model.placements.get(model.areas[index]!.id)?.weighting ?? 'area'));
    return kinds.size === 1 ? [...kinds][0]! : 'mixed';
  };
  const collect = (areaIndexes: readonly number[]) => ({
    points: areaIndexes.flatMap((index) => pointsByArea.get(index) ?? []),
    supply: areaIndexes.flatMap((index) => supplyByArea.get(index) ?? []),
  });

  const sozialraumIndexes = model.areas.flatMap((area, index) => (area.level === 'sozialraum' ? [index] : []));
  // One row per area: its figures over the demand and supply of the given Sozialräume.
  const add = (area: { id: string; code: string; name: string; parentId: string | null }, level: CoverageLevel, indexes: readonly number[]) => {
    const { points, supply: supplyIndexes } = collect(indexes);
    results.push({
      areaId: area.id,
      code: area.code,
      name: area.name,
      level,
      parentId: area.parentId,
      demandWeighting: weightingOf(indexes),
      ...indicatorsFor(points, supplyIndexes, demand, supply, outcome, reachMeters, capacityKnown),
    });
  };
  if (levels.includes('sozialraum')) {
    for (const index of sozialraumIndexes) add(model.areas[index]!, 'sozialraum', [index]);
  }
  if (levels.includes('district')) {
    for (const area of model.areas) {
      if (area.level === 'district') add(area, 'district', sozialraumIndexes.filter((child) => model.areas[child]!.parentId === area.id));
    }
  }
  if (levels.includes('area_set')) {
    for (const area of model.areas) {
      if (area.level === 'area_set') add({ ...area, parentId: null }, 'area_set', memberIndexesOf(model, area, sozialraumIndexes));
    }
  }
  if (levels.includes('city')) {
    const cities = model.areas.filter((area) => area.level === 'city');
    const city = cities.length === 1 ? cities[0]! : undefined;
    add({ id: city?.id ?? syntheticCityId, code: city?.code ?? syntheticCityId, name: city?.name ?? 'Gesamtstadt', parentId: null }, 'city', sozialraumIndexes);
  }
  return results;
}

/** The reach figures of one area: residents within reach, offers and capacity (no median, no E2SFCA). */
export interface AreaReachFigures {
  areaId: string;
  code: string;
  name: string;
  level: CoverageLevel;
  targetPopulation: number;
  coveredPopulation: number;
  uncoveredPopulation: number;
  offers: number;
  capacity: number | null;
}

/**
 * The same sums as `aggregateCoverage` for the figures a share or a rate needs, from the nearest
 * distances alone: one pass over the demand points, no sorting for the median.
 */
export function aggregateReachFigures(
  model: CoverageModel,
  demand: DemandPoints,
  supply: readonly SupplyPoint[],
  distance: Float64Array,
  reachMeters: number,
  levels: readonly CoverageLevel[] = ['sozialraum', 'district', 'city'],
): AreaReachFigures[] {
  const areaCount = model.areas.length;
  const target = new Float64Array(areaCount);
  const covered = new Float64Array(areaCount);
  const uncovered = new Float64Array(areaCount);
  for (let i = 0; i < demand.population.length; i++) {
    const area = demand.area[i]!;
    const population = demand.population[i]!;
    target[area]! += population;
    if (distance[i]! <= reachMeters) covered[area]! += population;
    else uncovered[area]! += population;
  }
  const capacityKnown = supply.some((point) => point.capacity !== null);
  const offersByArea = new Map<number, Set<string>>();
  const capacityByArea = new Float64Array(areaCount);
  for (const point of supply) {
    if (point.area < 0) continue;
    const offers = offersByArea.get(point.area) ?? new Set<string>();
    offers.add(point.offerId);
    offersByArea.set(point.area, offers);
    capacityByArea[point.area]! += point.capacity ?? 0;
  }
  const sozialraumIndexes = model.areas.flatMap((area, index) => (area.level === 'sozialraum' ? [index] : []));
  const sum = (indexes: readonly number[], values: Float64Array) => indexes.reduce((total, index) => total + values[index]!, 0);
  const figures = (area: { id: string; code: string; name: string }, level: CoverageLevel, indexes: readonly number[]): AreaReachFigures => ({
    areaId: area.id,
    code: area.code,
    name: area.name,
    level,
    targetPopulation: sum(indexes, target),
    coveredPopulation: sum(indexes, covered),
    uncoveredPopulation: sum(indexes, uncovered),
    offers: new Set(indexes.flatMap((index) => [...(offersByArea.get(index) ?? [])])).size,
    capacity: capacityKnown ? sum(indexes, capacityByArea) : null,
  });
  const results: AreaReachFigures[] = [];
  if (levels.includes('sozialraum')) {
    for (const index of sozialraumIndexes) results.push(figures(model.areas[index]!, 'sozialraum', [index]));
  }
  if (levels.includes('district')) {
    model.areas.forEach((area) => {
      if (area.level !== 'district') return;
      results.push(figures(area, 'district', sozialraumIndexes.filter((child) => model.areas[child]!.parentId === area.id)));
    });
  }
  if (levels.includes('area_set')) {
    model.areas.forEach((area) => {
      if (area.level === 'area_set') results.push(figures(area, 'area_set', memberIndexesOf(model, area, sozialraumIndexes)));
    });
  }
  if (levels.includes('city')) {
    const cities = model.areas.filter((area) => area.level === 'city');
    const city = cities.length === 1 ? cities[0]! : { id: syntheticCityId, code: syntheticCityId, name: 'Gesamtstadt' };
    results.push(figures(city, 'city', sozialraumIndexes));
  }
  return results;
}
