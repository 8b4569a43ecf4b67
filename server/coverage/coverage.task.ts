/**
 * The CPU-heavy part of a coverage question — distances over the street network for every demand
 * point, E2SFCA, the aggregation per area — as one task that runs in a worker thread
 * (coverage.worker.mjs, through the pool in coverage-pool.ts) or in this thread (tests, CLI).
 */
import v8 from 'node:v8';
import type { AreaCoverage, CoverageLevel } from './coverage.schema.ts';
import {
  aggregateCoverage,
  computePointOutcome,
  type CoverageModel,
  type CoverageParameters,
  type DemandPoints,
  type PointOutcome,
  type SupplyPoint,
} from './coverage-compute.ts';

export interface CoverageRun {
  supply: SupplyPoint[];
  /** The levels to aggregate; null: the point outcome only (the gap list per segment). */
  levels: CoverageLevel[] | null;
}

export interface CoverageTask {
  demand: DemandPoints;
  parameters: CoverageParameters;
  runs: CoverageRun[];
}

export interface CoverageRunResult {
  outcome: PointOutcome;
  areas: AreaCoverage[] | null;
}

export function runCoverageTask(model: CoverageModel, task: CoverageTask): CoverageRunResult[] {
  return task.runs.map((run) => {
    const outcome = computePointOutcome(model, task.demand, run.supply, task.parameters);
    const areas = run.levels ? aggregateCoverage(model, task.demand, run.supply, outcome, task.parameters.reachMeters, run.levels) : null;
    return { outcome, areas };
  });
}

/** Runs coverage tasks; the service gets one injected (in this thread by default, a worker pool in the app). */
export interface CoverageComputer {
  run(model: CoverageModel, task: CoverageTask): Promise<CoverageRunResult[]>;
  close(): Promise<void>;
}

export const inlineCoverageComputer: CoverageComputer = {
  run: async (model, task) => runCoverageTask(model, task),
  close: async () => {},
};

/** What a worker receives: the task, and the model serialized once per model (v8, with its typed arrays and maps). */
export interface SerializedCoverageTask {
  task: CoverageTask;
  /** Identifies the model (one per street network signature): a worker keeps the model it last read. */
  modelKey: number;
  model: Uint8Array;
}

let workerModel: { key: number; model: CoverageModel } | undefined;

/** The worker side: deserializes the model only when it changed since this worker's last task. */
export function runSerializedCoverageTask(input: SerializedCoverageTask): CoverageRunResult[] {
  if (workerModel?.key !== input.modelKey) {
    workerModel = { key: input.modelKey, model: v8.deserialize(input.model) as CoverageModel };
  }
  return runCoverageTask(workerModel.model, input.task);
}
