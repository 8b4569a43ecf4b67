import type { Knex } from 'knex';
import type { AuditActor, HistoryEntry } from '../audit/audit.schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../auth/auth.schema.ts';
import type { CoverageService } from '../coverage/coverage.service.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, type FieldError } from '../http/errors.ts';
import { fillMessage, localizedValidationError, type Language } from '../http/localized-validation.ts';
import { parseIfMatch, versionMismatch } from '../http/versioning.ts';
import type { OffersService } from '../offers/offers.service.ts';
import type { TaxonomiesService } from '../taxonomies/taxonomies.service.ts';
import { coverageQuestion, coverageValue, goalAreas, measureGoals, unitOf } from './steering.figures.ts';
import { steeringMessages } from './steering.messages.ts';
import {
  areasWithStatistic,
  findAreas,
  findDepartmentsByCode,
  findGoals,
  findIndicator,
  findMeasures,
  listIndicators,
  findProcessValue,
  goalIdsWithSnapshot,
  insertGoal,
  insertMeasure,
  insertSnapshots,
  listGoalIds,
  listMeasureIds,
  listProcessValues,
  listSnapshots,
  lockGoal,
  saveProcessValue,
  updateGoal,
  updateGoalStatus,
  updateMeasure,
  type GoalWrite,
  type MeasureWrite,
} from './steering.repo.ts';
import {
  type ExpectedEffect,
  type FigureOffers,
  type Goal,
  type GoalCreateInput,
  type IndicatorChoice,
  type GoalListQuery,
  type GoalPatchInput,
  type GoalTransition,
  type MeasurePatchInput,
  type NeedsQuery,
  type ProcessValueInput,
  type SnapshotBody,
  type GoalFigure,
  type GoalStatus,
  type GoalTracking,
  type Measure,
  type MeasureCreateInput,
  type NeedArea,
  type Needs,
  type Dashboard,
  type DashboardGoal,
  type ProcessValue,
  type Snapshot,
  type SnapshotRun,
  type TrackStatus,
} from './steering.schema.ts';
import { trackStatus } from './steering.status.ts';

export interface SteeringContext {
  actor: Actor;
  language: Language;
  requestId?: string | undefined;
}

type UserActor = Extract<Actor, { kind: 'user' }>;
type SnapshotTrigger = Snapshot['trigger'];

export interface SteeringService {
  listGoals(context: SteeringContext, query: GoalListQuery): Promise<Goal[]>;
  /** The indicators a statistics goal can name (the goal form's choices). */
  indicators(context: SteeringContext): Promise<IndicatorChoice[]>;
  getGoal(context: SteeringContext, id: string): Promise<Goal>;
  createGoal(context: SteeringContext, input: GoalCreateInput): Promise<Goal>;
  updateGoal(context: SteeringContext, id: string, ifMatch: string | undefined, patch: GoalPatchInput): Promise<Goal>;
  transitionGoal(context: SteeringContext, id: string, ifMatch: string | undefined, body: GoalTransition): Promise<Goal>;
  goalHistory(context: SteeringContext, id: string): Promise<HistoryEntry[]>;
  currentFigure(context: SteeringContext, id: string): Promise<GoalFigure>;
  needs(context: SteeringContext, id: string, query: NeedsQuery): Promise<Needs>;
  tracking(context: SteeringContext, id: string): Promise<GoalTracking>;
  /** The offers behind a coverage figure (its supply in the goal's areas); public for adopted and achieved goals. */
  figureOffers(context: SteeringContext, id: string, options?: { publicOnly?: boolean }): Promise<FigureOffers>;
  listProcessValues(context: SteeringContext, id: string): Promise<ProcessValue[]>;
  enterProcessValue(context: SteeringContext, id: string, input: ProcessValueInput): Promise<ProcessValue>;
  listMeasures(context: SteeringContext, query: { goal?: string; department?: string }): Promise<Measure[]>;
  getMeasure(context: SteeringContext, id: string): Promise<Measure>;
  createMeasure(context: SteeringContext, input: MeasureCreateInput): Promise<Measure>;
  updateMeasure(context: SteeringContext, id: string, ifMatch: string | undefined, patch: MeasurePatchInput): Promise<Measure>;
  measureHistory(context: SteeringContext, id: string): Promise<HistoryEntry[]>;
  expectedEffect(context: SteeringContext, id: string): Promise<ExpectedEffect[]>;
  openMeasure(context: SteeringContext, id: string, ifMatch: string | undefined): Promise<Measure>;
  /** The snapshot of every adopted goal for the current month (by the clock); goals that have one keep it. */
  takeSnapshots(trigger: SnapshotTrigger, context?: SteeringContext, body?: SnapshotBody): Promise<SnapshotRun>;
  dashboard(context: SteeringContext, query: GoalListQuery, options?: { publicOnly?: boolean }): Promise<Dashboard>;
  /** Adopted and achieved goals with their monthly values, for anyone (transparency). */
  publicGoal(context: SteeringContext, id: string): Promise<GoalTracking>;
}

