import { afterAll, describe, expect, it } from 'vitest';
import { buildDemandPoints, buildPlacements, type CoverageModel, type ModelArea, type ModelSegment, type SupplyPoint } from '../../server/coverage/coverage-compute.ts';
import { createCoverageWorkerPool } from '../../server/coverage/coverage-pool.ts';
import { inlineCoverageComputer, runCoverageTask, type CoverageTask } from '../../server/coverage/coverage.task.ts';
import { defaultBands } from '../../server/coverage/e2sfca.ts';

// What crosses to the coverage worker (coverage-pool.ts): the demand arrays as a view of shared
// memory, and back only what the answer needs.

function area(id: string, level: ModelArea['level'], parentId: string | null, pointLon: number): ModelArea {
  return { id, code: id, name: id, level, parentId, pointLon, pointLat: 50.94, memberIds: [] };
}

function segment(id: number, areaId: string, midLon: number): ModelSegment {
  return { id, areaId, houses: id, lengthMeters: 100, midLon, midLat: 50.94 };
}

function smallCity(): { model: CoverageModel; task: CoverageTask } {
  const areas = [area('city', 'city', null, 6.95), area('district', 'district', 'city', 6.95), area('north', 'sozialraum', 'district', 6.94), area('south', 'sozialraum', 'district', 6.97)];
  const segments = [segment(1, 'north', 6.940), segment(2, 'north', 6.942), segment(3, 'south', 6.970), segment(4, 'south', 6.990)];
  const model: CoverageModel = { areas, segments, network: null, placements: buildPlacements(areas, segments) };
  const demand = buildDemandPoints(model, new Map([['north', 300], ['south', 700]]));
  const supply: SupplyPoint[] = [{ offerId: 'a', lon: 6.941, lat: 50.94, area: 2, amount: 1, capacity: null, source: null }];
  const parameters = { mode: 'airline' as const, reachMeters: 1_000, detourFactor: 1.3, bands: defaultBands(1_000) };
  return { model, task: { demand, parameters, runs: [{ supply, levels: ['sozialraum', 'city'], pointOutcome: false }] } };
}

describe('demand points', () => {
  it('live in one SharedArrayBuffer, so a task hands the worker the same memory instead of a copy', () => {
    const { task } = smallCity();
    const { demand } = task;
    expect(Array.from(demand.segment)).toEqual([0, 1, 2, 3]);
    expect(Array.from(demand.population)).toEqual([300 * (1 / 3), 300 * (2 / 3), 700 * (3 / 7), 700 * (4 / 7)]);
    const buffers = new Set([demand.area.buffer, demand.segment.buffer, demand.lon.buffer, demand.lat.buffer, demand.population.buffer]);
    expect(buffers.size).toBe(1);
    expect(demand.population.buffer).toBeInstanceOf(SharedArrayBuffer);
    const crossed = structuredClone(demand);
    demand.population[0] = 42;
    expect(crossed.population[0]).toBe(42);
  });
});

describe('coverage runs', () => {
  it('bring the distances per demand point back only when asked, with the same areas either way', () => {
    const { model, task } = smallCity();
    const [withoutPoints] = runCoverageTask(model, task);
    const [withPoints] = runCoverageTask(model, { ...task, runs: [{ ...task.runs[0]!, pointOutcome: true }] });
    expect(withoutPoints!.outcome).toBeNull();
    expect(withPoints!.outcome!.distance).toHaveLength(4);
    expect(withPoints!.outcome!.distance[0]).toBeLessThan(100);
    expect(withoutPoints!.measuredOn).toEqual({ network: 0, airline: 4, airlineWithDetour: 0 });
    expect(withoutPoints!.measuredOn).toEqual(withPoints!.outcome!.measuredOn);
    expect(withoutPoints!.areas).toEqual(withPoints!.areas);
    expect(withoutPoints!.areas!.map((entry) => [entry.areaId, entry.coveredPopulation])).toEqual([
      ['north', 300],
      ['south', 0],
      ['city', 300],
    ]);
  });

  describe('through the worker pool', () => {
    const pool = createCoverageWorkerPool({ threads: 1 });
    afterAll(() => pool.close());

    it('answer as this thread does, the point outcome only when asked', async () => {
      const { model, task } = smallCity();
      const both = { ...task, runs: [task.runs[0]!, { ...task.runs[0]!, pointOutcome: true }] };
      const [pooled, inline] = await Promise.all([pool.run(model, both), inlineCoverageComputer.run(model, both)]);
      expect(pooled).toEqual(inline);
      expect(pooled[0]!.outcome).toBeNull();
      expect(Array.from(pooled[1]!.outcome!.nearest)).toEqual([0, 0, 0, 0]);
      expect(Array.from(pooled[1]!.outcome!.distance, (meters) => meters > 1_000)).toEqual([false, false, true, true]);
    }, 60_000);
  });
});
