import type { Knex } from 'knex';
import type { CreateDepartmentInput, Department } from './departments.schema.ts';

interface DepartmentRow {
  id: string;
  code: string;
  name: string;
  email: string | null;
  phone: string | null;
  offer_count: number;
}

function toDepartment(row: DepartmentRow): Department {
  return { id: row.id, code: row.code, name: row.name, email: row.email, phone: row.phone, offerCount: Number(row.offer_count) };
}

/**
 * `publicOnly`: count only what anonymous visitors may see (published, active, not archived),
 * the same rule as the public offer list; drafts are not public, not even as a number.
 */
export async function listDepartments(executor: Knex | Knex.Transaction, options: { publicOnly: boolean }): Promise<Department[]> {
  const counted = executor('offers as o').count('*').whereRaw('o.department_id = d.id');
  if (options.publicOnly) counted.where('o.publication', 'published').where('o.status', 'active').whereNull('o.archived_at');
  const rows = (await executor('departments as d')
    .select('d.id', 'd.code', 'd.name', 'd.email', 'd.phone')
    .select(counted.as('offer_count'))
    .orderBy('d.code')) as DepartmentRow[];
  return rows.map(toDepartment);
}

export async function insertDepartment(executor: Knex | Knex.Transaction, input: CreateDepartmentInput): Promise<Department> {
  const [row] = (await executor('departments')
    .insert({ code: input.code, name: input.name, email: input.email ?? null, phone: input.phone ?? null })
    .returning(['id', 'code', 'name', 'email', 'phone'])) as Omit<DepartmentRow, 'offer_count'>[];
  if (!row) throw new Error('department insert returned nothing');
  return toDepartment({ ...row, offer_count: 0 });
}

/** Creates the named departments that do not exist yet; existing ones keep their names. */
export async function insertMissingDepartments(
  executor: Knex | Knex.Transaction,
  departments: readonly { code: string; name: string }[],
): Promise<number> {
  if (departments.length === 0) return 0;
  const inserted = (await executor('departments')
    .insert(departments.map((department) => ({ code: department.code, name: department.name })))
    .onConflict('code')
    .ignore()
    .returning('id')) as { id: string }[];
  return inserted.length;
}
