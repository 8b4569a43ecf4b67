import type { AreaCodeRule, StatisticsMapping } from '../datasets/datasets.schema.ts';
import { listIndicatorCodes } from './imports.repo.ts';
import { parseDecimal, textValue } from './field-values.ts';
import type { ImportContext, ImporterResult } from './import-context.ts';
import { ImportRejectedError } from './import-issues.ts';
import type { WriteCounts } from './imports.schema.ts';
import type { SourceTable } from './source-file.ts';
import {
  createStatisticStage,
  dropStatisticStage,
  findUnjoinedStatistics,
  stageStatistics,
  upsertDerivedStatistic,
  upsertStagedStatistics,
  type StagedStatisticRow,
} from './statistic-import.repo.ts';

interface CompiledRule {
  pattern: RegExp;
  rule: AreaCodeRule;
}

/** Compiles the area rules; a broken regular expression is a problem of the manifest. */
export function compileAreaRules(rules: readonly AreaCodeRule[]): { compiled: CompiledRule[]; problems: string[] } {
  const compiled: CompiledRule[] = [];
  const problems: string[] = [];
  rules.forEach((rule, index) => {
    try {
      compiled.push({ pattern: new RegExp(`^(?:${rule.match})$`, 'u'), rule });
    } catch (error) {
      problems.push(`mapping.area.rules.${index}.match is not a valid regular expression: ${(error as Error).message}`);
    }
  });
  return { compiled, problems };
}

/** The area a value of the area field names: the first rule whose pattern matches the whole value. */
export function resolveAreaCode(value: string, rules: readonly CompiledRule[]): { level: string; code: string } | undefined {
  for (const { pattern, rule } of rules) {
    if (!pattern.test(value)) continue;
    const code = rule.code === undefined ? value : value.replace(pattern, rule.code);
    return { level: rule.level, code };
  }
  return undefined;
}

function mappedIndicatorCodes(mapping: StatisticsMapping): { code: string; field: string }[] {
  const codes: { code: string; field: string }[] = [];
  if (mapping.format === 'long') {
    for (const [value, code] of Object.entries(mapping.indicator.values)) {
      if (code !== null) codes.push({ code, field: `mapping.indicator.values["${value}"]` });
    }
  } else {
    for (const [column, code] of Object.entries(mapping.columns)) codes.push({ code, field: `mapping.columns.${column}` });
  }
  mapping.derived.forEach((derived, index) => {
    codes.push({ code: derived.indicator, field: `mapping.derived.${index}.indicator` });
    for (const part of derived.sum) codes.push({ code: part, field: `mapping.derived.${index}.sum` });
  });
  return codes;
}

function periodOf(mapping: StatisticsMapping, values: Record<string, string>): { period: string } | { reason: string; field: string } {
  if ('value' in mapping.period) return { period: mapping.period.value };
  const year = textValue(values[mapping.period.field]);
  if (year === null) return { reason: 'is empty: the year is required.', field: mapping.period.field };
  if (!/^\d{4}$/.test(year) || Number(year) < 1900 || Number(year) > 2200) {
    return { reason: `"${year}" is not a year between 1900 and 2200.`, field: mapping.period.field };
  }
  // The statistics describe the population on 31 December of the year.
  return { period: `${year}-12-31` };
}

