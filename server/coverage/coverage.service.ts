import type { Knex } from 'knex';
import { createStreetKernel, type StreetKernel } from '../streets/streets.service.ts';
import type { TaxonomiesService } from '../taxonomies/taxonomies.service.ts';
import {
  aggregateReachFigures,
  computeNearestDistances,
  type AreaReachFigures,
  type CoverageModel,
  type CoverageParameters,
  type NearestDistances,
  type PointOutcome,
} from './coverage-compute.ts';
import { loadDemand, type DemandStatistics } from './coverage-demand-statistics.ts';
import { listGaps } from './coverage-gaps.ts';
import { buildMethod, type MethodInputs } from './coverage-method.ts';
import { createCoverageModelCache, type LoadedModel } from './coverage-model.ts';
import { areaProfile } from './coverage-profile.ts';
import { coverageTermsOf, resolveReach, resolveTerms, type FieldLocation, type Question, type TermRecord } from './coverage-question.ts';
import { placeHypotheticalOffers } from './coverage-scenario.ts';
import { loadSupply, type Supply } from './coverage-supply.ts';
import { inlineCoverageComputer, type CoverageComputer, type CoverageRun, type CoverageRunResult } from './coverage.task.ts';
import { listSegmentGeometries } from './coverage.repo.ts';
import type {
  AreaProfile,
  CoverageLevel,
  CoverageMethod,
  CoverageQuery,
  CoverageResult,
  GapsQuery,
  GapsResult,
  ProfileQuery,
  ScenarioBody,
  ScenarioResult,
} from './coverage.schema.ts';
import { loadDemandMapping, type DemandMapping } from './demand.ts';

// The coverage service composes named steps: the model (coverage-model.ts), the question
// (coverage-question.ts), demand (coverage-demand-statistics.ts), supply (coverage-supply.ts), the
// computation (coverage-compute.ts), gaps (coverage-gaps.ts), what-if offers (coverage-scenario.ts),
// the area profile (coverage-profile.ts) and the method note, written once at the end
// (coverage-method.ts).

export interface CoverageService {
  coverage(query: CoverageQuery, location?: FieldLocation): Promise<CoverageResult>;
  /** Several questions at once (e.g. a monthly snapshot): model, terms, demand and supply are read once per batch. */
  coverageMany(queries: readonly CoverageQuery[]): Promise<CoverageResult[]>;
  /**
   * The reach figures of several questions (targets, covered, offers, capacity per area) for the
   * monthly snapshot: as `coverageMany`, but without median and E2SFCA, and questions that differ
   * only in distance share one nearest-distance computation.
   */
  coverageFigures(queries: readonly CoverageQuery[]): Promise<CoverageFiguresResult[]>;
  gaps(query: GapsQuery): Promise<GapsResult>;
  scenario(body: ScenarioBody): Promise<ScenarioResult>;
  /** Population time series of an area against the city, and the offers in it. */
  profile(areaId: string, query: ProfileQuery): Promise<AreaProfile>;
  /** The offers a coverage question counts (its supply) located in the given areas; districts and the city stand for their Sozialräume. */
  supplyOffers(question: Omit<ScenarioBody, 'offers'>, areaIds: readonly string[]): Promise<SupplyOffer[]>;
  /** Locations where one new offer would reach most uncovered target residents of the given areas (greedy). */
  suggest(question: SuggestQuestion): Promise<SuggestResult>;
  /** Drops the cached model and street network (the next question rebuilds them). */
  invalidate(): void;
}

export interface CoverageFiguresResult {
  method: CoverageMethod;
  areas: AreaReachFigures[];
}

export interface SupplyOffer {
  offerId: string;
  name: string;
  capacity: number | null;
  areas: { id: string; name: string }[];
}

export type SuggestQuestion = Omit<ScenarioBody, 'offers'> & { areaIds: readonly string[]; count: number };