export interface SteeringDependencies {
  db: Knex;
  audit: AuditService;
  taxonomies: TaxonomiesService;
  coverage: CoverageService;
  offers: OffersService;
  /** The city this process serves (issue 13); the database's default city when left out. */
  cityId?: string;
  /** The server's clock; tests pass a controllable one. */
  clock?: () => Date;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

function auditActor(actor: UserActor | 'command-line' | 'schedule'): AuditActor {
  if (actor === 'command-line') return { id: null, label: 'command line' };
  if (actor === 'schedule') return { id: null, label: 'monthly schedule' };
  return { id: actor.id, label: actor.email };
}

// eslint-disable-next-line max-lines-per-function -- a service factory: a closure over its injected dependencies; each method is counted on its own
export function createSteeringService(deps: SteeringDependencies): SteeringService {
  const clock = deps.clock ?? (() => new Date());
  const say = (context: SteeringContext, key: string, params: Record<string, unknown> = {}) =>
    fillMessage(steeringMessages[key]!, context.language, params);
  const invalid = (context: SteeringContext, errors: FieldError[]) => localizedValidationError(errors, context.language);
  const fieldError = (context: SteeringContext, field: string, code: string, params: Record<string, unknown> = {}): FieldError => ({
    field,
    code,
    message: say(context, code, params),
  });

  function signedIn(context: SteeringContext): UserActor {
    if (context.actor.kind === 'anonymous') throw new UnauthorizedError(say(context, 'sign_in_required'));
    return context.actor;
  }

  function planner(context: SteeringContext): UserActor {
    const actor = signedIn(context);
    if (actor.role === 'editor') throw new ForbiddenError(say(context, 'planners_only'), 'planners_only');
    return actor;
  }

  function stale(context: SteeringContext, current: number, expected: number): never {
    throw versionMismatch(context.language, current, expected);
  }

  /**
   * A change of a versioned goal or measure: `write` updates the row if it is still at `expected`;
   * the event records the state before and after; a lost race answers 412 with the version now.
   */
  async function saveVersion<Entity extends { version: number }>(
    context: SteeringContext,
    actor: UserActor,
    change: {
      entityType: 'steering_goal' | 'steering_measure';
      id: string;
      expected: number;
      action: string;
      before: unknown;
      details?: Record<string, unknown>;
    },
    write: (trx: Knex.Transaction) => Promise<boolean>,
    readAfter: (trx: Knex.Transaction) => Promise<unknown>,
    load: (context: SteeringContext, id: string) => Promise<Entity>,
  ): Promise<Entity> {
    const saved = await deps.db.transaction(async (trx) => {
      if (!(await write(trx))) return false;
      await deps.audit.record(trx, {
        actor: auditActor(actor),
        action: change.action,
        entityType: change.entityType,
        entityId: change.id,
        entityVersion: change.expected + 1,
        requestId: context.requestId,
        before: change.before,
        after: await readAfter(trx),
        ...(change.details ? { details: change.details } : {}),
      });
      return true;
    });
    if (!saved) stale(context, (await load(context, change.id)).version, change.expected);
    return load(context, change.id);
  }

  async function loadGoal(context: SteeringContext, id: string): Promise<Goal> {
    const [goal] = uuidPattern.test(id) ? await findGoals(deps.db, deps.cityId, [id]) : [];
    if (!goal) throw new NotFoundError(say(context, 'goal_not_found'), 'goal_not_found');
    return goal;
  }

  async function loadMeasure(context: SteeringContext, id: string): Promise<Measure> {
    const [measure] = uuidPattern.test(id) ? await findMeasures(deps.db, deps.cityId, [id], today()) : [];
    if (!measure) throw new NotFoundError(say(context, 'measure_not_found'), 'measure_not_found');
    return measure;
  }

  function today(): string {
    return clock().toISOString().slice(0, 10);
  }

  /** The key figure's own rules: a statistic measured in every area, a coverage subject, shares within 0–100; returns its unit. */
  async function checkKeyFigure(
    context: SteeringContext,
    input: GoalCreateInput,
    areas: Awaited<ReturnType<typeof findAreas>>,
    terms: Awaited<ReturnType<TaxonomiesService['termIndex']>>,
    errors: FieldError[],
  ): Promise<string> {
    const figure = input.keyFigure;
    let unit: string;
    if (figure.kind === 'statistic') {
      const indicator = await findIndicator(deps.db, deps.cityId, figure.indicator);
      unit = indicator?.unit ?? 'count';
      if (!indicator) errors.push(fieldError(context, 'keyFigure.indicator', 'unknown_indicator', { code: figure.indicator }));
      else {
        const measuredAreas = input.scope === 'city' ? await goalAreas(deps.db, deps.cityId, { scope: 'city', areas: [] } as unknown as Goal) : areas;
        const withValues = await areasWithStatistic(deps.db, indicator.id, measuredAreas.map((area) => area.id));
        const lacking = measuredAreas.filter((area) => !withValues.has(area.id));
        if (lacking.length > 0 || measuredAreas.length === 0) {
          errors.push(
            fieldError(context, 'keyFigure.indicator', 'indicator_missing_for_areas', {
              code: figure.indicator,
              count: Math.max(lacking.length, 1),
              names: lacking.slice(0, 3).map((area) => area.name).join(', ') || '–',
            }),
          );
        }
      }
    } else if (figure.kind === 'coverage') {
      unit = unitOf(figure);
      if (!figure.offerType && !figure.targetGroup) errors.push(fieldError(context, 'keyFigure.offerType', 'subject_required'));
      if (figure.offerType && !terms.byCode('offer_type', figure.offerType)) {
        errors.push(fieldError(context, 'keyFigure.offerType', 'unknown_term', { code: figure.offerType, taxonomy: 'offer_type' }));
      }
      if (figure.targetGroup && !terms.byCode('target_group', figure.targetGroup)) {
        errors.push(fieldError(context, 'keyFigure.targetGroup', 'unknown_term', { code: figure.targetGroup, taxonomy: 'target_group' }));
      }
      if (figure.measure === 'share_within_reach') {
        for (const [field, value] of [['baseline.value', input.baseline.value], ['target.value', input.target.value]] as const) {
          if (value < 0 || value > 100) errors.push(fieldError(context, field, 'share_over_100'));
        }
      }
    } else {
      unit = figure.unit;
    }
    return unit;
  }

  /** Checks a complete goal against the taxonomies, departments, areas and statistics; returns what the database stores. */
  async function resolveGoal(context: SteeringContext, input: GoalCreateInput): Promise<GoalWrite> {
    const errors: FieldError[] = [];
    const terms = await deps.taxonomies.termIndex();
    if (!terms.byCode('field_of_action', input.fieldOfAction)) {
      errors.push(fieldError(context, 'fieldOfAction', 'unknown_term', { code: input.fieldOfAction, taxonomy: 'field_of_action' }));
    }
    if (input.targetGroup && !terms.byCode('target_group', input.targetGroup)) {
      errors.push(fieldError(context, 'targetGroup', 'unknown_term', { code: input.targetGroup, taxonomy: 'target_group' }));
    }
    const departmentCodes = [input.ownerDepartmentCode, ...(input.contributingDepartmentCodes ?? [])];
    const departments = await findDepartmentsByCode(deps.db, deps.cityId, departmentCodes);
    if (!departments.has(input.ownerDepartmentCode)) {
      errors.push(fieldError(context, 'ownerDepartmentCode', 'unknown_department', { code: input.ownerDepartmentCode }));
    }
    (input.contributingDepartmentCodes ?? []).forEach((code, index) => {
      if (!departments.has(code)) errors.push(fieldError(context, `contributingDepartmentCodes.${index}`, 'unknown_department', { code }));
    });
    const areaIds = [...new Set(input.areaIds ?? [])];
    if (input.scope === 'areas' && areaIds.length === 0) errors.push(fieldError(context, 'areaIds', 'areas_required'));
    if (input.scope === 'city' && areaIds.length > 0) errors.push(fieldError(context, 'areaIds', 'areas_with_city'));
    const areas = await findAreas(deps.db, deps.cityId, areaIds);
    const known = new Set(areas.map((area) => area.id));
    areaIds.forEach((id, index) => {
      if (!known.has(id)) errors.push(fieldError(context, `areaIds.${index}`, 'unknown_area', { id }));
    });
    if (input.target.deadline <= input.baseline.date) {
      errors.push(fieldError(context, 'target.deadline', 'deadline_before_baseline', { deadline: input.target.deadline, baseline: input.baseline.date }));
    }
    if (input.target.value === input.baseline.value) errors.push(fieldError(context, 'target.value', 'target_equals_baseline'));

    const figure = input.keyFigure;
    const unit = await checkKeyFigure(context, input, areas, terms, errors);
    if (errors.length > 0) throw invalid(context, errors);
    return {
      fieldOfAction: input.fieldOfAction,
      title: input.title,
      rationale: input.rationale ?? null,
      targetGroup: input.targetGroup ?? null,
      scope: input.scope,
      areaIds,
      keyFigure: figure,
      unit,
      baseline: input.baseline,
      target: input.target,
      ownerDepartmentId: departments.get(input.ownerDepartmentCode)!.id,
      contributingDepartmentIds: (input.contributingDepartmentCodes ?? []).map((code) => departments.get(code)!.id),
      councilReference: input.councilReference ?? null,
    };
  }

  function inputOfGoal(goal: Goal): GoalCreateInput {
    return {
      fieldOfAction: goal.fieldOfAction,
      title: goal.title,
      rationale: goal.rationale,
      targetGroup: goal.targetGroup,
      scope: goal.scope,
      areaIds: goal.areas.map((area) => area.id),
      keyFigure: goal.keyFigure,
      baseline: goal.baseline,
      target: goal.target,
      ownerDepartmentCode: goal.ownerDepartment.code,
      contributingDepartmentCodes: goal.contributingDepartments.map((department) => department.code),
      councilReference: goal.councilReference,
    };
  }

  function snapshotOfGoal(goal: Goal): Record<string, unknown> {
    const { createdAt: _created, updatedAt: _updated, ...rest } = goal;
    return rest;
  }

  function editorMayServe(actor: UserActor, goal: Goal): boolean {
    return (
      actor.role !== 'editor' ||
      goal.ownerDepartment.id === actor.departmentId ||
      goal.contributingDepartments.some((department) => department.id === actor.departmentId)
    );
  }

  async function resolveMeasure(context: SteeringContext, actor: UserActor, input: MeasureCreateInput): Promise<MeasureWrite> {
    const errors: FieldError[] = [];
    const departments = await findDepartmentsByCode(deps.db, deps.cityId, [input.departmentCode, ...(input.contributingDepartmentCodes ?? [])]);
    const department = departments.get(input.departmentCode);
    if (!department) errors.push(fieldError(context, 'departmentCode', 'unknown_department', { code: input.departmentCode }));
    (input.contributingDepartmentCodes ?? []).forEach((code, index) => {
      if (!departments.has(code)) errors.push(fieldError(context, `contributingDepartmentCodes.${index}`, 'unknown_department', { code }));
    });
    const goals = await findGoals(deps.db, deps.cityId, input.goalIds);
    input.goalIds.forEach((id, index) => {
      if (!goals.some((goal) => goal.id === id)) errors.push(fieldError(context, `goalIds.${index}`, 'unknown_goal', { id }));
    });
    if (input.kind === 'new_offer' && !input.plannedOffer) errors.push(fieldError(context, 'plannedOffer', 'planned_offer_required'));
    if (input.plannedOffer) {
      const terms = await deps.taxonomies.termIndex();
      if (!terms.byCode('offer_type', input.plannedOffer.offerType)) {
        errors.push(fieldError(context, 'plannedOffer.offerType', 'unknown_term', { code: input.plannedOffer.offerType, taxonomy: 'offer_type' }));
      }
    }
    if (errors.length > 0) throw invalid(context, errors);
    if (actor.role === 'editor') {
      if (department!.id !== actor.departmentId) {
        throw new ForbiddenError(say(context, 'other_department', { code: actor.departmentCode }), 'other_department');
      }
      const foreign = goals.find((goal) => !editorMayServe(actor, goal));
      if (foreign) throw new ForbiddenError(say(context, 'goal_of_other_department', { title: foreign.title }), 'goal_of_other_department');
    }
    return {
      kind: input.kind,
      title: input.title,
      description: input.description ?? null,
      goalIds: input.goalIds,
      departmentId: department!.id,
      contributingDepartmentIds: (input.contributingDepartmentCodes ?? []).map((code) => departments.get(code)!.id),
      status: input.status ?? 'planned',
      progress: input.progress ?? 0,
      budget: input.budget ?? null,
      plannedOffer: input.plannedOffer ?? null,
      offerId: input.offerId ?? null,
      milestones: (input.milestones ?? []).map((milestone) => ({ ...milestone, doneOn: milestone.doneOn ?? null })),
    };
  }

  function inputOfMeasure(measure: Measure): MeasureCreateInput {
    return {
      kind: measure.kind,
      title: measure.title,
      description: measure.description,
      goalIds: measure.goalIds,
      departmentCode: measure.department.code,
      contributingDepartmentCodes: measure.contributingDepartments.map((department) => department.code),
      status: measure.status,
      progress: measure.progress,
      budget: measure.budget,
      plannedOffer: measure.plannedOffer,
      offerId: measure.offerId,
      milestones: measure.milestones.map(({ title, dueDate, doneOn }) => ({ title, dueDate, doneOn })),
    };
  }

  function statusOf(goal: Goal, snapshots: readonly Snapshot[]): TrackStatus {
    const own = snapshots.filter((snapshot) => snapshot.goalId === goal.id);
    const last = own[own.length - 1];
    if (!last) return 'no_data';
    return trackStatus({
      baseline: goal.baseline,
      target: goal.target,
      values: own.map((snapshot) => ({ month: snapshot.month, value: snapshot.value })),
      asOf: `${last.month}-01`,
    }).status;
  }

  async function effectsOf(measure: Measure): Promise<ExpectedEffect[]> {
    const planned = measure.plannedOffer;
    if (!planned) return [];
    const goals = await findGoals(deps.db, deps.cityId, measure.goalIds);
    const terms = await deps.taxonomies.termIndex();
    const effects: ExpectedEffect[] = [];
    for (const goal of goals) {
      const figure = goal.keyFigure;
      if (figure.kind !== 'coverage') continue;
      const matchesType = !figure.offerType || terms.withDescendants('offer_type', figure.offerType).some((term) => term.code === planned.offerType);
      const areas = await goalAreas(deps.db, deps.cityId, goal);
      const ids = new Set(areas.map((area) => area.id));
      if (!matchesType) {
        effects.push({ goalId: goal.id, before: null, after: null, change: 0, perArea: [], computedAt: clock().toISOString() });
        continue;
      }
      const result = await deps.coverage.scenario({
        ...coverageQuestion(figure),
        offers: [{ lon: planned.lon, lat: planned.lat, name: planned.name, ...(planned.capacity !== undefined ? { capacity: planned.capacity } : {}) }],
      });
      const before = result.baseline.filter((row) => ids.has(row.areaId));
      const after = result.scenario.filter((row) => ids.has(row.areaId));
      const beforeValue = coverageValue(figure, before);
      const afterValue = coverageValue(figure, after);
      effects.push({
        goalId: goal.id,
        before: beforeValue,
        after: afterValue,
        change: beforeValue === null || afterValue === null ? null : afterValue - beforeValue,
        perArea: before.map((row) => ({
          areaId: row.areaId,
          before: coverageValue(figure, [row]),
          after: coverageValue(figure, after.filter((candidate) => candidate.areaId === row.areaId)),
        })),
        computedAt: clock().toISOString(),
      });
    }
    return effects;
  }

  async function listGoalsFiltered(filter: GoalListQuery, publicOnly: boolean): Promise<Goal[]> {
    const ids = await listGoalIds(deps.db, deps.cityId, { ...filter, ...(publicOnly ? { statuses: ['adopted', 'achieved'] as GoalStatus[] } : {}) });
    return findGoals(deps.db, deps.cityId, ids);
  }

  return {
    async listGoals(context, query) {
      signedIn(context);
      return listGoalsFiltered(query, false);
    },

    async indicators(context) {
      signedIn(context);
      return listIndicators(deps.db, deps.cityId);
    },

    async getGoal(context, id) {
      signedIn(context);
      return loadGoal(context, id);
    },

    async createGoal(context, input) {
      const actor = planner(context);
      const write = await resolveGoal(context, input);
      const id = await deps.db.transaction(async (trx) => {
        const goalId = await insertGoal(trx, deps.cityId, write);
        const [created] = await findGoals(trx, deps.cityId, [goalId]);
        await deps.audit.record(trx, {
          actor: auditActor(actor),
          action: 'steering_goal.created',
          entityType: 'steering_goal',
          entityId: goalId,
          entityVersion: 1,
          requestId: context.requestId,
          before: null,
          after: snapshotOfGoal(created!),
        });
        return goalId;
      });
      return loadGoal(context, id);
    },

    async updateGoal(context, id, ifMatch, patch) {
      const actor = planner(context);
      const expected = parseIfMatch(ifMatch, context.language, true);
      const current = await loadGoal(context, id);
      if (current.version !== expected) stale(context, current.version, expected);
      if (current.status !== 'draft') {
        const fixed = (['keyFigure', 'baseline', 'scope', 'areaIds'] as const).filter((key) => patch[key] !== undefined);
        if (fixed.length > 0) throw new ConflictError(say(context, 'adopted_fixed'), 'adopted_fixed');
      }
      const merged: GoalCreateInput = { ...inputOfGoal(current), ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) };
      if (merged.scope === 'city' && patch.scope === 'city' && patch.areaIds === undefined) merged.areaIds = [];
      const write = await resolveGoal(context, merged);
      return saveVersion(
        context,
        actor,
        { entityType: 'steering_goal', id, expected, action: 'steering_goal.updated', before: snapshotOfGoal(current) },
        async (trx) => {
          await lockGoal(trx, id);
          return updateGoal(trx, id, expected, write);
        },
        async (trx) => snapshotOfGoal((await findGoals(trx, deps.cityId, [id]))[0]!),
        loadGoal,
      );
    },

    async transitionGoal(context, id, ifMatch, { status }) {
      const actor = signedIn(context);
      if (actor.role !== 'admin') throw new ForbiddenError(say(context, 'admin_only'), 'admin_only');
      const expected = parseIfMatch(ifMatch, context.language, true);
      const current = await loadGoal(context, id);
      if (current.version !== expected) stale(context, current.version, expected);
      const allowed: Record<GoalStatus, GoalStatus[]> = { draft: ['adopted', 'dropped'], adopted: ['achieved', 'dropped'], achieved: [], dropped: [] };
      if (!allowed[current.status].includes(status)) {
        throw new ConflictError(say(context, 'invalid_transition', { from: current.status, to: status }), 'invalid_transition');
      }
      return saveVersion(
        context,
        actor,
        { entityType: 'steering_goal', id, expected, action: `steering_goal.${status}`, before: snapshotOfGoal(current) },
        (trx) => updateGoalStatus(trx, id, expected, status),
        async (trx) => snapshotOfGoal((await findGoals(trx, deps.cityId, [id]))[0]!),
        loadGoal,
      );
    },

    async goalHistory(context, id) {
      signedIn(context);
      await loadGoal(context, id);
      return deps.audit.history('steering_goal', id);
    },

    async currentFigure(context, id) {
      signedIn(context);
      const goal = await loadGoal(context, id);
      const figures = await measureGoals(deps, [goal], monthOf(clock()));
      return figures.get(goal.id)!;
    },

    async needs(context, id, { suggestions: wanted = 3 }) {
      signedIn(context);
      const goal = await loadGoal(context, id);
      const figure = (await measureGoals(deps, [goal], monthOf(clock()))).get(goal.id)!;
      const target = goal.target.value;
      const areas: NeedArea[] = figure.areas.map((area) => {
        const coverage = goal.keyFigure.kind === 'coverage' && goal.keyFigure.measure === 'share_within_reach';
        const targetPopulation = area.targetPopulation ?? null;
        const covered = targetPopulation !== null && area.uncovered !== undefined && area.uncovered !== null ? targetPopulation - area.uncovered : null;
        return {
          areaId: area.areaId,
          code: area.code,
          name: area.name,
          current: area.value,
          target,
          gap: area.value === null ? null : target - area.value,
          uncoveredResidents: coverage ? (area.uncovered ?? null) : null,
          residentsToReach:
            coverage && targetPopulation !== null && covered !== null ? Math.max(0, Math.ceil((target / 100) * targetPopulation - covered - 1e-9)) : null,
        };
      });
      areas.sort((left, right) => (right.gap ?? -Infinity) - (left.gap ?? -Infinity) || left.name.localeCompare(right.name));
      let suggestions: Needs['suggestions'] = [];
      const method: Record<string, unknown> = { ...figure.method };
      if (goal.keyFigure.kind === 'coverage' && wanted > 0) {
        const result = await deps.coverage.suggest({
          ...coverageQuestion(goal.keyFigure),
          areaIds: (await goalAreas(deps.db, deps.cityId, goal)).map((area) => area.id),
          count: wanted,
        });
        suggestions = result.suggestions.map((suggestion, index) => ({ rank: index + 1, ...suggestion }));
        method.suggestions = result.method;
      }
      return {
        goalId: goal.id,
        unit: goal.unit,
        current: figure.value,
        target,
        gap: figure.value === null ? null : target - figure.value,
        areas,
        suggestions,
        method,
      };
    },

    async tracking(context, id) {
      signedIn(context);
      const goal = await loadGoal(context, id);
      const snapshots = await listSnapshots(deps.db, [goal.id]);
      const measures = await findMeasures(deps.db, deps.cityId, await listMeasureIds(deps.db, deps.cityId, { goalIds: [goal.id] }), today());
      return { goal, status: statusOf(goal, snapshots), snapshots, measures };
    },

    async figureOffers(context, id, options = {}) {
      if (options.publicOnly !== true) signedIn(context);
      const goal = await loadGoal(context, id);
      if (options.publicOnly === true && goal.status !== 'adopted' && goal.status !== 'achieved') {
        throw new NotFoundError(say(context, 'goal_not_found'), 'goal_not_found');
      }
      if (goal.keyFigure.kind !== 'coverage') return { goalId: goal.id, applicable: false, items: [] };
      const areaIds = (await goalAreas(deps.db, deps.cityId, goal)).map((area) => area.id);
      const items = await deps.coverage.supplyOffers(coverageQuestion(goal.keyFigure), areaIds);
      return { goalId: goal.id, applicable: true, items };
    },

    async publicGoal(context, id) {
      const goal = await loadGoal(context, id);
      if (goal.status !== 'adopted' && goal.status !== 'achieved') throw new NotFoundError(say(context, 'goal_not_found'), 'goal_not_found');
      const snapshots = await listSnapshots(deps.db, [goal.id]);
      const measures = await findMeasures(deps.db, deps.cityId, await listMeasureIds(deps.db, deps.cityId, { goalIds: [goal.id] }), today());
      return { goal, status: statusOf(goal, snapshots), snapshots, measures };
    },

    async listProcessValues(context, id) {
      signedIn(context);
      await loadGoal(context, id);
      return listProcessValues(deps.db, [id]);
    },

    async enterProcessValue(context, id, input) {
      const actor = signedIn(context);
      const goal = await loadGoal(context, id);
      if (!editorMayServe(actor, goal)) {
        throw new ForbiddenError(say(context, 'goal_of_other_department', { title: goal.title }), 'goal_of_other_department');
      }
      if (goal.keyFigure.kind !== 'process') {
        throw invalid(context, [fieldError(context, 'goal', 'not_a_process_figure', { kind: goal.keyFigure.kind === 'coverage' ? 'coverage' : 'statistics' })]);
      }
      if (goal.status === 'dropped') throw new ConflictError(say(context, 'goal_dropped'), 'goal_dropped');
      if (input.month > monthOf(clock())) throw invalid(context, [fieldError(context, 'month', 'future_month', { month: input.month })]);
      const areaId = input.areaId ?? null;
      if (areaId !== null && !goal.areas.some((area) => area.id === areaId)) throw invalid(context, [fieldError(context, 'areaId', 'area_not_in_goal')]);
      const existing = await findProcessValue(deps.db, goal.id, areaId, input.month);
      return deps.db.transaction(async (trx) => {
        const saved = await saveProcessValue(
          trx,
          { goalId: goal.id, areaId, month: input.month, value: input.value, source: input.source, enteredBy: actor.id, enteredByLabel: actor.email },
          existing?.id,
        );
        await deps.audit.record(trx, {
          actor: auditActor(actor),
          action: existing ? 'steering_process_value.corrected' : 'steering_process_value.entered',
          entityType: 'steering_goal',
          entityId: goal.id,
          entityVersion: null,
          requestId: context.requestId,
          before: existing ?? null,
          after: saved,
        });
        return saved;
      });
    },

    async listMeasures(context, query) {
      signedIn(context);
      const ids = await listMeasureIds(deps.db, deps.cityId, {
        ...(query.goal && uuidPattern.test(query.goal) ? { goalIds: [query.goal] } : {}),
        ...(query.department ? { department: query.department } : {}),
      });
      return findMeasures(deps.db, deps.cityId, ids, today());
    },

    async getMeasure(context, id) {
      signedIn(context);
      return loadMeasure(context, id);
    },

    async createMeasure(context, input) {
      const actor = signedIn(context);
      const write = await resolveMeasure(context, actor, input);
      const id = await deps.db.transaction(async (trx) => {
        const measureId = await insertMeasure(trx, write);
        const [created] = await findMeasures(trx, deps.cityId, [measureId], today());
        await deps.audit.record(trx, {
          actor: auditActor(actor),
          action: 'steering_measure.created',
          entityType: 'steering_measure',
          entityId: measureId,
          entityVersion: 1,
          requestId: context.requestId,
          before: null,
          after: created,
        });
        return measureId;
      });
      return loadMeasure(context, id);
    },

    async updateMeasure(context, id, ifMatch, patch) {
      const actor = signedIn(context);
      const expected = parseIfMatch(ifMatch, context.language, true);
      const current = await loadMeasure(context, id);
      if (actor.role === 'editor' && current.department.id !== actor.departmentId) {
        throw new ForbiddenError(say(context, 'other_department', { code: actor.departmentCode }), 'other_department');
      }
      if (current.version !== expected) stale(context, current.version, expected);
      const merged: MeasureCreateInput = { ...inputOfMeasure(current), ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) };
      const write = await resolveMeasure(context, actor, merged);
      return saveVersion(
        context,
        actor,
        { entityType: 'steering_measure', id, expected, action: 'steering_measure.updated', before: current },
        (trx) => updateMeasure(trx, id, expected, write),
        async (trx) => (await findMeasures(trx, deps.cityId, [id], today()))[0],
        loadMeasure,
      );
    },

