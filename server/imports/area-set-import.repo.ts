import type { Executor } from './imports.repo.ts';

/** As in area-import.repo.ts: snap-rounding to 1e-7° (≈ 1 cm) keeps the union of neighbours robust. */
const unionGridSize = 1e-7;

const idsOf = "select value::uuid from jsonb_array_elements_text(?::jsonb)";

/** Codes of the list that no area of the level has (in any boundary version) in the city. */
export async function findUnknownMemberCodes(executor: Executor, cityId: string, level: string, codes: readonly string[]): Promise<string[]> {
  const result = await executor.raw<{ rows: { code: string }[] }>(
    `select c.value as code from jsonb_array_elements_text(?::jsonb) with ordinality c
      where not exists (select 1 from areas a where a.city_id = ? and a.level = ? and a.code = c.value)
      order by c.ordinality`,
    [JSON.stringify(codes), cityId, level],
  );
  return result.rows.map((row) => row.code);
}

/** The dates on which any member's boundary version begins or ends: where the set's versions change. */
export async function listMemberBoundaryDates(executor: Executor, cityId: string, level: string, codes: readonly string[]): Promise<string[]> {
  const result = await executor.raw<{ rows: { day: string }[] }>(
    `select distinct to_char(d.day, 'YYYY-MM-DD') as day
       from areas a cross join lateral (values (a.valid_from), (a.valid_to)) as d(day)
      where a.city_id = ? and a.level = ? and a.code in (select value from jsonb_array_elements_text(?::jsonb)) and d.day is not null
      order by 1`,
    [cityId, level, JSON.stringify(codes)],
  );
  return result.rows.map((row) => row.day);
}

/**
 * The member versions valid from `start` on (YYYY-MM-DD; null: the versions valid since ever).
 * Within one interval between two boundary dates the members do not change.
 */
export async function listMemberVersions(
  executor: Executor,
  cityId: string,
  level: string,
  codes: readonly string[],
  start: string | null,
): Promise<{ id: string; code: string }[]> {
  const query = executor('areas')
    .select('id', 'code')
    .where({ city_id: cityId, level })
    .whereIn('code', codes)
    .orderBy('code');
  if (start === null) query.whereNull('valid_from');
  else {
    query
      .where((from) => from.whereNull('valid_from').orWhere('valid_from', '<=', start))
      .where((to) => to.whereNull('valid_to').orWhere('valid_to', '>', start));
  }
  return (await query) as { id: string; code: string }[];
}

interface SetVersionInput {
  cityId: string;
  code: string;
  name: string;
  source: string;
  validFrom: string | null;
  validTo: string | null;
  memberIds: readonly string[];
}

/**
 * Writes one boundary version of a set, its geometry the union of the member versions: updates
 * the version that begins on the same day, or inserts it. Versions are written oldest first, so
 * an open version is closed before its successor opens (one open version per code).
 */
export async function upsertSetVersion(executor: Executor, version: SetVersionInput): Promise<{ id: string; change: 'inserted' | 'updated' | 'unchanged' }> {
  const union = `(select ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(geom, ?::float8)), 3)) as geom from areas where id in (${idsOf}))`;
  const members = JSON.stringify(version.memberIds);
  const existing = (await executor('areas')
    .select('id')
    .where({ city_id: version.cityId, level: 'area_set', code: version.code })
    .whereRaw('valid_from is not distinct from ?::date', [version.validFrom])
    .first()) as { id: string } | undefined;
  if (existing) {
    const updated = await executor.raw<{ rows: { id: string }[] }>(
      `update areas set name = ?, source = ?, valid_to = ?::date, geom = u.geom, area_m2 = ST_Area(u.geom::geography), updated_at = now()
         from ${union} u
        where areas.id = ? and (areas.name, areas.source, areas.valid_to, areas.geom) is distinct from (?, ?, ?::date, u.geom)
        returning areas.id`,
      [version.name, version.source, version.validTo, unionGridSize, members, existing.id, version.name, version.source, version.validTo],
    );
    return { id: existing.id, change: updated.rows.length > 0 ? 'updated' : 'unchanged' };
  }
  const inserted = await executor.raw<{ rows: { id: string }[] }>(
    `insert into areas (city_id, level, code, name, source, geom, area_m2, valid_from, valid_to)
     select ?, 'area_set', ?, ?, ?, u.geom, ST_Area(u.geom::geography), ?::date, ?::date from ${union} u
     returning id`,
    [version.cityId, version.code, version.name, version.source, version.validFrom, version.validTo, unionGridSize, members],
  );
  const row = inserted.rows[0];
  if (!row) throw new Error(`the area set ${version.code} was not stored`);
  return { id: row.id, change: 'inserted' };
}

