import type { ImportContext, ImporterResult } from './import-context.ts';
import { ImportRejectedError } from './import-issues.ts';
import type { WriteCounts } from './imports.schema.ts';
import { areaSetProblems, type AreaSetDefinition } from './area-sets.schema.ts';
import {
  deleteSetVersionsNotStarting,
  findUnknownMemberCodes,
  linkSetVersion,
  listMemberBoundaryDates,
  listMemberVersions,
  listUnsummedStatistics,
  replaceSetMembers,
  upsertSetVersion,
  writeSummedStatistics,
} from './area-set-import.repo.ts';

interface SetVersionPlan {
  validFrom: string | null;
  validTo: string | null;
  memberIds: string[];
}

/**
 * The set's boundary versions follow its members': between two dates on which a member version
 * begins or ends the members stay the same, so each such interval is one version of the set.
 */
async function planVersions(context: ImportContext, set: AreaSetDefinition): Promise<SetVersionPlan[]> {
  const dates = await listMemberBoundaryDates(context.executor, context.cityId, set.memberLevel, set.members);
  const starts: (string | null)[] = [null, ...dates];
  const plans: SetVersionPlan[] = [];
  for (const [index, start] of starts.entries()) {
    const members = await listMemberVersions(context.executor, context.cityId, set.memberLevel, set.members, start);
    if (members.length === 0) continue;
    plans.push({ validFrom: start, validTo: dates[index] ?? null, memberIds: members.map((member) => member.id) });
  }
  return plans;
}

/** Counts are summed for the set; anything else is left out and said so once per indicator. */
async function noteUnsummed(context: ImportContext, set: AreaSetDefinition, memberIds: readonly string[]): Promise<void> {
  const unsummed = await listUnsummedStatistics(context.executor, memberIds);
  const byCode = new Map<string, typeof unsummed>();
  for (const entry of unsummed) byCode.set(entry.code, [...(byCode.get(entry.code) ?? []), entry]);
  for (const [code, entries] of byCode) {
    const first = entries[0]!;
    if (first.aggregation !== 'sum') {
      context.issues.warning({
        field: code,
        code: 'not_summed',
        message: `${set.code}: ${code} is no count (aggregation "${first.aggregation}"), so it is not summed over the members; the set has no value for it`,
      });
    } else {
      context.issues.warning({
        field: code,
        code: 'incomplete_members',
        message: `${set.code}: ${code} has a value for only some members in ${entries.map((entry) => `${entry.period} (${entry.members} of ${memberIds.length})`).join(', ')}; no sum for these periods`,
      });
    }
  }
}

function tally(counts: WriteCounts, change: 'inserted' | 'updated' | 'unchanged'): void {
  counts[change] += 1;
}

/**
 * Imports area sets: each set becomes an area of level `area_set` per boundary version of its
 * members, its geometry their union, its counts their sums. All or nothing: an unknown member
 * code fails the import before anything is written.
 */
export async function importAreaSets(context: ImportContext, sets: readonly AreaSetDefinition[]): Promise<ImporterResult> {
  const { executor, issues, cityId } = context;
  for (const problem of areaSetProblems(sets)) issues.error(problem);
  for (const set of sets) {
    const unknown = await findUnknownMemberCodes(executor, cityId, set.memberLevel, set.members);
    if (unknown.length > 0) {
      issues.error({
        field: 'members',
        code: 'unknown_member',
        message: `the set ${set.code} (${set.name}) names ${set.memberLevel} codes that ${context.cityName ?? cityId} does not have: ${unknown.join(', ')}`,
      });
    }
  }
  if (issues.failed) throw new ImportRejectedError(issues);
  const areas: WriteCounts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
  const statistics: WriteCounts = { inserted: 0, updated: 0, unchanged: 0 };
  let members = 0;
  for (const [index, set] of sets.entries()) {
    context.progress('writing', index, sets.length);
    const plans = await planVersions(context, set);
    areas.deleted! += await deleteSetVersionsNotStarting(executor, cityId, set.code, plans.map((plan) => plan.validFrom));
    let predecessor: string | null = null;
    for (const plan of plans) {
      const { id, change } = await upsertSetVersion(executor, { cityId, code: set.code, name: set.name, source: context.source, ...plan });
      tally(areas, change);
      await replaceSetMembers(executor, id, set.memberLevel, set.members);
      members += set.members.length;
      await linkSetVersion(executor, id, predecessor);
      statistics.inserted += await writeSummedStatistics(executor, id, plan.memberIds, context.source);
      await noteUnsummed(context, set, plan.memberIds);
      predecessor = id;
    }
  }
  context.progress('writing', sets.length, sets.length);
  return {
    rowsRead: sets.length,
    rowsAccepted: sets.length,
    rowsSkipped: 0,
    tables: { areas, area_set_members: { inserted: members, updated: 0, unchanged: 0 }, area_statistics: statistics },
  };
}
