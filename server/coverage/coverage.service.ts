import type { Knex } from 'knex';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import {
  buildDemandPoints,
  buildPlacements,
  type CoverageModel,
  type CoverageParameters,
  type DemandPoints,
  type ModelSegment,
  type PointOutcome,
  type SupplyPoint,
} from './coverage-compute.ts';
import {
  findArea,
  listAreaGeometries,
  listAreaSeries,
  listOffersInArea,
  listCoverageAreas,
  listCoverageTerms,
  listDemandStatistics,
  listIndicatorLabels,
  listMatchingSupply,
  listNetworkSegments,
  listSegmentGeometries,
  listStatisticsYears,
  listStreetSources,
  placePoints,
  readNetworkSignature,
  type SnapRecord,
  type TermRecord,
} from './coverage.repo.ts';
import type {
  AreaCoverage,
  AreaProfile,
  ProfileQuery,
  CoverageLevel,
  CoverageMethod,
  CoverageQuery,
  CoverageResult,
  DistanceBandInput,
  GapProperties,
  GapsQuery,
  GapsResult,
  HypotheticalOffer,
  ReachMode,
  ScenarioBody,
  ScenarioResult,
} from './coverage.schema.ts';
import { houseCount, loadDemandMapping, targetGroupForOfferType, type DemandMapping } from './demand.ts';
import { buildStreetNetwork, type NetworkSource } from './network-graph.ts';
import { defaultBands } from './e2sfca.ts';
import { inlineCoverageComputer, type CoverageComputer, type CoverageRun } from './coverage.task.ts';

export const defaultDetourFactor = 1.3;
const defaultTargetGroupReach = { mode: 'walk' as ReachMode, meters: 1000 };
const areaReachFallback = { mode: 'airline' as ReachMode, meters: 1000 };

type FieldLocation = 'query' | 'body';

export interface CoverageService {
  coverage(query: CoverageQuery, location?: FieldLocation): Promise<CoverageResult>;
  gaps(query: GapsQuery): Promise<GapsResult>;
  scenario(body: ScenarioBody): Promise<ScenarioResult>;
  /** Population time series of an area against the city, and the offers in it. */
  profile(areaId: string, query: ProfileQuery): Promise<AreaProfile>;
  /** Drops the cached street graph (the next question rebuilds it). */
  invalidate(): void;
}

interface Question {
  offerType?: string | undefined;
  targetGroup?: string | undefined;
  mode?: ReachMode | undefined;
  distance?: number | undefined;
  year?: number | undefined;
  detourFactor?: number | undefined;
  bands?: DistanceBandInput[] | undefined;
}

interface Prepared {
  model: CoverageModel;
  modelKey: string;
  demand: DemandPoints;
  supply: SupplyPoint[];
  parameters: CoverageParameters;
  method: CoverageMethod;
  started: number;
}

function field(location: FieldLocation, name: string): string {
  return location === 'query' ? `query.${name}` : name;
}

function descendantsOf(terms: readonly TermRecord[], root: TermRecord): TermRecord[] {
  const result = [root];
  for (let index = 0; index < result.length; index++) {
    const parent = result[index]!;
    for (const term of terms) if (term.taxonomy === parent.taxonomy && term.parentId === parent.id) result.push(term);
  }
  return result;
}

