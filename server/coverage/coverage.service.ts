import type { Knex } from 'knex';
import { createStreetKernel, type StreetKernel } from '../streets/streets.service.ts';
import { aggregateCoverage, computePointOutcome, type CoverageParameters, type PointOutcome, type SupplyPoint } from './coverage-compute.ts';
import { loadDemand } from './coverage-demand-statistics.ts';
import { listGaps } from './coverage-gaps.ts';
import { buildMethod, type MethodInputs } from './coverage-method.ts';
import { createCoverageModelCache } from './coverage-model.ts';
import { areaProfile } from './coverage-profile.ts';
import { resolveReach, resolveTerms, type FieldLocation, type Question } from './coverage-question.ts';
import { placeHypotheticalOffers } from './coverage-scenario.ts';
import { loadSupply } from './coverage-supply.ts';
import { listCoverageTerms, listStreetSources } from './coverage.repo.ts';
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
  gaps(query: GapsQuery): Promise<GapsResult>;
  scenario(body: ScenarioBody): Promise<ScenarioResult>;
  /** Population time series of an area against the city, and the offers in it. */
  profile(areaId: string, query: ProfileQuery): Promise<AreaProfile>;
  /** Drops the cached model and street network (the next question rebuilds them). */
  invalidate(): void;
}

/** A question resolved into everything the computation and the method note need. */
interface Prepared extends MethodInputs {
  parameters: CoverageParameters;
  started: number;
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
  demandMapping?: DemandMapping;
}

export function createCoverageService(deps: CoverageServiceDependencies): CoverageService {
  const { db } = deps;
  const streets = deps.streets ?? createStreetKernel({ db });
  const mapping = deps.demandMapping ?? loadDemandMapping();
  const models = createCoverageModelCache(db, streets);

  async function prepare(question: Question, location: FieldLocation): Promise<Prepared> {
    const started = performance.now();
    const computedAt = new Date().toISOString();
    const [model, allTerms] = await Promise.all([models.current(), listCoverageTerms(db)]);
    const terms = resolveTerms(allTerms, mapping, question, location);
    const reach = resolveReach(terms, question, streets.detourFactor);
    const [demand, streetSources] = await Promise.all([loadDemand(db, model, terms, question.year, location), listStreetSources(db)]);
    const supply = await loadSupply(db, model, allTerms, terms);
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
      return areaProfile(db, mapping, areaId, query);
    },

    invalidate() {
      models.invalidate();
    },
  };
}