/** The mapping against the city's indicators and the file's header: problems here reject the file before any row is read. */
async function checkStatisticsMapping(context: ImportContext, mapping: StatisticsMapping, table: SourceTable): Promise<CompiledRule[]> {
  const { issues } = context;
  const known = await listIndicatorCodes(context.executor, context.cityId);
  for (const { code, field } of mappedIndicatorCodes(mapping)) {
    if (!known.has(code)) {
      issues.error({
        field,
        code: 'unknown_indicator',
        message: `"${code}" is not a known indicator code of the city "${context.cityId}" (mapping of ${context.datasetId}); declare it in geodata/indicators.json or in the city folder's indicators.json.`,
      });
    }
  }
  const { compiled, problems } = compileAreaRules(mapping.area.rules);
  for (const problem of problems) issues.error({ code: 'invalid_mapping', message: problem });

  const requiredColumns = [
    mapping.area.field,
    ...('field' in mapping.period ? [mapping.period.field] : []),
    ...(mapping.format === 'long' ? [mapping.indicator.field, mapping.value] : Object.keys(mapping.columns)),
  ];
  for (const column of requiredColumns) {
    if (!table.columns.includes(column)) {
      issues.error({ line: 1, field: column, code: 'missing_field', message: `the column "${column}" is missing from the header.` });
    }
  }
  if (issues.failed) throw new ImportRejectedError(issues);
  return compiled;
}

/** The values read so far: one staged row per area, indicator and period. */
interface StatisticValues {
  staged: StagedStatisticRow[];
  firstLineByKey: Map<string, number>;
}

interface StatisticValue {
  line: number;
  field: string;
  area: { level: string; code: string };
  indicator: string;
  period: string;
  raw: string | undefined;
}

/** Stages one value of a row; false when it is empty (and may be), unreadable or a repeat. */
function addStatisticValue(context: ImportContext, mapping: StatisticsMapping, values: StatisticValues, value: StatisticValue): boolean {
  const { issues } = context;
  const { line, field, area, indicator, period } = value;
  const text = textValue(value.raw);
  if (text === null) {
    if (mapping.empty === 'skip') return false;
    issues.error({ line, field, code: 'missing_value', message: 'is empty: a value is required (set "empty": "skip" in the mapping for suppressed values).' });
    return false;
  }
  const parsed = parseDecimal(text);
  if (!parsed.ok) {
    issues.error({ line, field, code: 'invalid_number', message: `${parsed.reason}.` });
    return false;
  }
  const key = `${area.level}\u0000${area.code}\u0000${indicator}\u0000${period}`;
  const first = values.firstLineByKey.get(key);
  if (first !== undefined) {
    issues.error({
      line,
      field,
      code: 'duplicate_id',
      message: `a second value for ${indicator}, ${area.level} ${area.code}, ${period} (first on line ${first}).`,
    });
    return false;
  }
  values.firstLineByKey.set(key, line);
  values.staged.push({ line, level: area.level, code: area.code, indicator, period, value: parsed.value });
  return true;
}

/** Where a row belongs (its area and period), or undefined after reporting why it cannot be placed. */
function placeStatisticRow(context: ImportContext, mapping: StatisticsMapping, rules: readonly CompiledRule[], row: SourceTable['rows'][number]): { area: { level: string; code: string }; period: string } | undefined {
  const { issues } = context;
  const areaValue = textValue(row.values[mapping.area.field]);
  if (areaValue === null) {
    issues.error({ line: row.line, field: mapping.area.field, code: 'missing_field', message: 'is empty: every row needs an area.' });
    return undefined;
  }
  const area = resolveAreaCode(areaValue, rules);
  if (!area) {
    issues.error({ line: row.line, field: mapping.area.field, code: 'unknown_area', message: `"${areaValue}" matches none of the area rules of the mapping.` });
    return undefined;
  }
  const period = periodOf(mapping, row.values);
  if ('reason' in period) {
    issues.error({ line: row.line, field: period.field, code: 'invalid_period', message: period.reason });
    return undefined;
  }
  return { area, period: period.period };
}

