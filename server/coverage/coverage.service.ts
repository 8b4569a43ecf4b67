import type { Knex } from 'knex';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import type { CoverageParameters, PointOutcome, SupplyPoint } from './coverage-compute.ts';
import { loadDemand } from './coverage-demand-statistics.ts';
import { listGaps } from './coverage-gaps.ts';
import { buildMethod, type MethodInputs } from './coverage-method.ts';
import { createCoverageModelCache, toNetworkSource } from './coverage-model.ts';
import { ancestorsOf, descendantsOf, resolveReach, resolveTerms, type FieldLocation, type Question } from './coverage-question.ts';
import { loadSupply } from './coverage-supply.ts';
import { inlineCoverageComputer, type CoverageComputer, type CoverageRun, type CoverageRunResult } from './coverage.task.ts';
import {
  findArea,
  listAreaSeries,
  listCoverageTerms,
  listIndicatorLabels,
  listOffersInArea,
  listStreetSources,
  placePoints,
} from './coverage.repo.ts';
import type {
  AreaProfile,
  CoverageLevel,
  CoverageMethod,
  CoverageQuery,
  CoverageResult,
  GapsQuery,
  GapsResult,
  HypotheticalOffer,
  ProfileQuery,
  ScenarioBody,
  ScenarioResult,
} from './coverage.schema.ts';
import { loadDemandMapping, targetGroupForOfferType, type DemandMapping } from './demand.ts';

// The coverage service composes named steps: the model (coverage-model.ts), the question
// (coverage-question.ts), demand (coverage-demand-statistics.ts), supply (coverage-supply.ts), the
// computation (coverage-compute.ts), gaps (coverage-gaps.ts) and the method note, written once at
// the end (coverage-method.ts).