export interface SuggestResult {
  suggestions: { lon: number; lat: number; areaId: string; areaName: string; streetName: string | null; newlyCovered: number }[];
  method: { algorithm: string; reach: CoverageMethod['reach']; candidates: number; uncoveredResidents: number };
}

/** A question resolved into everything the computation and the method note need. */
interface Prepared extends MethodInputs {
  parameters: CoverageParameters;
  started: number;
}

/**
 * What the questions of one batch share (coverageMany): the model, the terms, the street sources,
 * the demand per target group and year, the supply per offer type and target group. Read-only
 * once loaded.
 */
interface BatchMemo {
  model?: Promise<LoadedModel>;
  terms?: Promise<TermRecord[]>;
  demand: Map<string, Promise<DemandStatistics>>;
  supply: Map<string, Promise<Supply>>;
}

function once<T>(cache: Map<string, Promise<T>> | undefined, key: string, load: () => Promise<T>): Promise<T> {
  if (!cache) return load();
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = load();
    cache.set(key, loaded);
  }
  return loaded;
}

function levelsOf(level: CoverageLevel | undefined): CoverageLevel[] {
  return level ? [level] : ['sozialraum', 'district', 'city'];
}

export interface CoverageServiceDependencies {
  db: Knex;
  /**
   * The street kernel (server/streets): the network and the detour factor, shared with the search.
   * app.ts passes the one of the process; without it the service makes its own (tests, benchmarks).
   */
  streets?: StreetKernel;
  /** The only reader of taxonomy terms. */
  taxonomies: TaxonomiesService;
  demandMapping?: DemandMapping;
  /** The city this process serves (issue 13); the database's default city when left out. */
  cityId?: string;
  /** Where distances and indicators are computed: this thread by default, a worker pool in the app (coverage-pool.ts). */
  computer?: CoverageComputer;
}

/**
 * The Sozialräume (indexes into model.areas) of the given areas: a district or the city stands for
 * the Sozialräume within it, an area set for its members.
 */
function sozialraumIndexesWithin(model: CoverageModel, areaIds: readonly string[]): Set<number> {
  const wanted = new Set(areaIds);
  for (const area of model.areas) if (area.level === 'area_set' && wanted.has(area.id)) area.memberIds.forEach((id) => wanted.add(id));
  const areaIndexes = new Set<number>();
  model.areas.forEach((area, index) => {
    if (area.level !== 'sozialraum') return;
    const district = area.parentId ? model.areas.find((candidate) => candidate.id === area.parentId) : undefined;
    if (wanted.has(area.id) || (district && (wanted.has(district.id) || (district.parentId !== null && wanted.has(district.parentId))))) {
      areaIndexes.add(index);
    }
  });
  return areaIndexes;
}