function ancestorsOf(terms: readonly TermRecord[], term: TermRecord): TermRecord[] {
  const byId = new Map(terms.map((candidate) => [candidate.id, candidate]));
  const result: TermRecord[] = [];
  let current = term.parentId ? byId.get(term.parentId) : undefined;
  while (current && result.length < 20) {
    result.push(current);
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return result;
}

function toNetworkSource(model: CoverageModel, snap: SnapRecord): NetworkSource | null {
  if (snap.segmentId === null || snap.fraction === null || snap.offsetMeters === null) return null;
  const segmentIndex = model.segmentIndexById.get(snap.segmentId);
  if (segmentIndex === undefined) return null;
  return { segmentIndex, fraction: snap.fraction, offsetMeters: snap.offsetMeters };
}

export function createCoverageService(deps: {
  db: Knex;
  demandMapping?: DemandMapping;
  /** Where distances and indicators are computed: this thread by default, a worker pool in the app. */
  computer?: CoverageComputer;
}): CoverageService {
  const mapping = deps.demandMapping ?? loadDemandMapping();
  const computer = deps.computer ?? inlineCoverageComputer;
  let cached: { key: string; model: Promise<CoverageModel> } | undefined;

  async function loadModel(): Promise<CoverageModel> {
    const [areas, segments] = await Promise.all([listCoverageAreas(deps.db), listNetworkSegments(deps.db)]);
    const modelSegments: ModelSegment[] = segments.map((segment) => ({
      id: segment.id,
      areaId: segment.areaId,
      houses: houseCount(segment),
      lengthMeters: segment.lengthMeters,
      midLon: segment.midLon,
      midLat: segment.midLat,
    }));
    return {
      areas,
      segments: modelSegments,
      network: segments.length > 0 ? buildStreetNetwork(segments) : null,
      segmentIndexById: new Map(segments.map((segment, index) => [segment.id, index])),
      placements: buildPlacements(areas, modelSegments),
    };
  }

  async function currentModel(): Promise<{ key: string; model: CoverageModel }> {
    const key = JSON.stringify(await readNetworkSignature(deps.db));
    if (!cached || cached.key !== key) {
      const model = loadModel();
      cached = { key, model };
      model.catch(() => {
        if (cached?.model === model) cached = undefined;
      });
    }
    return { key: cached.key, model: await cached.model };
  }

  async function prepare(question: Question, location: FieldLocation): Promise<Prepared> {
    const started = performance.now();
    const [{ key: modelKey, model }, terms] = await Promise.all([currentModel(), listCoverageTerms(deps.db)]);

    // What is asked: an offer type (with its sub-types) and/or a target group.
    let offerTypeTerm: TermRecord | undefined;
    if (question.offerType) {
      offerTypeTerm = terms.find((term) => term.taxonomy === 'offer_type' && term.code === question.offerType);
      if (!offerTypeTerm) {
        throw new ValidationError([
          { field: field(location, 'offerType'), code: 'unknown_code', message: `there is no offer type "${question.offerType}"` },
        ]);
      }
    }
    let targetGroupTerm: TermRecord | undefined;
    if (question.targetGroup) {
      targetGroupTerm = terms.find((term) => term.taxonomy === 'target_group' && term.code === question.targetGroup);
      if (!targetGroupTerm) {
        throw new ValidationError([
          { field: field(location, 'targetGroup'), code: 'unknown_code', message: `there is no target group "${question.targetGroup}"` },
        ]);
      }
    }
    const offerTypeAncestors = offerTypeTerm ? ancestorsOf(terms, offerTypeTerm) : [];
    const targetGroupCode =
      targetGroupTerm?.code ??
      (offerTypeTerm ? targetGroupForOfferType(mapping, offerTypeTerm.code, offerTypeAncestors.map((term) => term.code)) : undefined);
    const demandDefinition = targetGroupCode ? mapping.targetGroups[targetGroupCode] : undefined;
    if (!targetGroupCode || !demandDefinition) {
      const name = targetGroupTerm ? 'targetGroup' : 'offerType';
      throw new ValidationError([
        {
          field: field(location, name),
          code: 'no_demand_mapping',
          message: `geodata/coverage-demand.json does not say which residents "${targetGroupTerm?.code ?? offerTypeTerm?.code}" serves; known target groups: ${Object.keys(mapping.targetGroups).join(', ')}`,
        },
      ]);
    }
    const targetGroupRecord = terms.find((term) => term.taxonomy === 'target_group' && term.code === targetGroupCode);

    // Reach: asked for, else the offer type's default (inherited from its parent).
    const reachSource = offerTypeTerm
      ? [offerTypeTerm, ...offerTypeAncestors].find((term) => term.defaultReachKind !== null)
      : undefined;
    let defaultReach = defaultTargetGroupReach;
    let reachNote = offerTypeTerm ? '' : 'No offer type given: the default is 1,000 m walking distance.';
    let reachBasis: CoverageMethod['reach']['basis'] = offerTypeTerm ? 'default' : 'no_offer_type';
    if (reachSource?.defaultReachKind === 'walk' && reachSource.defaultReachMeters) {
      defaultReach = { mode: 'walk', meters: reachSource.defaultReachMeters };
      reachNote = `Default reach of "${reachSource.code}": ${reachSource.defaultReachMeters} m walking distance.`;
      reachBasis = 'offer_type_walk';
    } else if (reachSource?.defaultReachKind === 'radius' && reachSource.defaultReachMeters) {
      defaultReach = { mode: 'airline', meters: reachSource.defaultReachMeters };
      reachNote = `Default reach of "${reachSource.code}": ${reachSource.defaultReachMeters} m airline distance.`;
      reachBasis = 'offer_type_radius';
    } else if (reachSource?.defaultReachKind === 'area') {
      defaultReach = areaReachFallback;
      reachNote = `"${reachSource.code}" serves a whole area by default; coverage is measured with the BBSR standard of 1,000 m airline distance.`;
      reachBasis = 'offer_type_area';
    }
    const mode = question.mode ?? defaultReach.mode;
    const reachMeters = question.distance ?? (question.mode && question.mode !== defaultReach.mode ? 1000 : defaultReach.meters);
    if (question.mode || question.distance) {
      reachNote = `Reach set in the request: ${reachMeters} m ${mode === 'walk' ? 'walking' : 'airline'} distance.`;
      reachBasis = 'request';
    }
    const detourFactor = question.detourFactor ?? defaultDetourFactor;
    const bands = question.bands ?? defaultBands(reachMeters);

    // Demand: the first indicator set with statistics for the year.
    const allCodes = [...new Set(demandDefinition.indicatorSets.flat())];
    const years = await listStatisticsYears(deps.db, allCodes);
    const yearsOf = (set: readonly string[]): number[] => {
      const perCode = set.map((code) => new Set(years.filter((row) => row.indicatorCode === code).map((row) => row.year)));
      return [...(perCode[0] ?? new Set<number>())].filter((year) => perCode.every((codeYears) => codeYears.has(year))).sort();
    };
    const candidates = demandDefinition.indicatorSets.map((set) => ({ set, years: yearsOf(set) })).filter((entry) => entry.years.length > 0);
    if (candidates.length === 0) {
      throw new NotFoundError(
        `There are no Sozialraum statistics for the target group "${targetGroupCode}" (indicators ${allCodes.join(', ')}); import population statistics first.`,
        'statistics_not_found',
      );
    }
    const availableYears = [...new Set(candidates.flatMap((entry) => entry.years))].sort();
    const chosen = question.year ? candidates.find((entry) => entry.years.includes(question.year!)) : candidates[0];
    if (!chosen) {
      throw new ValidationError([
        {
          field: field(location, 'year'),
          code: 'no_statistics_for_year',
          message: `there are no statistics for ${question.year}; available years: ${availableYears.join(', ')}`,
        },
      ]);
    }
    const year = question.year ?? chosen.years[chosen.years.length - 1]!;
    const [statistics, labels, streetSources] = await Promise.all([
      listDemandStatistics(deps.db, chosen.set, year),
      listIndicatorLabels(deps.db, chosen.set),
      listStreetSources(deps.db),
    ]);
    const populationByArea = new Map<string, number>();
    for (const row of statistics) populationByArea.set(row.areaId, (populationByArea.get(row.areaId) ?? 0) + row.value);
    const demand = buildDemandPoints(model, populationByArea);

    // Supply: matching offers, one point per location.
    const supplyRows = await listMatchingSupply(deps.db, {
      offerTypeIds: offerTypeTerm ? descendantsOf(terms, offerTypeTerm).map((term) => term.id) : null,
      targetGroupIds: targetGroupTerm ? descendantsOf(terms, targetGroupTerm).map((term) => term.id) : null,
    });
    const locationsPerOffer = new Map<string, number>();
    for (const row of supplyRows) locationsPerOffer.set(row.offerId, (locationsPerOffer.get(row.offerId) ?? 0) + 1);
    const offerIds = [...locationsPerOffer.keys()];
    const capacityKnownFor = new Set(supplyRows.filter((row) => row.capacity !== null).map((row) => row.offerId)).size;
    const supplyMeasure: 'capacity' | 'offers' = offerIds.length > 0 && capacityKnownFor === offerIds.length ? 'capacity' : 'offers';
    const areaIndexById = new Map(model.areas.map((area, index) => [area.id, index]));
    const supply: SupplyPoint[] = supplyRows.map((row) => {
      const share = 1 / (locationsPerOffer.get(row.offerId) ?? 1);
      return {
        offerId: row.offerId,
        lon: row.lon,
        lat: row.lat,
        area: row.areaId ? (areaIndexById.get(row.areaId) ?? -1) : -1,
        amount: (supplyMeasure === 'capacity' ? (row.capacity ?? 0) : 1) * share,
        capacity: row.capacity === null ? null : row.capacity * share,
        source: toNetworkSource(model, row),
      };
    });

    const counts = { houseNumbers: 0, length: 0, area: 0 };
    for (const placement of model.placements.values()) {
      if (placement.weighting === 'house_numbers') counts.houseNumbers += 1;
      else if (placement.weighting === 'length') counts.length += 1;
      else counts.area += 1;
    }
    const snapOffsets = supply.flatMap((point) => (point.source ? [point.source.offsetMeters] : []));
    const periods = [...new Set(statistics.map((row) => row.period))].sort();
    const statisticSources = [...new Set(statistics.flatMap((row) => (row.source ? [row.source] : [])))].sort();
    const maxDate = (values: (string | null)[]): string | null =>
      values.reduce<string | null>((latest, value) => (value && (!latest || value > latest) ? value : latest), null);
    const method: CoverageMethod = {
      offerType: offerTypeTerm ? { code: offerTypeTerm.code, label: offerTypeTerm.labelDe } : null,
      targetGroup: { code: targetGroupCode, label: targetGroupRecord?.labelDe ?? targetGroupCode },
      demand: {
        indicators: chosen.set.map((code) => ({ code, label: labels.find((label) => label.code === code)?.labelDe ?? code })),
        year,
        period: periods[periods.length - 1] ?? `${year}-12-31`,
        availableYears,
        spreading:
          'Residents of each Sozialraum are spread over its street segments in proportion to their house-number count (from the house-number ranges), by length where an area has no house numbers, and kept at a point inside the area where it has no streets.',
        weighting: counts,
      },
      reach: {
        mode,
        meters: reachMeters,
        detourFactor: mode === 'walk' ? detourFactor : null,
        measuredOn: 'airline',
        defaultFromOfferType: !question.mode && !question.distance && Boolean(reachSource),
        basis: reachBasis,
        note: reachNote,
      },
      supply: {
        offers: offerIds.length,
        locations: supply.length,
        filter: 'published, active, not archived offers of the offer type and its sub-types',
        capacityKnownFor,
        locationsOutsideAreas: supply.filter((point) => point.area < 0).length,
      },
      e2sfca: {
        bands,
        supplyMeasure,
        note:
          'Enhanced two-step floating catchment area (Luo & Qi 2009): supply per weighted resident within each catchment, summed per resident with the band weights; shown per 1,000 target residents.',
      },
      network: model.network
        ? {
            segments: model.network.segmentCount,
            nodes: model.network.nodeCount,
            snappedLocations: snapOffsets.length,
            maxSnapOffsetMeters: snapOffsets.length > 0 ? Math.max(...snapOffsets) : null,
          }
        : null,
      dataDates: {
        statistics: periods[periods.length - 1] ?? `${year}-12-31`,
        offersUpdated: maxDate(supplyRows.map((row) => row.updatedAt)),
        offersVerified: maxDate(supplyRows.map((row) => row.verifiedAt)),
      },
      sources: [...statisticSources, ...streetSources.map((source) => `streets: ${source}`), 'offers: Angebotsatlas inventory'],
      computedAt: new Date().toISOString(),
      computeMilliseconds: 0,
    };
    return { model, modelKey, demand, supply, parameters: { mode, reachMeters, detourFactor, bands }, method, started };
  }

  /** The CPU-heavy part, run by the injected computer (a worker thread in the app). */
  async function compute(prepared: Prepared, runs: CoverageRun[]) {
    const results = await computer.run(prepared.model, {
      modelKey: prepared.modelKey,
      demand: prepared.demand,
      parameters: prepared.parameters,
      runs,
    });
    for (const result of results) noteMeasuredOn(prepared, result.outcome);
    return results;
  }

  function noteMeasuredOn(prepared: Prepared, outcome: PointOutcome): void {
    const { network, airline, airlineWithDetour } = outcome.measuredOn;
    const used = [network > 0, airline > 0, airlineWithDetour > 0].filter(Boolean).length;
    prepared.method.reach.measuredOn =
      used > 1 ? 'mixed' : network > 0 ? 'street_network' : airlineWithDetour > 0 ? 'airline_with_detour' : 'airline';
    if (prepared.parameters.mode === 'airline') prepared.method.reach.measuredOn = 'airline';
  }

  function finish(prepared: Prepared): CoverageMethod {
    prepared.method.computeMilliseconds = Math.round(performance.now() - prepared.started);
    return prepared.method;
  }

  function levelsOf(level: CoverageLevel | undefined): CoverageLevel[] {
    return level ? [level] : ['sozialraum', 'district', 'city'];
  }

  return {
    async coverage(query, location = 'query') {
      const prepared = await prepare(query, location);
      const [result] = await compute(prepared, [{ supply: prepared.supply, levels: levelsOf(query.level) }]);
      return { method: finish(prepared), areas: result!.areas ?? [] };
    },

    async gaps(query) {
      const prepared = await prepare(query, 'query');
      const { model, demand } = prepared;
      const reach = prepared.parameters.reachMeters;
      const unit = query.unit ?? 'segments';
      const [result] = await compute(prepared, [{ supply: prepared.supply, levels: unit === 'segments' ? null : ['sozialraum'] }]);
      const outcome = result!.outcome;
      const limit = query.limit ?? 500;
      type Gap = Omit<GapProperties, 'rank'> & { key: string };
      const gaps: Gap[] = [];
      if (unit === 'segments') {
        for (let i = 0; i < demand.population.length; i++) {
          const population = demand.population[i]!;
          if (population <= 0 || outcome.distance[i]! <= reach) continue;
          const area = model.areas[demand.area[i]!]!;
          const segmentIndex = demand.segment[i]!;
          const distance = outcome.distance[i]!;
          gaps.push({
            key: segmentIndex >= 0 ? `segment-${model.segments[segmentIndex]!.id}` : `area-${area.id}`,
            kind: segmentIndex >= 0 ? 'segment' : 'area',
            segmentId: segmentIndex >= 0 ? model.segments[segmentIndex]!.id : null,
            streetName: null,
            areaId: area.id,
            areaCode: area.code,
            areaName: area.name,
            uncoveredResidents: population,
            distanceMeters: Number.isFinite(distance) ? distance : null,
          });
        }
      } else {
        for (const area of result!.areas ?? []) {
          if (area.uncoveredPopulation <= 0) continue;
          gaps.push({
            key: `area-${area.areaId}`,
            kind: 'area',
            segmentId: null,
            streetName: null,
            areaId: area.areaId,
            areaCode: area.code,
            areaName: area.name,
            uncoveredResidents: area.uncoveredPopulation,
            distanceMeters: area.medianDistanceMeters,
          });
        }
      }
      gaps.sort((left, right) => right.uncoveredResidents - left.uncoveredResidents || left.key.localeCompare(right.key));
      const totalUncovered = gaps.reduce((sum, gap) => sum + gap.uncoveredResidents, 0);
      const shown = gaps.slice(0, limit);
      const segmentGeometries = await listSegmentGeometries(
        deps.db,
        shown.flatMap((gap) => (gap.segmentId !== null ? [gap.segmentId] : [])),
      );
      const areaGeometries = await listAreaGeometries(
        deps.db,
        shown.filter((gap) => gap.kind === 'area').map((gap) => gap.areaId),
      );
      const features = shown.flatMap((gap, index) => {
        const segment = gap.segmentId !== null ? segmentGeometries.get(gap.segmentId) : undefined;
        const geometry: GeoJSON.Geometry | undefined = segment?.geometry ?? areaGeometries.get(gap.areaId);
        if (!geometry) return [];
        const { key, ...properties } = gap;
        return [
          {
            type: 'Feature' as const,
            id: key,
            properties: { rank: index + 1, ...properties, streetName: segment?.streetName ?? null },
            geometry,
          },
        ];
      });
      return { type: 'FeatureCollection', method: finish(prepared), totalUncovered, features };
    },

    async scenario(body) {
      const prepared = await prepare(body, 'body');
      const placed = await placePoints(deps.db, body.offers);
      const areaIndexById = new Map(prepared.model.areas.map((area, index) => [area.id, index]));
      const capacityMeasure = prepared.method.e2sfca.supplyMeasure === 'capacity';
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
          source: toNetworkSource(prepared.model, place),
        };
      });
      const scenarioSupply = [...prepared.supply, ...hypothetical];
      const levels: CoverageLevel[] = ['sozialraum', 'district', 'city'];
      const [baselineResult, scenarioResult] = await compute(prepared, [
        { supply: prepared.supply, levels },
        { supply: scenarioSupply, levels },
      ]);
      const baseline: AreaCoverage[] = baselineResult!.areas ?? [];
      const scenario: AreaCoverage[] = scenarioResult!.areas ?? [];
      return {
        method: finish(prepared),
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
      const area = await findArea(deps.db, areaId);
      if (!area) throw new NotFoundError(`There is no area ${areaId}.`, 'area_not_found');
      const terms = await listCoverageTerms(deps.db);
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
        listAreaSeries(deps.db, area.id, codes),
        listIndicatorLabels(deps.db, codes),
        listOffersInArea(deps.db, area.id, offerTypeTerm ? descendantsOf(terms, offerTypeTerm).map((term) => term.id) : null),
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
      cached = undefined;
    },
  };
}
