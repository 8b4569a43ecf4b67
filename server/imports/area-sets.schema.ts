import { z } from 'zod';
import { parseCsvTable, SourceFileError, SourceFileErrors, type SourceTable } from './source-file.ts';
import type { ImportIssue } from './imports.schema.ts';

/** The levels a set may be built from: never a set of sets, never the whole city. */
const areaSetMemberLevels = ['district', 'sozialraum', 'quarter'] as const;
type AreaSetMemberLevel = (typeof areaSetMemberLevels)[number];

const areaCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'must be an area code such as "609"');
const memberLevel = z.enum(areaSetMemberLevels, { error: `must be one of ${areaSetMemberLevels.join(', ')}` });

/**
 * A member-code file, JSON form: which existing areas each set unites. `source` says where the
 * member lists come from (a council paper, the programme's web pages, the project's own reading).
 */
const areaSetFileSchema = z
  .object({
    $comment: z.string().max(4000).optional(),
    name: z.string().min(1).max(200),
    source: z.string().min(1).max(2000).optional(),
    sets: z
      .array(
        z
          .object({
            code: areaCode,
            name: z.string().min(1).max(200),
            memberLevel,
            members: z.array(areaCode).min(1).max(1000),
            $comment: z.string().max(2000).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(1000),
  })
  .strict();

export interface AreaSetDefinition {
  code: string;
  name: string;
  memberLevel: AreaSetMemberLevel;
  members: string[];
}

/** The CSV form has one row per member: set_code, set_name, member_level, member_code. */
const areaSetCsvColumns = ['set_code', 'set_name', 'member_level', 'member_code'] as const;

const csvRowSchema = z.object({ set_code: areaCode, set_name: z.string().trim().min(1).max(200), member_level: memberLevel, member_code: areaCode });

/** Reads the CSV form into sets; every problem names its line and column. */
function areaSetsFromTable(table: SourceTable): { sets: AreaSetDefinition[]; problems: ImportIssue[] } {
  const problems: ImportIssue[] = [];
  const missing = areaSetCsvColumns.filter((column) => !table.columns.includes(column));
  if (missing.length > 0) {
    return { sets: [], problems: [{ code: 'missing_column', message: `the file needs the columns ${areaSetCsvColumns.join(', ')}; missing: ${missing.join(', ')}` }] };
  }
  const byCode = new Map<string, AreaSetDefinition>();
  for (const row of table.rows) {
    const parsed = csvRowSchema.safeParse(row.values);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ line: row.line, field: String(issue.path[0] ?? ''), code: 'invalid_value', message: issue.message });
      continue;
    }
    const { set_code: code, set_name: name, member_level: level, member_code: member } = parsed.data;
    const known = byCode.get(code);
    if (!known) {
      byCode.set(code, { code, name, memberLevel: level, members: [member] });
      continue;
    }
    if (known.name !== name || known.memberLevel !== level) {
      problems.push({ line: row.line, field: 'set_name', code: 'inconsistent_set', message: `the set ${code} was named "${known.name}" (level ${known.memberLevel}) on an earlier line` });
      continue;
    }
    known.members.push(member);
  }
  return { sets: [...byCode.values()], problems };
}

/** Rules across sets: unique set codes, no member listed twice in one set. */
export function areaSetProblems(sets: readonly AreaSetDefinition[]): ImportIssue[] {
  const problems: ImportIssue[] = [];
  const seen = new Set<string>();
  for (const set of sets) {
    if (seen.has(set.code)) problems.push({ field: 'code', code: 'duplicate_set', message: `the set code ${set.code} is used twice` });
    seen.add(set.code);
    const duplicates = set.members.filter((member, index) => set.members.indexOf(member) !== index);
    if (duplicates.length > 0) {
      problems.push({ field: 'members', code: 'duplicate_member', message: `the set ${set.code} lists ${[...new Set(duplicates)].join(', ')} twice` });
    }
  }
  return problems;
}

/** Reads a member-code file, JSON or CSV (by its ending); a file that breaks the format throws naming each problem. */
export function readAreaSetFile(text: string, fileName: string, isCsv: boolean): AreaSetDefinition[] {
  if (isCsv) {
    const { sets, problems } = areaSetsFromTable(parseCsvTable(text, fileName));
    if (problems.length > 0) throw new SourceFileErrors(problems);
    return sets;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SourceFileError({ code: 'invalid_json', message: `${fileName} is not valid JSON: ${(error as Error).message}` });
  }
  const parsed = areaSetFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new SourceFileErrors(
      parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(file)', code: 'invalid_value', message: issue.message })),
    );
  }
  return parsed.data.sets.map(({ code, name, memberLevel, members }) => ({ code, name, memberLevel, members }));
}