// eslint-disable-next-line max-lines-per-function -- a service factory: a closure over its injected dependencies; each method is counted on its own
export function createCoverageService(deps: CoverageServiceDependencies): CoverageService {
  const { db, cityId } = deps;
  const coverageTerms = async () => coverageTermsOf(await deps.taxonomies.list());
  const streets = deps.streets ?? createStreetKernel({ db, ...(cityId === undefined ? {} : { cityId }) });
  const mapping = deps.demandMapping ?? loadDemandMapping();
  const models = createCoverageModelCache(db, cityId, streets);
  const computer = deps.computer ?? inlineCoverageComputer;

  async function prepare(question: Question, location: FieldLocation, memo?: BatchMemo): Promise<Prepared> {
    const started = performance.now();
    const computedAt = new Date().toISOString();
    const [{ model, streetSources }, allTerms] = await Promise.all([
      memo ? (memo.model ??= models.current()) : models.current(),
      memo ? (memo.terms ??= coverageTerms()) : coverageTerms(),
    ]);
    const terms = resolveTerms(allTerms, mapping, question, location);
    const reach = resolveReach(terms, question, streets.detourFactor);
    // Asked together: the database answers one after the other, but neither waits for the other's hand-back.
    const [demand, supply] = await Promise.all([
      once(memo?.demand, `${terms.targetGroupCode}|${question.year ?? ''}`, () => loadDemand(db, cityId, model, terms, question.year, location)),
      once(memo?.supply, `${terms.offerTypeTerm?.id ?? ''}|${terms.targetGroupTerm?.id ?? ''}`, () => loadSupply(db, cityId, model, allTerms, terms)),
    ]);
    const parameters: CoverageParameters = { mode: reach.mode, reachMeters: reach.meters, detourFactor: reach.detourFactor, bands: reach.bands };
    return { model, terms, reach, demand, supply, streetSources, computedAt, parameters, started };
  }

  /** The CPU-heavy part: distances, E2SFCA and (where levels are given) the indicators per area. */
  function compute(prepared: Prepared, runs: CoverageRun[]): Promise<CoverageRunResult[]> {
    return computer.run(prepared.model, { demand: prepared.demand.demand, parameters: prepared.parameters, runs });
  }

  async function computeOne(prepared: Prepared, run: CoverageRun): Promise<CoverageRunResult> {
    const [result] = await compute(prepared, [run]);
    return result!;
  }

  /** The method note, written once the answer is computed (its time included). */
  function methodOf(prepared: Prepared, outcome: Pick<PointOutcome, 'measuredOn'>): CoverageMethod {
    return buildMethod(prepared, outcome, Math.round(performance.now() - prepared.started));
  }

  return {
    async coverage(query, location = 'query') {
      const prepared = await prepare(query, location);
      const result = await computeOne(prepared, { supply: prepared.supply.points, levels: levelsOf(query.level), pointOutcome: false });
      return { method: methodOf(prepared, result), areas: result.areas ?? [] };
    },

    async coverageMany(queries) {
      const memo: BatchMemo = { demand: new Map(), supply: new Map() };
      const results: CoverageResult[] = [];
      for (const query of queries) {
        const prepared = await prepare(query, 'body', memo);
        const result = await computeOne(prepared, { supply: prepared.supply.points, levels: levelsOf(query.level), pointOutcome: false });
        results.push({ method: methodOf(prepared, result), areas: result.areas ?? [] });
      }
      return results;
    },

    async coverageFigures(queries) {
      const memo: BatchMemo = { demand: new Map(), supply: new Map() };
      const distances = new Map<string, NearestDistances>();
      const results: CoverageFiguresResult[] = [];
      for (const query of queries) {
        const prepared = await prepare(query, 'body', memo);
        const { model, demand, supply, parameters, terms } = prepared;
        // The nearest distances depend on who (demand), what (supply) and how (mode, detour), not on the reach.
        const key = [terms.targetGroupCode, query.year ?? '', terms.offerTypeTerm?.id ?? '', terms.targetGroupTerm?.id ?? '', parameters.mode, parameters.detourFactor].join('|');
        let nearest = distances.get(key);
        if (!nearest) {
          nearest = computeNearestDistances(model, demand.demand, supply.points, parameters);
          distances.set(key, nearest);
        }
        // Goals may name area sets (issue 13): the figures come for them too unless a level is asked for.
        const levels: CoverageLevel[] = query.level ? [query.level] : ['sozialraum', 'district', 'city', 'area_set'];
        const areas = aggregateReachFigures(model, demand.demand, supply.points, nearest.distance, parameters.reachMeters, levels);
        results.push({ method: methodOf(prepared, nearest), areas });
      }
      return results;
    },

    async gaps(query) {
      const prepared = await prepare(query, 'query');
      const { model, demand, supply, parameters } = prepared;
      const { outcome } = await computeOne(prepared, { supply: supply.points, levels: null, pointOutcome: true });
      if (!outcome) throw new Error('the coverage computer returned no point outcome for a gap list');
      const { totalUncovered, features } = await listGaps(
        db,
        { model, demand: demand.demand, supply: supply.points, outcome, reachMeters: parameters.reachMeters },
        query,
      );
      return { type: 'FeatureCollection', method: methodOf(prepared, outcome), totalUncovered, features };
    },

    async scenario(body) {
      const prepared = await prepare(body, 'body');
      const { model, supply } = prepared;
      const { hypothetical, placements } = await placeHypotheticalOffers(db, cityId, model, body.offers, supply.measure);
      const levels: CoverageLevel[] = ['sozialraum', 'district', 'city'];
      const [baseline, scenario] = await compute(prepared, [
        { supply: supply.points, levels, pointOutcome: false },
        { supply: [...supply.points, ...hypothetical], levels, pointOutcome: false },
      ]);
      return {
        // The note describes the scenario's distances (with the hypothetical offers).
        method: methodOf(prepared, scenario!),
        hypotheticalOffers: placements,
        baseline: baseline!.areas ?? [],
        scenario: scenario!.areas ?? [],
      };
    },

    profile(areaId, query) {
      return areaProfile(db, cityId, mapping, coverageTerms, areaId, query);
    },

    async supplyOffers(question, areaIds) {
      const prepared = await prepare(question, 'body');
      const { model, supply } = prepared;
      const areaIndexes = sozialraumIndexesWithin(model, areaIds);
      const offers = new Map<string, SupplyOffer>();
      supply.points.forEach((point, index) => {
        if (!areaIndexes.has(point.area)) return;
        const row = supply.rows[index]!;
        const area = model.areas[point.area]!;
        const offer = offers.get(row.offerId) ?? { offerId: row.offerId, name: row.name, capacity: row.capacity, areas: [] };
        if (!offer.areas.some((known) => known.id === area.id)) offer.areas.push({ id: area.id, name: area.name });
        offers.set(row.offerId, offer);
      });
      return [...offers.values()].sort((left, right) => left.name.localeCompare(right.name, 'de') || left.offerId.localeCompare(right.offerId));
    },

    async suggest(question) {
      const prepared = await prepare(question, 'body');
      const { model, parameters } = prepared;
      const demand = prepared.demand.demand;
      const areaIndexes = sozialraumIndexesWithin(model, question.areaIds);
      const candidateLimit = 40;
      const { outcome, suggestions: points } = await computer.suggest(model, {
        demand,
        parameters,
        supply: prepared.supply.points,
        areaIndexes: [...areaIndexes],
        count: question.count,
        candidateLimit,
      });
      let uncoveredResidents = 0;
      for (let index = 0; index < demand.population.length; index++) {
        if (areaIndexes.has(demand.area[index]!) && outcome.distance[index]! > parameters.reachMeters) uncoveredResidents += demand.population[index]!;
      }
      const segmentOf = (demandIndex: number) => demand.segment[demandIndex]!;
      const geometries = await listSegmentGeometries(
        db,
        points.flatMap((point) => (segmentOf(point.demandIndex) >= 0 ? [model.segments[segmentOf(point.demandIndex)]!.id] : [])),
      );
      return {
        suggestions: points.map((point) => {
          const area = model.areas[demand.area[point.demandIndex]!]!;
          const segmentIndex = segmentOf(point.demandIndex);
          return {
            lon: demand.lon[point.demandIndex]!,
            lat: demand.lat[point.demandIndex]!,
            areaId: area.id,
            areaName: area.name,
            streetName: segmentIndex >= 0 ? (geometries.get(model.segments[segmentIndex]!.id)?.streetName ?? null) : null,
            newlyCovered: point.newlyCovered,
          };
        }),
        method: {
          algorithm: `greedy maximal coverage: the ${candidateLimit} most populous uncovered demand points of the areas (street-segment midpoints) are tried as locations; each step takes the one that newly reaches the most uncovered target residents`,
          reach: methodOf(prepared, outcome).reach,
          candidates: candidateLimit,
          uncoveredResidents,
        },
      };
    },

    invalidate() {
      models.invalidate();
    },
  };
}