/** Removes versions of the set that the members' boundary dates no longer call for. */
export async function deleteSetVersionsNotStarting(executor: Executor, cityId: string, code: string, starts: readonly (string | null)[]): Promise<number> {
  const dates = starts.filter((start): start is string => start !== null);
  const query = executor('areas').where({ city_id: cityId, level: 'area_set', code });
  if (dates.length > 0) query.where((keep) => keep.whereNull('valid_from').orWhereNotIn('valid_from', dates));
  if (starts.includes(null)) query.whereNotNull('valid_from');
  // The count, not the driver's delete result: the embedded driver does not report one.
  return ((await query.delete().returning('id')) as { id: string }[]).length;
}

/** Links a version to the one before it and measures the boundary change (as the area importer does). */
export async function linkSetVersion(executor: Executor, id: string, predecessorId: string | null): Promise<void> {
  if (predecessorId === null) {
    await executor('areas').where('id', id).update({ predecessor_id: null, boundary_change: null });
    return;
  }
  await executor.raw(
    `update areas n set predecessor_id = o.id,
            boundary_change = (ST_Area(ST_Difference(o.geom, n.geom)::geography) + ST_Area(ST_Difference(n.geom, o.geom)::geography)) / n.area_m2
       from areas o where n.id = ? and o.id = ?`,
    [id, predecessorId],
  );
}

/** The member list, by level and code, of one set version. */
export async function replaceSetMembers(executor: Executor, setId: string, level: string, codes: readonly string[]): Promise<void> {
  await executor('area_set_members').where('set_id', setId).delete();
  await executor('area_set_members').insert(codes.map((code) => ({ set_id: setId, member_level: level, member_code: code })));
}

/**
 * The set version's statistics: for every indicator that is a count (aggregation "sum") and
 * every period in which each member version has a value, the sum of the members' values. Shares
 * and indices are never summed. Returns how many values were written.
 */
export async function writeSummedStatistics(executor: Executor, setId: string, memberIds: readonly string[], source: string): Promise<number> {
  await executor('area_statistics').where('area_id', setId).delete();
  const result = await executor.raw<{ rows: { written: number }[] }>(
    `with written as (
       insert into area_statistics (area_id, indicator_id, period, value, source)
       select ?::uuid, s.indicator_id, s.period, sum(s.value), ?
         from area_statistics s join indicators i on i.id = s.indicator_id
        where i.aggregation = 'sum' and s.area_id in (${idsOf})
        group by s.indicator_id, s.period
       having count(*) = ?::integer
       returning 1
     )
     select count(*)::int as written from written`,
    [setId, source, JSON.stringify(memberIds), memberIds.length],
  );
  return Number(result.rows[0]?.written ?? 0);
}

/** Values the set does not get: counts with a member missing, and indicators that are no counts. */
export async function listUnsummedStatistics(
  executor: Executor,
  memberIds: readonly string[],
): Promise<{ code: string; aggregation: string; period: string; members: number }[]> {
  const result = await executor.raw<{ rows: { code: string; aggregation: string; period: string; members: number }[] }>(
    `select i.code, i.aggregation, to_char(s.period, 'YYYY-MM-DD') as period, count(*)::int as members
       from area_statistics s join indicators i on i.id = s.indicator_id
      where s.area_id in (${idsOf})
      group by i.code, i.aggregation, s.period
     having i.aggregation <> 'sum' or count(*) < ?::integer
      order by i.code, s.period`,
    [JSON.stringify(memberIds), memberIds.length],
  );
  return result.rows.map((row) => ({ ...row, members: Number(row.members) }));
}
