/**
 * The CPU-heavy part of a coverage question — distances over the street network for every demand
 * point, E2SFCA, the aggregation per area, the greedy location suggestion — as tasks that run in a
 * worker thread (coverage.worker.mjs, through the pool in coverage-pool.ts) or in this thread
 * (tests, CLI).
 */
import v8 from 'node:v8';
import { StreetNetwork } from '../streets/street-network.ts';
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
import { suggestLocations, type SuggestedPoint } from './coverage-suggest.ts';

export interface CoverageRun {
  supply: SupplyPoint[];
  /** The levels to aggregate; null: none. */
  levels: CoverageLevel[] | null;
  /**
   * Whether the distances per demand point come back (the gap list per segment). An answer per
   * area needs only the areas and what the distances were measured on: the point arrays (about
   * 20 bytes per demand point) then stay in the worker instead of being copied back.
   */
  pointOutcome: boolean;
}

export interface CoverageTask {
  demand: DemandPoints;
  parameters: CoverageParameters;
  runs: CoverageRun[];
}

export interface CoverageRunResult {
  measuredOn: PointOutcome['measuredOn'];
  /** The distances per demand point; null unless the run asked for them. */
  outcome: PointOutcome | null;
  areas: AreaCoverage[] | null;
}

/** Where one new offer would reach most uncovered residents: the baseline outcome, then the greedy choice. */
export interface SuggestTask {
  demand: DemandPoints;
  parameters: CoverageParameters;
  supply: SupplyPoint[];
  /** Indexes (into model.areas) of the Sozialräume whose residents count. */
  areaIndexes: number[];
  count: number;
  candidateLimit: number;
}

export interface SuggestTaskResult {
  outcome: PointOutcome;
  suggestions: SuggestedPoint[];
}

export function runCoverageTask(model: CoverageModel, task: CoverageTask): CoverageRunResult[] {
  return task.runs.map((run) => {
    const outcome = computePointOutcome(model, task.demand, run.supply, task.parameters);
    const areas = run.levels ? aggregateCoverage(model, task.demand, run.supply, outcome, task.parameters.reachMeters, run.levels) : null;
    return { measuredOn: outcome.measuredOn, outcome: run.pointOutcome ? outcome : null, areas };
  });
}

export function runSuggestTask(model: CoverageModel, task: SuggestTask): SuggestTaskResult {
  const outcome = computePointOutcome(model, task.demand, task.supply, task.parameters);
  const suggestions = suggestLocations(model, task.demand, outcome, task.parameters, {
    areaIndexes: new Set(task.areaIndexes),
    count: task.count,
    candidateLimit: task.candidateLimit,
  });
  return { outcome, suggestions };
}

/** Runs coverage tasks; the service gets one injected (in this thread by default, a worker pool in the app). */
export interface CoverageComputer {
  run(model: CoverageModel, task: CoverageTask): Promise<CoverageRunResult[]>;
  suggest(model: CoverageModel, task: SuggestTask): Promise<SuggestTaskResult>;
  close(): Promise<void>;
}

export const inlineCoverageComputer: CoverageComputer = {
  run: async (model, task) => runCoverageTask(model, task),
  suggest: async (model, task) => runSuggestTask(model, task),
  close: async () => {},
};

/** What a worker receives: the task, and the model serialized once per model (v8, with its typed arrays and maps). */
export interface SerializedTask<Task> {
  task: Task;
  /** Identifies the model (one per street network version): a worker keeps the model it last read. */
  modelKey: number;
  model: Uint8Array;
}

let workerModel: { key: number; model: CoverageModel } | undefined;

function modelOf(input: SerializedTask<unknown>): CoverageModel {
  if (workerModel?.key !== input.modelKey) {
    const model = v8.deserialize(input.model) as CoverageModel;
    // v8 serialization keeps the fields (typed arrays, maps) but not the class: give the street
    // network its methods back.
    if (model.network) Object.setPrototypeOf(model.network, StreetNetwork.prototype);
    workerModel = { key: input.modelKey, model };
  }
  return workerModel.model;
}

/** The worker side: deserializes the model only when it changed since this worker's last task. */
export function runSerializedCoverageTask(input: SerializedTask<CoverageTask>): CoverageRunResult[] {
  return runCoverageTask(modelOf(input), input.task);
}

export function runSerializedSuggestTask(input: SerializedTask<SuggestTask>): SuggestTaskResult {
  return runSuggestTask(modelOf(input), input.task);
}
