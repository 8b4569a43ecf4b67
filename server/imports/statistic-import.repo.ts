import type { WriteCounts } from './imports.schema.ts';
import { expectRow, insertJsonBatches, toWriteCounts, type Executor } from './imports.repo.ts';

export interface StagedStatisticRow {
  line: number;
  level: string;
  code: string;
  indicator: string;
  period: string;
  value: number;
}

const stage = 'import_statistic_stage';

export async function createStatisticStage(executor: Executor): Promise<void> {
  await executor.raw('drop table if exists ??', [stage]);
  await executor.raw(
    `create temp table ?? (
      line integer not null,
      level text not null,
      code text not null,
      indicator text not null,
      period date not null,
      value double precision not null
    )`,
    [stage],
  );
}

export async function dropStatisticStage(executor: Executor): Promise<void> {
  await executor.raw('drop table if exists ??', [stage]);
}

export async function stageStatistics(
  executor: Executor,
  rows: readonly StagedStatisticRow[],
  onBatch: (done: number) => void,
): Promise<void> {
  await insertJsonBatches(
    executor,
    `insert into ?? (line, level, code, indicator, period, value)
     select x.line, x.level, x.code, x.indicator, x.period, x.value
     from jsonb_to_recordset(?::jsonb) as x(line integer, level text, code text, indicator text, period date, value double precision)`,
    rows,
    { batchSize: 2000, bindings: (json) => [stage, json], onBatch },
  );
}

/** Rows whose area does not exist: every row of a statistics file must join an area. */
export async function findUnjoinedStatistics(executor: Executor, cityId: string): Promise<{ line: number; level: string; code: string }[]> {
  const result = await executor.raw<{ rows: { line: number; level: string; code: string }[] }>(
    `select s.line, s.level, s.code from ?? s
     where not exists (select 1 from areas a where a.city_id = ? and a.level = s.level and a.code = s.code
       and (a.valid_from is null or a.valid_from <= s.period) and (a.valid_to is null or s.period < a.valid_to))
     order by s.line limit 1000`,
    [stage, cityId],
  );
  return result.rows;
}

export async function upsertStagedStatistics(executor: Executor, cityId: string, source: string, staged: number): Promise<WriteCounts> {
  const result = await executor.raw<{ rows: { inserted: number; updated: number }[] }>(
    `with upserted as (
       insert into area_statistics (area_id, indicator_id, period, value, source)
       select a.id, i.id, s.period, s.value, ?
       from ?? s
       join areas a on a.city_id = ? and a.level = s.level and a.code = s.code
         and (a.valid_from is null or a.valid_from <= s.period) and (a.valid_to is null or s.period < a.valid_to)
       join indicators i on i.city_id = a.city_id and i.code = s.indicator
       on conflict (area_id, indicator_id, period) do update set value = excluded.value, source = excluded.source
       where (area_statistics.value, area_statistics.source) is distinct from (excluded.value, excluded.source)
       returning (xmax = 0) as inserted
     )
     select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated from upserted`,
    [source, stage, cityId],
  );
  return toWriteCounts(expectRow(result.rows, 'the rows'), staged);
}

/**
 * Adds an indicator that is the sum of others (65+ = 65–75 + 75+) for every area and period of
 * this import where all parts are present.
 */
export async function upsertDerivedStatistic(
  executor: Executor,
  derived: { cityId: string; indicator: string; parts: readonly string[]; source: string },
): Promise<WriteCounts & { staged: number }> {
  const result = await executor.raw<{ rows: { inserted: number; updated: number; staged: number }[] }>(
    `with keys as (
       select distinct a.id as area_id, s.period
       from ?? s join areas a on a.city_id = ? and a.level = s.level and a.code = s.code
         and (a.valid_from is null or a.valid_from <= s.period) and (a.valid_to is null or s.period < a.valid_to)
     ),
     sums as (
       select st.area_id, st.period, sum(st.value) as value
       from area_statistics st
       join keys k on k.area_id = st.area_id and k.period = st.period
       join indicators parts on parts.id = st.indicator_id
       where parts.city_id = ? and parts.code in (select jsonb_array_elements_text(?::jsonb))
       group by st.area_id, st.period
       having count(distinct st.indicator_id) = ?
     ),
     upserted as (
       insert into area_statistics (area_id, indicator_id, period, value, source)
       select sums.area_id, target.id, sums.period, sums.value, ?
       from sums cross join (select id from indicators where city_id = ? and code = ?) target
       on conflict (area_id, indicator_id, period) do update set value = excluded.value, source = excluded.source
       where (area_statistics.value, area_statistics.source) is distinct from (excluded.value, excluded.source)
       returning (xmax = 0) as inserted
     )
     select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated,
            (select count(*) from sums) as staged
     from upserted`,
    [stage, derived.cityId, derived.cityId, JSON.stringify(derived.parts), derived.parts.length, derived.source, derived.cityId, derived.indicator],
  );
  const row = expectRow(result.rows, `the indicator ${derived.indicator}`);
  return { ...toWriteCounts(row, Number(row.staged)), staged: Number(row.staged) };
}