/** Stages the values of one row: 'accepted' when at least one value was kept, 'skipped' when none is wanted, else undefined. */
function readStatisticRow(
  context: ImportContext,
  mapping: StatisticsMapping,
  values: StatisticValues,
  row: SourceTable['rows'][number],
  place: { area: { level: string; code: string }; period: string },
): 'accepted' | 'skipped' | undefined {
  const at = { line: row.line, area: place.area, period: place.period };
  if (mapping.format === 'long') {
    const label = textValue(row.values[mapping.indicator.field]);
    if (label === null || !(label in mapping.indicator.values)) {
      context.issues.error({
        line: row.line,
        field: mapping.indicator.field,
        code: 'unknown_indicator',
        message: `"${label ?? ''}" is not listed in the mapping (mapping.indicator.values): map it to an indicator code or to null to ignore it.`,
      });
      return undefined;
    }
    const indicator = mapping.indicator.values[label];
    if (indicator === null || indicator === undefined) return 'skipped';
    return addStatisticValue(context, mapping, values, { ...at, field: mapping.value, indicator, raw: row.values[mapping.value] }) ? 'accepted' : undefined;
  }
  let any = false;
  for (const [column, indicator] of Object.entries(mapping.columns)) {
    if (addStatisticValue(context, mapping, values, { ...at, field: column, indicator, raw: row.values[column] })) any = true;
  }
  return any ? 'accepted' : 'skipped';
}

/** Reads and checks every row into staged values; any error rejects the file. */
function readStatisticRows(context: ImportContext, mapping: StatisticsMapping, table: SourceTable, rules: readonly CompiledRule[]): { staged: StagedStatisticRow[]; rowsAccepted: number; rowsSkipped: number } {
  const values: StatisticValues = { staged: [], firstLineByKey: new Map() };
  let rowsSkipped = 0;
  let rowsAccepted = 0;
  for (const [index, row] of table.rows.entries()) {
    if (index % 5000 === 0) context.progress('validating', index, table.rows.length);
    const place = placeStatisticRow(context, mapping, rules, row);
    if (!place) continue;
    const outcome = readStatisticRow(context, mapping, values, row, place);
    if (outcome === 'accepted') rowsAccepted += 1;
    else if (outcome === 'skipped') rowsSkipped += 1;
  }
  if (context.issues.failed) throw new ImportRejectedError(context.issues);
  return { staged: values.staged, rowsAccepted, rowsSkipped };
}

/** Stages the values, checks that every area exists, then writes them and the derived indicators. */
async function writeStatistics(context: ImportContext, mapping: StatisticsMapping, staged: StagedStatisticRow[]): Promise<WriteCounts> {
  const { issues, executor } = context;
  await createStatisticStage(executor);
  await stageStatistics(executor, staged, (done) => context.progress('writing', done, staged.length));
  const unjoined = await findUnjoinedStatistics(executor, context.cityId);
  for (const row of unjoined) {
    issues.error({
      line: row.line,
      field: mapping.area.field,
      code: 'area_not_found',
      message: `there is no ${row.level} area with the code ${row.code}: import the areas first.`,
    });
  }
  if (issues.failed) throw new ImportRejectedError(issues);

  let counts: WriteCounts = await upsertStagedStatistics(executor, context.cityId, context.source, staged.length);
  for (const derived of mapping.derived) {
    context.progress('linking', 0, mapping.derived.length);
    const derivedCounts = await upsertDerivedStatistic(executor, { cityId: context.cityId, indicator: derived.indicator, parts: derived.sum, source: context.source });
    counts = {
      inserted: counts.inserted + derivedCounts.inserted,
      updated: counts.updated + derivedCounts.updated,
      unchanged: counts.unchanged + derivedCounts.unchanged,
    };
  }
  await dropStatisticStage(executor);
  return counts;
}

/** Imports a statistics table in three steps: check the mapping, read the rows, write them. */
export async function importStatistics(context: ImportContext, mapping: StatisticsMapping, table: SourceTable): Promise<ImporterResult> {
  const rules = await checkStatisticsMapping(context, mapping, table);
  const { staged, rowsAccepted, rowsSkipped } = readStatisticRows(context, mapping, table, rules);
  const counts = await writeStatistics(context, mapping, staged);
  return { rowsRead: table.rows.length, rowsAccepted, rowsSkipped, tables: { area_statistics: counts } };
}