    async measureHistory(context, id) {
      signedIn(context);
      await loadMeasure(context, id);
      return deps.audit.history('steering_measure', id);
    },

    async expectedEffect(context, id) {
      signedIn(context);
      const measure = await loadMeasure(context, id);
      if (!measure.plannedOffer) throw new ConflictError(say(context, 'planned_offer_required'), 'planned_offer_required');
      return effectsOf(measure);
    },

    async openMeasure(context, id, ifMatch) {
      const actor = signedIn(context);
      const expected = parseIfMatch(ifMatch, context.language, true);
      const current = await loadMeasure(context, id);
      if (actor.role === 'editor' && current.department.id !== actor.departmentId) {
        throw new ForbiddenError(say(context, 'other_department', { code: actor.departmentCode }), 'other_department');
      }
      if (current.version !== expected) stale(context, current.version, expected);
      if (current.kind !== 'new_offer' || !current.plannedOffer) throw new ConflictError(say(context, 'not_a_new_offer'), 'not_a_new_offer');
      if (current.offerId) throw new ConflictError(say(context, 'already_opened'), 'already_opened');
      const planned = current.plannedOffer;
      // The offers service checks the content and the actor's rights, as for any new offer.
      const offer = await deps.offers.create(context, {
        name: planned.name,
        offerType: planned.offerType,
        departmentCode: current.department.code,
        ...(planned.capacity !== undefined ? { capacity: { value: planned.capacity, unit: 'Plätze' } } : {}),
        locations: [
          {
            name: planned.name,
            ...(planned.address ? { address: planned.address } : {}),
            geometry: { type: 'Point', coordinates: [planned.lon, planned.lat] },
          },
        ],
      });
      const write: MeasureWrite = {
        ...(await resolveMeasure(context, actor, inputOfMeasure(current))),
        offerId: offer.id,
        status: current.status === 'planned' ? 'in_progress' : current.status,
      };
      return saveVersion(
        context,
        actor,
        { entityType: 'steering_measure', id, expected, action: 'steering_measure.opened', before: current, details: { offerId: offer.id } },
        (trx) => updateMeasure(trx, id, expected, write, { openedAt: true }),
        async (trx) => (await findMeasures(trx, deps.cityId, [id], today()))[0],
        loadMeasure,
      );
    },

