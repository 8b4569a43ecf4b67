import type { CoverageModel, PointOutcome } from './coverage-compute.ts';
import type { DemandStatistics } from './coverage-demand-statistics.ts';
import type { Reach, ResolvedTerms } from './coverage-question.ts';
import type { Supply } from './coverage-supply.ts';
import type { CoverageMethod } from './coverage.schema.ts';

// The method note of an answer (docs/coverage-method.md): what was asked, which residents, which
// reach, which supply, which network — written once, after the computation, from what the
// question, demand, supply and outcome say.

export interface MethodInputs {
  model: CoverageModel;
  terms: ResolvedTerms;
  reach: Reach;
  demand: DemandStatistics;
  supply: Supply;
  streetSources: string[];
  computedAt: string;
}

const spreading =
  'Residents of each Sozialraum are spread over its street segments in proportion to their house-number count (from the house-number ranges), by length where an area has no house numbers, and kept at a point inside the area where it has no streets.';
const e2sfcaNote =
  'Enhanced two-step floating catchment area (Luo & Qi 2009): supply per weighted resident within each catchment, summed per resident with the band weights; shown per 1,000 target residents.';

/** What the distances of an outcome were measured on. */
export function measuredOnOf(outcome: Pick<PointOutcome, 'measuredOn'>, mode: Reach['mode']): CoverageMethod['reach']['measuredOn'] {
  if (mode === 'airline') return 'airline';
  const { network, airline, airlineWithDetour } = outcome.measuredOn;
  const used = [network > 0, airline > 0, airlineWithDetour > 0].filter(Boolean).length;
  return used > 1 ? 'mixed' : network > 0 ? 'street_network' : airlineWithDetour > 0 ? 'airline_with_detour' : 'airline';
}

function latest(values: (string | null)[]): string | null {
  return values.reduce<string | null>((found, value) => (value && (!found || value > found) ? value : found), null);
}

function weightingCounts(model: CoverageModel): CoverageMethod['demand']['weighting'] {
  const counts = { houseNumbers: 0, length: 0, area: 0 };
  for (const placement of model.placements.values()) {
    if (placement.weighting === 'house_numbers') counts.houseNumbers += 1;
    else if (placement.weighting === 'length') counts.length += 1;
    else counts.area += 1;
  }
  return counts;
}

export function buildMethod(inputs: MethodInputs, outcome: Pick<PointOutcome, 'measuredOn'>, computeMilliseconds: number): CoverageMethod {
  const { model, terms, reach, demand, supply } = inputs;
  const snapOffsets = supply.points.flatMap((point) => (point.source ? [point.source.offsetMeters] : []));
  const periods = [...new Set(demand.statistics.map((row) => row.period))].sort();
  const period = periods[periods.length - 1] ?? `${demand.year}-12-31`;
  const statisticSources = [...new Set(demand.statistics.flatMap((row) => (row.source ? [row.source] : [])))].sort();
  return {
    offerType: terms.offerTypeTerm ? { code: terms.offerTypeTerm.code, label: terms.offerTypeTerm.labelDe } : null,
    targetGroup: { code: terms.targetGroupCode, label: terms.targetGroupLabel },
    demand: {
      indicators: demand.indicators,
      year: demand.year,
      period,
      availableYears: demand.availableYears,
      spreading,
      weighting: weightingCounts(model),
    },
    reach: {
      mode: reach.mode,
      meters: reach.meters,
      detourFactor: reach.mode === 'walk' ? reach.detourFactor : null,
      measuredOn: measuredOnOf(outcome, reach.mode),
      defaultFromOfferType: reach.defaultFromOfferType,
      basis: reach.basis,
      note: reach.note,
    },
    supply: {
      offers: supply.offers,
      locations: supply.points.length,
      filter: 'published, active, not archived offers of the offer type and its sub-types',
      capacityKnownFor: supply.capacityKnownFor,
      locationsOutsideAreas: supply.points.filter((point) => point.area < 0).length,
    },
    e2sfca: { bands: reach.bands, supplyMeasure: supply.measure, note: e2sfcaNote },
    network: model.network
      ? {
          segments: model.network.segmentCount,
          nodes: model.network.nodeCount,
          snappedLocations: snapOffsets.length,
          maxSnapOffsetMeters: snapOffsets.length > 0 ? Math.max(...snapOffsets) : null,
        }
      : null,
    dataDates: {
      statistics: period,
      offersUpdated: latest(supply.rows.map((row) => row.updatedAt)),
      offersVerified: latest(supply.rows.map((row) => row.verifiedAt)),
    },
    sources: [...statisticSources, ...inputs.streetSources.map((source) => `streets: ${source}`), 'offers: Angebotsatlas inventory'],
    computedAt: inputs.computedAt,
    computeMilliseconds,
  };
}
