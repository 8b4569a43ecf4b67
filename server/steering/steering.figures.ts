import type { Knex } from 'knex';
import type { AreaCoverage, ScenarioBody } from '../coverage/coverage.schema.ts';
import type { CoverageFiguresResult, CoverageService } from '../coverage/coverage.service.ts';
import { findCityArea, latestStatistics, findIndicator, listProcessValues } from './steering.repo.ts';
import type { AreaRef, Goal, GoalFigure, KeyFigure, SnapshotArea } from './steering.schema.ts';

type CoverageFigure = Extract<KeyFigure, { kind: 'coverage' }>;

/** The coverage question behind a coverage figure; goals with the same question share one computation. */
export function coverageQuestion(figure: CoverageFigure): Omit<ScenarioBody, 'offers'> {
  return {
    ...(figure.offerType ? { offerType: figure.offerType } : {}),
    ...(figure.targetGroup ? { targetGroup: figure.targetGroup } : {}),
    ...(figure.mode ? { mode: figure.mode } : {}),
    ...(figure.distance ? { distance: figure.distance } : {}),
  };
}

export function unitOf(figure: CoverageFigure): string {
  return figure.measure === 'share_within_reach' ? 'percent' : 'per_1000';
}

/** What a coverage figure reads of an area: the full coverage row or the snapshot's reach figures. */
type ReachRow = Pick<AreaCoverage, 'areaId' | 'code' | 'name' | 'targetPopulation' | 'coveredPopulation' | 'uncoveredPopulation' | 'offers' | 'capacity'>;

/** A coverage figure over a set of area rows: shares weighted by target residents, rates per 1,000 of them. */
export function coverageValue(figure: CoverageFigure, rows: readonly ReachRow[]): number | null {
  const target = rows.reduce((sum, row) => sum + row.targetPopulation, 0);
  if (rows.length === 0 || target <= 0) return null;
  switch (figure.measure) {
    case 'share_within_reach':
      return (100 * rows.reduce((sum, row) => sum + row.coveredPopulation, 0)) / target;
    case 'offers_per_1000':
      return (1000 * rows.reduce((sum, row) => sum + row.offers, 0)) / target;
    case 'capacity_per_1000':
      return (1000 * rows.reduce((sum, row) => sum + (row.capacity ?? 0), 0)) / target;
  }
}

function coverageAreas(figure: CoverageFigure, rows: readonly ReachRow[]): SnapshotArea[] {
  return rows.map((row) => ({
    areaId: row.areaId,
    code: row.code,
    name: row.name,
    value: coverageValue(figure, [row]),
    missing: false,
    targetPopulation: row.targetPopulation,
    uncovered: row.uncoveredPopulation,
  }));
}

function previousMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return monthNumber === 1 ? `${year - 1}-12` : `${year}-${String(monthNumber - 1).padStart(2, '0')}`;
}

export interface FigureContext {
  db: Knex;
  coverage: CoverageService;
  /** The city whose goals these are (issue 13); the database's default city when left out. */
  cityId?: string | undefined;
}

/** The areas a goal is measured in: its own, or the city as one area. */
export async function goalAreas(db: Knex, cityId: string | undefined, goal: Goal): Promise<AreaRef[]> {
  if (goal.scope === 'areas') return goal.areas;
  const city = await findCityArea(db, cityId);
  return city ? [city] : [];
}

/**
 * Measures the figures of many goals for the month `month` (YYYY-MM): statistics as of its first
 * day, coverage from the inventory as it is now, process figures as entered for the month before
 * (the month just ended). Coverage questions shared by several goals are computed once.
 */