    async takeSnapshots(trigger, context, requested = {}) {
      const started = performance.now();
      if (context) planner(context);
      const current = monthOf(clock());
      const language = context?.language ?? 'en';
      if (requested.month !== undefined && requested.month !== current) {
        const sayContext = context ?? { actor: { kind: 'anonymous' }, language };
        throw invalid(sayContext, [fieldError(sayContext, 'month', 'snapshot_month', { current })]);
      }
      const adopted = await findGoals(deps.db, deps.cityId, await listGoalIds(deps.db, deps.cityId, { status: 'adopted' }));
      const done = await goalIdsWithSnapshot(deps.db, adopted.map((goal) => goal.id), current);
      const due = adopted.filter((goal) => !done.has(goal.id));
      const figures = await measureGoals(deps, due, current);
      const history = await listSnapshots(deps.db, due.map((goal) => goal.id));
      const rows = due.map((goal) => {
        const figure = figures.get(goal.id)!;
        const series = history
          .filter((snapshot) => snapshot.goalId === goal.id)
          .map((snapshot) => ({ month: snapshot.month, value: snapshot.value }));
        const judged = trackStatus({ baseline: goal.baseline, target: goal.target, values: [...series, { month: current, value: figure.value }], asOf: `${current}-01` });
        return {
          goalId: goal.id,
          month: current,
          trigger,
          value: figure.value,
          status: judged.status,
          goalVersion: goal.version,
          method: { ...figure.method, progress: judged.progress, expected: judged.expected, projected: judged.projected },
          areas: figure.areas,
        };
      });
      const actor = context && context.actor.kind === 'user' ? auditActor(context.actor) : auditActor(trigger === 'schedule' ? 'schedule' : 'command-line');
      const inserted = await deps.db.transaction(async (trx) => {
        const saved = await insertSnapshots(trx, rows, clock());
        await deps.audit.recordMany(
          trx,
          saved.map((snapshot) => ({
            actor,
            action: 'steering_snapshot.taken',
            entityType: 'steering_goal',
            entityId: snapshot.goalId,
            entityVersion: null,
            requestId: context?.requestId,
            before: null,
            after: { month: snapshot.month, value: snapshot.value, status: snapshot.status, trigger: snapshot.trigger },
          })),
        );
        return saved.length;
      });
      return { month: current, taken: inserted, alreadyTaken: done.size + (rows.length - inserted), milliseconds: Math.round(performance.now() - started) };
    },

