import type { Knex } from 'knex';
import { createStreetKernel, type StreetKernel } from '../streets/streets.service.ts';
import type { TaxonomiesService } from '../taxonomies/taxonomies.service.ts';
import { aggregateCoverage, computePointOutcome, type CoverageModel, type CoverageParameters, type PointOutcome, type SupplyPoint } from './coverage-compute.ts';
import { loadDemand, type DemandStatistics } from './coverage-demand-statistics.ts';
import { listGaps } from './coverage-gaps.ts';
import { buildMethod, type MethodInputs } from './coverage-method.ts';
import { createCoverageModelCache } from './coverage-model.ts';
import { areaProfile } from './coverage-profile.ts';
import { coverageTermsOf, resolveReach, resolveTerms, type FieldLocation, type Question, type TermRecord } from './coverage-question.ts';
import { placeHypotheticalOffers } from './coverage-scenario.ts';
import { loadSupply, type Supply } from './coverage-supply.ts';
import { suggestLocations } from './coverage-suggest.ts';
import { listSegmentGeometries, listStreetSources } from './coverage.repo.ts';
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
  gaps(query: GapsQuery): Promise<GapsResult>;
  scenario(body: ScenarioBody): Promise<ScenarioResult>;
  /** Population time series of an area against the city, and the offers in it. */
  profile(areaId: string, query: ProfileQuery): Promise<AreaProfile>;
  /** Locations where one new offer would reach most uncovered target residents of the given areas (greedy). */
  suggest(question: SuggestQuestion): Promise<SuggestResult>;
  /** Drops the cached model and street network (the next question rebuilds them). */
  invalidate(): void;
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
  model?: Promise<CoverageModel>;
  terms?: Promise<TermRecord[]>;
  streetSources?: Promise<string[]>;
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
}

// eslint-disable-next-line max-lines-per-function -- a service factory: a closure over its injected dependencies; each method is counted on its own
export function createCoverageService(deps: CoverageServiceDependencies): CoverageService {
  const { db } = deps;
  const coverageTerms = async () => coverageTermsOf(await deps.taxonomies.list());
  const streets = deps.streets ?? createStreetKernel({ db });
  const mapping = deps.demandMapping ?? loadDemandMapping();
  const models = createCoverageModelCache(db, streets);

  async function prepare(question: Question, location: FieldLocation, memo?: BatchMemo): Promise<Prepared> {
    const started = performance.now();
    const computedAt = new Date().toISOString();
    const [model, allTerms] = await Promise.all([
      memo ? (memo.model ??= models.current()) : models.current(),
      memo ? (memo.terms ??= coverageTerms()) : coverageTerms(),
    ]);
    const terms = resolveTerms(allTerms, mapping, question, location);
    const reach = resolveReach(terms, question, streets.detourFactor);
    const [demand, streetSources] = await Promise.all([
      once(memo?.demand, `${terms.targetGroupCode}|${question.year ?? ''}`, () => loadDemand(db, model, terms, question.year, location)),
      memo ? (memo.streetSources ??= listStreetSources(db)) : listStreetSources(db),
    ]);
    const supply = await once(memo?.supply, `${terms.offerTypeTerm?.id ?? ''}|${terms.targetGroupTerm?.id ?? ''}`, () =>
      loadSupply(db, model, allTerms, terms),
    );
    const parameters: CoverageParameters = { mode: reach.mode, reachMeters: reach.meters, detourFactor: reach.detourFactor, bands: reach.bands };
    return { model, terms, reach, demand, supply, streetSources, computedAt, parameters, started };
  }

  function outcomeOf(prepared: Prepared, supply: readonly SupplyPoint[]): PointOutcome {
    return computePointOutcome(prepared.model, prepared.demand.demand, supply, prepared.parameters);
  }

  /** The method note, written once the answer is computed (its time included). */
  function methodOf(prepared: Prepared, outcome: PointOutcome): CoverageMethod {
    return buildMethod(prepared, outcome, Math.round(performance.now() - prepared.started));
  }

  return {
    async coverage(query, location = 'query') {
      const prepared = await prepare(query, location);
      const { model, demand, supply, parameters } = prepared;
      const outcome = outcomeOf(prepared, supply.points);
      const areas = aggregateCoverage(model, demand.demand, supply.points, outcome, parameters.reachMeters, levelsOf(query.level));
      return { method: methodOf(prepared, outcome), areas };
    },

    async coverageMany(queries) {
      const memo: BatchMemo = { demand: new Map(), supply: new Map() };
      const results: CoverageResult[] = [];
      for (const query of queries) {
        const prepared = await prepare(query, 'body', memo);
        const { model, demand, supply, parameters } = prepared;
        const outcome = outcomeOf(prepared, supply.points);
        const areas = aggregateCoverage(model, demand.demand, supply.points, outcome, parameters.reachMeters, levelsOf(query.level));
        results.push({ method: methodOf(prepared, outcome), areas });
      }
      return results;
    },

    async gaps(query) {
      const prepared = await prepare(query, 'query');
      const { model, demand, supply, parameters } = prepared;
      const outcome = outcomeOf(prepared, supply.points);
      const { totalUncovered, features } = await listGaps(
        db,
        { model, demand: demand.demand, supply: supply.points, outcome, reachMeters: parameters.reachMeters },
        query,
      );
      return { type: 'FeatureCollection', method: methodOf(prepared, outcome), totalUncovered, features };
    },

    async scenario(body) {
      const prepared = await prepare(body, 'body');
      const { model, demand, supply } = prepared;
      const { hypothetical, placements } = await placeHypotheticalOffers(db, model, body.offers, supply.measure);
      const reach = prepared.parameters.reachMeters;
      const baselineOutcome = outcomeOf(prepared, supply.points);
      const scenarioSupply = [...supply.points, ...hypothetical];
      const scenarioOutcome = outcomeOf(prepared, scenarioSupply);
      const baseline = aggregateCoverage(model, demand.demand, supply.points, baselineOutcome, reach);
      const scenario = aggregateCoverage(model, demand.demand, scenarioSupply, scenarioOutcome, reach);
      return {
        // The note describes the scenario's distances (with the hypothetical offers).
        method: methodOf(prepared, scenarioOutcome),
        hypotheticalOffers: placements,
        baseline,
        scenario,
      };
    },

    profile(areaId, query) {
      return areaProfile(db, mapping, coverageTerms, areaId, query);
    },

    async suggest(question) {
      const prepared = await prepare(question, 'body');
      const { model, parameters } = prepared;
      const demand = prepared.demand.demand;
      const outcome = outcomeOf(prepared, prepared.supply.points);
      const wanted = new Set(question.areaIds);
      // A district or the city stands for the Sozialräume within it.
      const areaIndexes = new Set<number>();
      model.areas.forEach((area, index) => {
        if (area.level !== 'sozialraum') return;
        const district = area.parentId ? model.areas.find((candidate) => candidate.id === area.parentId) : undefined;
        if (wanted.has(area.id) || (district && (wanted.has(district.id) || (district.parentId !== null && wanted.has(district.parentId))))) {
          areaIndexes.add(index);
        }
      });
      let uncoveredResidents = 0;
      for (let index = 0; index < demand.population.length; index++) {
        if (areaIndexes.has(demand.area[index]!) && outcome.distance[index]! > parameters.reachMeters) uncoveredResidents += demand.population[index]!;
      }
      const candidateLimit = 40;
      const points = suggestLocations(model, demand, outcome, parameters, { areaIndexes, count: question.count, candidateLimit });
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