// eslint-disable-next-line max-lines-per-function -- one batch of figures: the coverage questions of all goals are gathered and answered at once
export async function measureGoals(context: FigureContext, goals: readonly Goal[], month: string): Promise<Map<string, GoalFigure>> {
  const asOf = `${month}-01`;
  const results = new Map<string, GoalFigure>();
  // Every distinct coverage question once, as one batch: the coverage service reads the model,
  // demand and supply once per offer type, and measures the nearest distances once per offer type
  // and target group for all reach distances (docs/benchmarks.md, "Steering").
  const questions = new Map<string, ReturnType<typeof coverageQuestion>>();
  for (const goal of goals) {
    if (goal.keyFigure.kind === 'coverage') questions.set(JSON.stringify(coverageQuestion(goal.keyFigure)), coverageQuestion(goal.keyFigure));
  }
  const answers = await context.coverage.coverageFigures([...questions.values()]);
  const coverageByQuestion = new Map<string, CoverageFiguresResult>([...questions.keys()].map((key, index) => [key, answers[index]!]));
  const city = goals.some((goal) => goal.scope === 'city') ? await findCityArea(context.db, context.cityId) : undefined;
  const areasOf = (goal: Goal): AreaRef[] => (goal.scope === 'areas' ? goal.areas : city ? [city] : []);
  const processMonth = previousMonth(month);
  const processGoals = goals.filter((goal) => goal.keyFigure.kind === 'process').map((goal) => goal.id);
  const processValues = await listProcessValues(context.db, processGoals, processMonth);

  for (const goal of goals) {
    const areas = areasOf(goal);
    const figure = goal.keyFigure;
    if (figure.kind === 'coverage') {
      const result = coverageByQuestion.get(JSON.stringify(coverageQuestion(figure)))!;
      const ids = new Set(areas.map((area) => area.id));
      const rows = result.areas.filter((row) => ids.has(row.areaId));
      results.set(goal.id, {
        value: coverageValue(figure, rows),
        areas: coverageAreas(figure, rows),
        method: {
          kind: 'coverage',
          measure: figure.measure,
          reach: result.method.reach,
          targetGroup: result.method.targetGroup,
          offerType: result.method.offerType,
          demand: { indicators: result.method.demand.indicators, year: result.method.demand.year },
          supply: { offers: result.method.supply.offers, locations: result.method.supply.locations },
          dataDates: result.method.dataDates,
        },
      });
    } else if (figure.kind === 'statistic') {
      const indicator = await findIndicator(context.db, context.cityId, figure.indicator);
      const values = indicator ? await latestStatistics(context.db, indicator.id, areas.map((area) => area.id), asOf) : new Map();
      const rows: SnapshotArea[] = areas.map((area) => ({
        areaId: area.id,
        code: area.code,
        name: area.name,
        value: values.get(area.id)?.value ?? null,
        missing: !values.has(area.id),
      }));
      const known = rows.flatMap((row) => (row.value === null ? [] : [row.value]));
      let value: number | null = null;
      if (known.length === rows.length && known.length > 0) {
        if (indicator?.aggregation === 'sum') value = known.reduce((sum, entry) => sum + entry, 0);
        else if (indicator?.aggregation === 'mean') value = known.reduce((sum, entry) => sum + entry, 0) / known.length;
        else if (known.length === 1) value = known[0]!;
      }
      const periods = [...values.values()].map((entry: { period: string }) => entry.period).sort();
      results.set(goal.id, {
        value,
        areas: rows,
        method: { kind: 'statistic', indicator: figure.indicator, aggregation: indicator?.aggregation ?? null, period: periods[periods.length - 1] ?? null },
      });
    } else {
      const entries = processValues.filter((entry) => entry.goalId === goal.id);
      const whole = entries.find((entry) => entry.areaId === null);
      const rows: SnapshotArea[] = areas.map((area) => {
        const entry = entries.find((candidate) => candidate.areaId === area.id) ?? (areas.length === 1 ? whole : undefined);
        return { areaId: area.id, code: area.code, name: area.name, value: entry?.value ?? null, missing: entry === undefined };
      });
      const value = whole?.value ?? (rows.length > 0 && rows.every((row) => !row.missing) ? rows.reduce((sum, row) => sum + row.value!, 0) : null);
      results.set(goal.id, {
        value,
        areas: rows,
        method: {
          kind: 'process',
          month: processMonth,
          missing: value === null,
          sources: [...new Set(entries.map((entry) => entry.source))],
          enteredBy: [...new Set(entries.map((entry) => entry.enteredBy))],
        },
      });
    }
  }
  return results;
}
