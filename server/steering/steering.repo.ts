import type { Knex } from 'knex';
import { cityScope } from '../db/city-scope.ts';
import type {
  AreaRef,
  IndicatorChoice,
  Goal,
  GoalListQuery,
  GoalStatus,
  KeyFigure,
  Measure,
  MeasureKind,
  MeasureStatus,
  Milestone,
  PlannedOffer,
  ProcessValue,
  Snapshot,
  SnapshotArea,
  TrackStatus,
} from './steering.schema.ts';

type Executor = Knex | Knex.Transaction;

interface DepartmentRef {
  id: string;
  code: string;
  name: string;
}

function isoDay(value: Date | string): string {
  if (typeof value === 'string') return value.slice(0, 10);
  // date columns arrive as local midnight from the pg driver
  const local = new Date(value.getTime() - value.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

// ---------------------------------------------------------------- departments, areas, indicators
// Every read is scoped to the city the process serves (cityScope; undefined: the default city):
// codes of departments, areas and indicators repeat across cities (issue 13).

export async function findDepartmentsByCode(executor: Executor, cityId: string | undefined, codes: readonly string[]): Promise<Map<string, DepartmentRef>> {
  if (codes.length === 0) return new Map();
  const rows = (await cityScope(executor('departments'), cityId).whereIn('code', [...new Set(codes)]).select('id', 'code', 'name')) as DepartmentRef[];
  return new Map(rows.map((row) => [row.code, row]));
}

export async function findAreas(executor: Executor, cityId: string | undefined, ids: readonly string[]): Promise<AreaRef[]> {
  if (ids.length === 0) return [];
  return (await cityScope(executor('areas'), cityId).whereIn('id', [...new Set(ids)]).select('id', 'code', 'name', 'level')) as AreaRef[];
}

export async function findCityArea(executor: Executor, cityId: string | undefined): Promise<AreaRef | undefined> {
  return (await cityScope(executor('areas'), cityId).where({ level: 'city' }).whereNull('valid_to').orderBy('code').first('id', 'code', 'name', 'level')) as AreaRef | undefined;
}

export async function findIndicator(
  executor: Executor,
  cityId: string | undefined,
  code: string,
): Promise<{ id: string; code: string; unit: string; aggregation: string } | undefined> {
  return (await cityScope(executor('indicators'), cityId).where({ code }).first('id', 'code', 'unit', 'aggregation')) as
    | { id: string; code: string; unit: string; aggregation: string }
    | undefined;
}

/** Every indicator a statistics goal can name, with its labels and unit (the goal form's choices). */
export async function listIndicators(executor: Executor, cityId: string | undefined): Promise<IndicatorChoice[]> {
  const rows = (await cityScope(executor('indicators'), cityId).orderBy([{ column: 'sort_order' }, { column: 'code' }]).select('code', 'label_de', 'label_en', 'unit')) as { code: string; label_de: string; label_en: string; unit: string }[];
  return rows.map((row) => ({ code: row.code, label: { de: row.label_de, en: row.label_en }, unit: row.unit }));
}

/** The areas (by id) that have at least one value of the indicator. */
export async function areasWithStatistic(executor: Executor, indicatorId: string, areaIds: readonly string[]): Promise<Set<string>> {
  if (areaIds.length === 0) return new Set();
  const rows = (await executor('area_statistics')
    .where({ indicator_id: indicatorId })
    .whereIn('area_id', [...areaIds])
    .distinct('area_id')) as { area_id: string }[];
  return new Set(rows.map((row) => row.area_id));
}

/** The latest value of an indicator per area on or before `asOf`, with its period. */
export async function latestStatistics(
  executor: Executor,
  indicatorId: string,
  areaIds: readonly string[],
  asOf: string,
): Promise<Map<string, { value: number; period: string; source: string | null }>> {
  if (areaIds.length === 0) return new Map();
  const rows = (await executor('area_statistics')
    .distinctOn('area_id')
    .where({ indicator_id: indicatorId })
    .whereIn('area_id', [...areaIds])
    .where('period', '<=', asOf)
    .orderBy([{ column: 'area_id' }, { column: 'period', order: 'desc' }])
    .select('area_id', 'value', 'period', 'source')) as { area_id: string; value: number; period: Date | string; source: string | null }[];
  return new Map(rows.map((row) => [row.area_id, { value: Number(row.value), period: isoDay(row.period), source: row.source }]));
}

// ---------------------------------------------------------------- goals

interface GoalRow {
  id: string;
  field_of_action: string;
  title: string;
  rationale: string | null;
  target_group: string | null;
  scope: 'city' | 'areas';
  key_figure: unknown;
  unit: string;
  baseline_value: number;
  baseline_date: Date | string;
  target_value: number;
  deadline: Date | string;
  owner_department_id: string;
  owner_code: string;
  owner_name: string;
  council_reference: string | null;
  status: GoalStatus;
  adopted_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface GoalWrite {
  fieldOfAction: string;
  title: string;
  rationale: string | null;
  targetGroup: string | null;
  scope: 'city' | 'areas';
  areaIds: string[];
  keyFigure: KeyFigure;
  unit: string;
  baseline: { value: number; date: string };
  target: { value: number; deadline: string };
  ownerDepartmentId: string;
  contributingDepartmentIds: string[];
  councilReference: string | null;
}

function goalColumns(write: GoalWrite): Record<string, unknown> {
  return {
    field_of_action: write.fieldOfAction,
    title: write.title,
    rationale: write.rationale,
    target_group: write.targetGroup,
    scope: write.scope,
    key_figure: JSON.stringify(write.keyFigure),
    unit: write.unit,
    baseline_value: write.baseline.value,
    baseline_date: write.baseline.date,
    target_value: write.target.value,
    deadline: write.target.deadline,
    owner_department_id: write.ownerDepartmentId,
    council_reference: write.councilReference,
  };
}

async function writeGoalLinks(executor: Executor, goalId: string, write: GoalWrite): Promise<void> {
  await executor('steering_goal_areas').where({ goal_id: goalId }).delete();
  await executor('steering_goal_departments').where({ goal_id: goalId }).delete();
  if (write.areaIds.length > 0) {
    await executor('steering_goal_areas').insert([...new Set(write.areaIds)].map((areaId) => ({ goal_id: goalId, area_id: areaId })));
  }
  const contributing = [...new Set(write.contributingDepartmentIds)].filter((id) => id !== write.ownerDepartmentId);
  if (contributing.length > 0) {
    await executor('steering_goal_departments').insert(contributing.map((departmentId) => ({ goal_id: goalId, department_id: departmentId })));
  }
}

export async function insertGoal(executor: Executor, cityId: string | undefined, write: GoalWrite): Promise<string> {
  // Without a city the column default (the default city) applies.
  const [row] = (await executor('steering_goals').insert({ ...goalColumns(write), ...(cityId === undefined ? {} : { city_id: cityId }) }).returning('id')) as { id: string }[];
  await writeGoalLinks(executor, row!.id, write);
  return row!.id;
}

/** Writes the new content if the goal is still at `expectedVersion`; false when it moved on. */
export async function updateGoal(executor: Executor, id: string, expectedVersion: number, write: GoalWrite): Promise<boolean> {
  const updated = await executor('steering_goals')
    .where({ id, version: expectedVersion })
    .update({ ...goalColumns(write), version: expectedVersion + 1, updated_at: executor.fn.now() });
  if (updated === 0) return false;
  await writeGoalLinks(executor, id, write);
  return true;
}

export async function updateGoalStatus(executor: Executor, id: string, expectedVersion: number, status: GoalStatus): Promise<boolean> {
  const updated = await executor('steering_goals')
    .where({ id, version: expectedVersion })
    .update({
      status,
      version: expectedVersion + 1,
      updated_at: executor.fn.now(),
      ...(status === 'adopted' ? { adopted_at: executor.fn.now() } : {}),
    });
  return updated > 0;
}

export async function lockGoal(executor: Executor, id: string): Promise<void> {
  await executor('steering_goals').where({ id }).forUpdate().first('id');
}

export async function findGoals(executor: Executor, cityId: string | undefined, ids: readonly string[]): Promise<Goal[]> {
  if (ids.length === 0) return [];
  const rows = (await cityScope(executor('steering_goals as g'), cityId, 'g')
    .join('departments as d', 'd.id', 'g.owner_department_id')
    .whereIn('g.id', [...ids])
    .select('g.*', 'd.code as owner_code', 'd.name as owner_name')) as GoalRow[];
  const [areaRows, departmentRows] = await Promise.all([
    executor('steering_goal_areas as ga')
      .join('areas as a', 'a.id', 'ga.area_id')
      .whereIn('ga.goal_id', [...ids])
      .orderBy('a.name')
      .select('ga.goal_id', 'a.id', 'a.code', 'a.name', 'a.level') as Promise<(AreaRef & { goal_id: string })[]>,
    executor('steering_goal_departments as gd')
      .join('departments as d', 'd.id', 'gd.department_id')
      .whereIn('gd.goal_id', [...ids])
      .orderBy('d.code')
      .select('gd.goal_id', 'd.id', 'd.code', 'd.name') as Promise<(DepartmentRef & { goal_id: string })[]>,
  ]);
  const byId = new Map(
    rows.map((row): [string, Goal] => [
      row.id,
      {
        id: row.id,
        fieldOfAction: row.field_of_action,
        title: row.title,
        rationale: row.rationale,
        targetGroup: row.target_group,
        scope: row.scope,
        areas: areaRows.filter((area) => area.goal_id === row.id).map(({ id, code, name, level }) => ({ id, code, name, level })),
        keyFigure: json<KeyFigure>(row.key_figure),
        unit: row.unit,
        baseline: { value: Number(row.baseline_value), date: isoDay(row.baseline_date) },
        target: { value: Number(row.target_value), deadline: isoDay(row.deadline) },
        ownerDepartment: { id: row.owner_department_id, code: row.owner_code, name: row.owner_name },
        contributingDepartments: departmentRows
          .filter((department) => department.goal_id === row.id)
          .map(({ id, code, name }) => ({ id, code, name })),
        councilReference: row.council_reference,
        status: row.status,
        adoptedAt: iso(row.adopted_at),
        version: row.version,
        createdAt: iso(row.created_at)!,
        updatedAt: iso(row.updated_at)!,
      },
    ]),
  );
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

export async function listGoalIds(executor: Executor, cityId: string | undefined, filter: GoalListQuery & { statuses?: GoalStatus[] }): Promise<string[]> {
  const query = cityScope(executor('steering_goals as g'), cityId, 'g').select('g.id').orderBy([{ column: 'g.field_of_action' }, { column: 'g.title' }, { column: 'g.id' }]);
  if (filter.fieldOfAction) query.where('g.field_of_action', filter.fieldOfAction);
  if (filter.targetGroup) query.where('g.target_group', filter.targetGroup);
  if (filter.status) query.where('g.status', filter.status);
  if (filter.statuses) query.whereIn('g.status', filter.statuses);
  if (filter.department) {
    query.where((where) => {
      where
        .whereIn('g.owner_department_id', cityScope(executor('departments').select('id').where('code', filter.department!), cityId))
        .orWhereIn(
          'g.id',
          executor('steering_goal_departments as gd')
            .join('departments as d', 'd.id', 'gd.department_id')
            .where('d.code', filter.department!)
            .select('gd.goal_id'),
        );
    });
  }
  if (filter.area) {
    // A goal for the whole city concerns every area; a goal for a district concerns its Sozialräume.
    query.where((where) => {
      where
        .where('g.scope', 'city')
        .orWhereIn(
          'g.id',
          executor('steering_goal_areas as ga')
            .join('areas as a', 'a.id', 'ga.area_id')
            .where('a.id', filter.area!)
            .orWhereIn('a.id', executor('areas').select('parent_id').where('id', filter.area!))
            .select('ga.goal_id'),
        );
    });
  }
  const rows = (await query) as { id: string }[];
  return rows.map((row) => row.id);
}

// ---------------------------------------------------------------- measures

interface MeasureRow {
  id: string;
  kind: MeasureKind;
  title: string;
  description: string | null;
  department_id: string;
  department_code: string;
  department_name: string;
  status: MeasureStatus;
  progress: number;
  budget: number | null;
  planned_offer: unknown;
  offer_id: string | null;
  opened_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface MeasureWrite {
  kind: MeasureKind;
  title: string;
  description: string | null;
  goalIds: string[];
  departmentId: string;
  contributingDepartmentIds: string[];
  status: MeasureStatus;
  progress: number;
  budget: number | null;
  plannedOffer: PlannedOffer | null;
  offerId: string | null;
  milestones: { title: string; dueDate: string; doneOn: string | null }[];
}

function measureColumns(write: MeasureWrite): Record<string, unknown> {
  return {
    kind: write.kind,
    title: write.title,
    description: write.description,
    department_id: write.departmentId,
    status: write.status,
    progress: write.progress,
    budget: write.budget,
    planned_offer: write.plannedOffer ? JSON.stringify(write.plannedOffer) : null,
    offer_id: write.offerId,
  };
}

async function writeMeasureLinks(executor: Executor, measureId: string, write: MeasureWrite): Promise<void> {
  await executor('steering_measure_goals').where({ measure_id: measureId }).delete();
  await executor('steering_measure_departments').where({ measure_id: measureId }).delete();
  await executor('steering_milestones').where({ measure_id: measureId }).delete();
  await executor('steering_measure_goals').insert([...new Set(write.goalIds)].map((goalId) => ({ measure_id: measureId, goal_id: goalId })));
  const contributing = [...new Set(write.contributingDepartmentIds)].filter((id) => id !== write.departmentId);
  if (contributing.length > 0) {
    await executor('steering_measure_departments').insert(contributing.map((departmentId) => ({ measure_id: measureId, department_id: departmentId })));
  }
  if (write.milestones.length > 0) {
    await executor('steering_milestones').insert(
      write.milestones.map((milestone) => ({ measure_id: measureId, title: milestone.title, due_date: milestone.dueDate, done_on: milestone.doneOn })),
    );
  }
}

export async function insertMeasure(executor: Executor, write: MeasureWrite): Promise<string> {
  const [row] = (await executor('steering_measures').insert(measureColumns(write)).returning('id')) as { id: string }[];
  await writeMeasureLinks(executor, row!.id, write);
  return row!.id;
}

export async function updateMeasure(
  executor: Executor,
  id: string,
  expectedVersion: number,
  write: MeasureWrite,
  extra: { openedAt?: boolean } = {},
): Promise<boolean> {
  const updated = await executor('steering_measures')
    .where({ id, version: expectedVersion })
    .update({
      ...measureColumns(write),
      version: expectedVersion + 1,
      updated_at: executor.fn.now(),
      ...(extra.openedAt ? { opened_at: executor.fn.now() } : {}),
    });
  if (updated === 0) return false;
  await writeMeasureLinks(executor, id, write);
  return true;
}

export async function findMeasures(executor: Executor, cityId: string | undefined, ids: readonly string[], today: string): Promise<Measure[]> {
  if (ids.length === 0) return [];
  // A measure belongs to the city of its department.
  const rows = (await cityScope(executor('steering_measures as m').join('departments as d', 'd.id', 'm.department_id'), cityId, 'd')
    .whereIn('m.id', [...ids])
    .select('m.*', 'd.code as department_code', 'd.name as department_name')) as MeasureRow[];
  const [goalRows, departmentRows, milestoneRows] = await Promise.all([
    executor('steering_measure_goals').whereIn('measure_id', [...ids]).select('measure_id', 'goal_id') as Promise<{ measure_id: string; goal_id: string }[]>,
    executor('steering_measure_departments as md')
      .join('departments as d', 'd.id', 'md.department_id')
      .whereIn('md.measure_id', [...ids])
      .orderBy('d.code')
      .select('md.measure_id', 'd.id', 'd.code', 'd.name') as Promise<(DepartmentRef & { measure_id: string })[]>,
    executor('steering_milestones')
      .whereIn('measure_id', [...ids])
      .orderBy([{ column: 'due_date' }, { column: 'title' }])
      .select('id', 'measure_id', 'title', 'due_date', 'done_on') as Promise<
      { id: string; measure_id: string; title: string; due_date: Date | string; done_on: Date | string | null }[]
    >,
  ]);
  const byId = new Map(
    rows.map((row): [string, Measure] => {
      const milestones: Milestone[] = milestoneRows
        .filter((milestone) => milestone.measure_id === row.id)
        .map((milestone) => ({
          id: milestone.id,
          title: milestone.title,
          dueDate: isoDay(milestone.due_date),
          doneOn: milestone.done_on === null ? null : isoDay(milestone.done_on),
        }));
      return [
        row.id,
        {
          id: row.id,
          kind: row.kind,
          title: row.title,
          description: row.description,
          goalIds: goalRows.filter((link) => link.measure_id === row.id).map((link) => link.goal_id).sort(),
          department: { id: row.department_id, code: row.department_code, name: row.department_name },
          contributingDepartments: departmentRows
            .filter((department) => department.measure_id === row.id)
            .map(({ id, code, name }) => ({ id, code, name })),
          status: row.status,
          progress: row.progress,
          budget: row.budget === null ? null : Number(row.budget),
          plannedOffer: row.planned_offer === null ? null : json<PlannedOffer>(row.planned_offer),
          offerId: row.offer_id,
          openedAt: iso(row.opened_at),
          milestones,
          overdueMilestones:
            row.status === 'done' || row.status === 'cancelled'
              ? 0
              : milestones.filter((milestone) => milestone.doneOn === null && milestone.dueDate < today).length,
          version: row.version,
          createdAt: iso(row.created_at)!,
          updatedAt: iso(row.updated_at)!,
        },
      ];
    }),
  );
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

export async function listMeasureIds(executor: Executor, cityId: string | undefined, filter: { goalIds?: string[]; department?: string }): Promise<string[]> {
  const query = executor('steering_measures as m').select('m.id').orderBy([{ column: 'm.title' }, { column: 'm.id' }]);
  query.whereIn('m.department_id', cityScope(executor('departments').select('id'), cityId));
  if (filter.goalIds) query.whereIn('m.id', executor('steering_measure_goals').whereIn('goal_id', filter.goalIds).select('measure_id'));
  if (filter.department) query.whereIn('m.department_id', cityScope(executor('departments').where('code', filter.department).select('id'), cityId));
  const rows = (await query) as { id: string }[];
  return rows.map((row) => row.id);
}

// ---------------------------------------------------------------- process values

interface ProcessRow {
  id: number;
  goal_id: string;
  area_id: string | null;
  month: Date | string;
  value: number;
  source: string;
  entered_by_label: string;
  entered_at: Date;
}

function toProcessValue(row: ProcessRow): ProcessValue {
  return {
    id: Number(row.id),
    goalId: row.goal_id,
    areaId: row.area_id,
    month: isoDay(row.month).slice(0, 7),
    value: Number(row.value),
    source: row.source,
    enteredBy: row.entered_by_label,
    enteredAt: iso(row.entered_at)!,
  };
}

export async function findProcessValue(executor: Executor, goalId: string, areaId: string | null, month: string): Promise<ProcessValue | undefined> {
  const query = executor('steering_process_values').where({ goal_id: goalId, month: `${month}-01` });
  if (areaId === null) query.whereNull('area_id');
  else query.where('area_id', areaId);
  const row = (await query.first('*')) as ProcessRow | undefined;
  return row ? toProcessValue(row) : undefined;
}

export async function saveProcessValue(
  executor: Executor,
  input: { goalId: string; areaId: string | null; month: string; value: number; source: string; enteredBy: string | null; enteredByLabel: string },
  existingId: number | undefined,
): Promise<ProcessValue> {
  const columns = {
    value: input.value,
    source: input.source,
    entered_by: input.enteredBy,
    entered_by_label: input.enteredByLabel,
    entered_at: executor.fn.now(),
  };
  const [row] = (existingId !== undefined
    ? await executor('steering_process_values').where({ id: existingId }).update(columns).returning('*')
    : await executor('steering_process_values')
        .insert({ ...columns, goal_id: input.goalId, area_id: input.areaId, month: `${input.month}-01` })
        .returning('*')) as ProcessRow[];
  return toProcessValue(row!);
}

export async function listProcessValues(executor: Executor, goalIds: readonly string[], month?: string): Promise<ProcessValue[]> {
  if (goalIds.length === 0) return [];
  const query = executor('steering_process_values').whereIn('goal_id', [...goalIds]).orderBy([{ column: 'month' }, { column: 'id' }]);
  if (month) query.where('month', `${month}-01`);
  return ((await query.select('*')) as ProcessRow[]).map(toProcessValue);
}

// ---------------------------------------------------------------- snapshots

interface SnapshotRow {
  id: string;
  goal_id: string;
  month: Date | string;
  taken_at: Date;
  trigger: Snapshot['trigger'];
  value: number | null;
  status: TrackStatus;
  goal_version: number;
  method: unknown;
  areas: unknown;
}

function toSnapshot(row: SnapshotRow): Snapshot {
  return {
    id: row.id,
    goalId: row.goal_id,
    month: isoDay(row.month).slice(0, 7),
    takenAt: iso(row.taken_at)!,
    trigger: row.trigger,
    value: row.value === null ? null : Number(row.value),
    status: row.status,
    goalVersion: row.goal_version,
    method: json<Record<string, unknown>>(row.method),
    areas: json<SnapshotArea[]>(row.areas),
  };
}

export async function goalIdsWithSnapshot(executor: Executor, goalIds: readonly string[], month: string): Promise<Set<string>> {
  if (goalIds.length === 0) return new Set();
  const rows = (await executor('steering_snapshots').where('month', `${month}-01`).whereIn('goal_id', [...goalIds]).select('goal_id')) as {
    goal_id: string;
  }[];
  return new Set(rows.map((row) => row.goal_id));
}

export async function insertSnapshots(
  executor: Executor,
  snapshots: readonly Omit<Snapshot, 'id' | 'takenAt'>[],
  takenAt: Date,
): Promise<Snapshot[]> {
  if (snapshots.length === 0) return [];
  const rows = (await executor('steering_snapshots')
    .insert(
      snapshots.map((snapshot) => ({
        goal_id: snapshot.goalId,
        month: `${snapshot.month}-01`,
        taken_at: takenAt,
        trigger: snapshot.trigger,
        value: snapshot.value,
        status: snapshot.status,
        goal_version: snapshot.goalVersion,
        method: JSON.stringify(snapshot.method),
        areas: JSON.stringify(snapshot.areas),
      })),
    )
    // Two takers at once (the schedule and the command line): the first one wins, the month stays one value.
    .onConflict(['goal_id', 'month'])
    .ignore()
    .returning('*')) as SnapshotRow[];
  return rows.map(toSnapshot);
}

export async function listSnapshots(executor: Executor, goalIds: readonly string[]): Promise<Snapshot[]> {
  if (goalIds.length === 0) return [];
  const rows = (await executor('steering_snapshots')
    .whereIn('goal_id', [...goalIds])
    .orderBy([{ column: 'goal_id' }, { column: 'month' }])
    .select('*')) as SnapshotRow[];
  return rows.map(toSnapshot);
}