    async dashboard(context, query, options = {}) {
      const publicOnly = options.publicOnly === true;
      if (!publicOnly) signedIn(context);
      const goals = await listGoalsFiltered(query, publicOnly);
      const [snapshots, measureIds, terms] = await Promise.all([
        listSnapshots(deps.db, goals.map((goal) => goal.id)),
        listMeasureIds(deps.db, deps.cityId, { goalIds: goals.map((goal) => goal.id) }),
        deps.taxonomies.list(),
      ]);
      const measures = await findMeasures(deps.db, deps.cityId, measureIds, today());
      const soon = new Date(clock().getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
      const fieldTerms = terms.find((taxonomy) => taxonomy.code === 'field_of_action')?.terms ?? [];
      const fields = fieldTerms.map((term) => ({
        fieldOfAction: term.code,
        label: term.label,
        goals: goals
          .filter((goal) => goal.fieldOfAction === term.code)
          .map((goal): DashboardGoal => {
            const own = snapshots.filter((snapshot) => snapshot.goalId === goal.id);
            const last = own[own.length - 1];
            const served = measures.filter((measure) => measure.goalIds.includes(goal.id) && measure.status !== 'done' && measure.status !== 'cancelled');
            return {
              goal,
              status: statusOf(goal, own),
              latest: last ? { month: last.month, value: last.value, takenAt: last.takenAt, method: last.method } : null,
              series: own.map((snapshot) => ({ month: snapshot.month, value: snapshot.value, status: snapshot.status })),
              measuresDue: served.filter((measure) => measure.milestones.some((milestone) => milestone.doneOn === null && milestone.dueDate >= today() && milestone.dueDate <= soon)).length,
              measuresOverdue: served.filter((measure) => measure.overdueMilestones > 0).length,
            };
          }),
      }));
      return { asOf: today(), fields };
    },
  };
}
