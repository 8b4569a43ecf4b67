import type { Knex } from 'knex';
import { aggregateCoverage, type CoverageModel, type DemandPoints, type PointOutcome, type SupplyPoint } from './coverage-compute.ts';
import { listAreaGeometries, listSegmentGeometries } from './coverage.repo.ts';
import type { GapProperties, GapsQuery, GapsResult } from './coverage.schema.ts';

// Coverage gaps: residents beyond the reach, per street segment or per Sozialraum, largest first,
// as GeoJSON features.

type Gap = Omit<GapProperties, 'rank'> & { key: string };

export interface GapInputs {
  model: CoverageModel;
  demand: DemandPoints;
  supply: readonly SupplyPoint[];
  outcome: PointOutcome;
  reachMeters: number;
}

function segmentGaps({ model, demand, outcome, reachMeters }: GapInputs): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 0; i < demand.population.length; i++) {
    const population = demand.population[i]!;
    if (population <= 0 || outcome.distance[i]! <= reachMeters) continue;
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
  return gaps;
}

function areaGaps({ model, demand, supply, outcome, reachMeters }: GapInputs): Gap[] {
  const areas = aggregateCoverage(model, demand, supply, outcome, reachMeters, ['sozialraum']);
  return areas
    .filter((area) => area.uncoveredPopulation > 0)
    .map((area) => ({
      key: `area-${area.areaId}`,
      kind: 'area' as const,
      segmentId: null,
      streetName: null,
      areaId: area.areaId,
      areaCode: area.code,
      areaName: area.name,
      uncoveredResidents: area.uncoveredPopulation,
      distanceMeters: area.medianDistanceMeters,
    }));
}

export async function listGaps(
  db: Knex,
  inputs: GapInputs,
  query: Pick<GapsQuery, 'unit' | 'limit'>,
): Promise<Pick<GapsResult, 'totalUncovered' | 'features'>> {
  const gaps = (query.unit ?? 'segments') === 'segments' ? segmentGaps(inputs) : areaGaps(inputs);
  gaps.sort((left, right) => right.uncoveredResidents - left.uncoveredResidents || left.key.localeCompare(right.key));
  const totalUncovered = gaps.reduce((sum, gap) => sum + gap.uncoveredResidents, 0);
  const shown = gaps.slice(0, query.limit ?? 500);
  const segmentGeometries = await listSegmentGeometries(
    db,
    shown.flatMap((gap) => (gap.segmentId !== null ? [gap.segmentId] : [])),
  );
  const areaGeometries = await listAreaGeometries(
    db,
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
  return { totalUncovered, features };
}