export interface CoverageService {
  coverage(query: CoverageQuery, location?: FieldLocation): Promise<CoverageResult>;
  gaps(query: GapsQuery): Promise<GapsResult>;
  scenario(body: ScenarioBody): Promise<ScenarioResult>;
  /** Population time series of an area against the city, and the offers in it. */
  profile(areaId: string, query: ProfileQuery): Promise<AreaProfile>;
  /** Drops the cached street graph (the next question rebuilds it). */
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

export function createCoverageService(deps: {
  db: Knex;
  demandMapping?: DemandMapping;
  /** Where distances and indicators are computed: this thread by default, a worker pool in the app (coverage-pool.ts). */
  computer?: CoverageComputer;
}): CoverageService {
  const { db } = deps;
  const computer = deps.computer ?? inlineCoverageComputer;
  const mapping = deps.demandMapping ?? loadDemandMapping();
  const models = createCoverageModelCache(db);

  async function prepare(question: Question, location: FieldLocation): Promise<Prepared> {
    const started = performance.now();
    const computedAt = new Date().toISOString();
    const [model, allTerms] = await Promise.all([models.current(), listCoverageTerms(db)]);
    const terms = resolveTerms(allTerms, mapping, question, location);
    const reach = resolveReach(terms, question);
    const [demand, streetSources] = await Promise.all([loadDemand(db, model, terms, question.year, location), listStreetSources(db)]);
    const supply = await loadSupply(db, model, allTerms, terms);
    const parameters: CoverageParameters = { mode: reach.mode, reachMeters: reach.meters, detourFactor: reach.detourFactor, bands: reach.bands };
    return { model, terms, reach, demand, supply, streetSources, computedAt, parameters, started };
  }

  /** The CPU-heavy part: distances, E2SFCA and (where levels are given) the indicators per area. */
  function compute(prepared: Prepared, runs: CoverageRun[]): Promise<CoverageRunResult[]> {
    return computer.run(prepared.model, { demand: prepared.demand.demand, parameters: prepared.parameters, runs });
  }

  /** The method note, written once the answer is computed (its time included). */
  function methodOf(prepared: Prepared, outcome: PointOutcome): CoverageMethod {
    return buildMethod(prepared, outcome, Math.round(performance.now() - prepared.started));
  }

  return {
    async coverage(query, location = 'query') {
      const prepared = await prepare(query, location);
      const [result] = await compute(prepared, [{ supply: prepared.supply.points, levels: levelsOf(query.level) }]);
      return { method: methodOf(prepared, result!.outcome), areas: result!.areas ?? [] };
    },

    async gaps(query) {
      const prepared = await prepare(query, 'query');
      const { model, demand, supply, parameters } = prepared;
      const [result] = await compute(prepared, [{ supply: supply.points, levels: null }]);
      const outcome = result!.outcome;
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
      const placed = await placePoints(db, body.offers);
      const areaIndexById = new Map(model.areas.map((area, index) => [area.id, index]));
      const capacityMeasure = supply.measure === 'capacity';
      const errors = body.offers.flatMap((offer: HypotheticalOffer, index) => {
        const problems = [];
        if (!placed[index]?.areaId) {
          problems.push({ field: `offers.${index}`, code: 'outside_areas', message: 'lies outside every Sozialraum of the city' });
        }
        if (capacityMeasure && offer.capacity === undefined) {
          problems.push({
            field: `offers.${index}.capacity`,
            code: 'capacity_required',
            message: 'is needed: the existing offers of this type are counted by their capacity',
          });
        }
        return problems;
      });
      if (errors.length > 0) throw new ValidationError(errors);
      const hypothetical: SupplyPoint[] = body.offers.map((offer, index) => {
        const place = placed[index]!;
        return {
          offerId: `hypothetical-${index}`,
          lon: offer.lon,
          lat: offer.lat,
          area: place.areaId ? (areaIndexById.get(place.areaId) ?? -1) : -1,
          amount: capacityMeasure ? (offer.capacity ?? 0) : 1,
          capacity: offer.capacity ?? null,
          source: toNetworkSource(model, place),
        };
      });
      const scenarioSupply = [...supply.points, ...hypothetical];
      const levels: CoverageLevel[] = ['sozialraum', 'district', 'city'];
      const [baselineResult, scenarioResult] = await compute(prepared, [
        { supply: supply.points, levels },
        { supply: scenarioSupply, levels },
      ]);
      const baseline = baselineResult!.areas ?? [];
      const scenario = scenarioResult!.areas ?? [];
      return {
        // The note describes the scenario's distances (with the hypothetical offers).
        method: methodOf(prepared, scenarioResult!.outcome),
        hypotheticalOffers: body.offers.map((offer, index) => ({
          index,
          lon: offer.lon,
          lat: offer.lat,
          capacity: offer.capacity ?? null,
          name: offer.name ?? null,
          areaId: placed[index]?.areaId ?? null,
          snapOffsetMeters: placed[index]?.offsetMeters ?? null,
        })),
        baseline,
        scenario,
      };
    },

    async profile(areaId, query) {
      const area = await findArea(db, areaId);
      if (!area) throw new NotFoundError(`There is no area ${areaId}.`, 'area_not_found');
      const terms = await listCoverageTerms(db);
      const offerTypeTerm = query.offerType
        ? terms.find((term) => term.taxonomy === 'offer_type' && term.code === query.offerType)
        : undefined;
      if (query.offerType && !offerTypeTerm) {
        throw new ValidationError([{ field: 'query.offerType', code: 'unknown_code', message: `there is no offer type "${query.offerType}"` }]);
      }
      if (query.targetGroup && !mapping.targetGroups[query.targetGroup]) {
        throw new ValidationError([
          { field: 'query.targetGroup', code: 'no_demand_mapping', message: `no residents are mapped to the target group "${query.targetGroup}"` },
        ]);
      }
      const targetGroup =
        query.targetGroup ??
        (offerTypeTerm ? targetGroupForOfferType(mapping, offerTypeTerm.code, ancestorsOf(terms, offerTypeTerm).map((term) => term.code)) : undefined);
      const codes = ['population_total', ...new Set(targetGroup ? (mapping.targetGroups[targetGroup]?.indicatorSets.flat() ?? []) : [])];
      const [series, labels, offers] = await Promise.all([
        listAreaSeries(db, area.id, codes),
        listIndicatorLabels(db, codes),
        listOffersInArea(db, area.id, offerTypeTerm ? descendantsOf(terms, offerTypeTerm).map((term) => term.id) : null),
      ]);
      return {
        area,
        series: codes
          .map((code) => ({
            indicator: { code, label: labels.find((label) => label.code === code)?.labelDe ?? code },
            area: series.area.filter((point) => point.indicatorCode === code).map(({ period, value }) => ({ period, value })),
            city: series.city.filter((point) => point.indicatorCode === code).map(({ period, value }) => ({ period, value })),
          }))
          .filter((entry) => entry.area.length > 0),
        offers,
        sources: [...series.sources, 'offers: Angebotsatlas inventory'],
      };
    },

    invalidate() {
      models.invalidate();
    },
  };
}
