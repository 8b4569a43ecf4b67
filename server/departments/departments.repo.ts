import type { Knex } from 'knex';
import { cityScope } from '../db/city-scope.ts';
import { whereVisibleOffer } from '../shared/visible-offers.ts';
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
 * `publicOnly`: count only what anonymous visitors may see (`whereVisibleOffer`: published, active,
 * not archived), the same rule as the public offer list; drafts are not public, not even as a number.
 */
export async function listDepartments(executor: Knex | Knex.Transaction, options: { publicOnly: boolean; cityId?: string | undefined }): Promise<Department[]> {
  const counted = executor('offers as o').count('*').whereRaw('o.department_id = d.id');
  if (options.publicOnly) whereVisibleOffer(counted);
  const rows = (await executor('departments as d')
    .select('d.id', 'd.code', 'd.name', 'd.email', 'd.phone')
    .select(counted.as('offer_count'))
    .modify((query) => cityScope(query, options.cityId, 'd'))
    .orderBy('d.code')) as DepartmentRow[];
  return rows.map(toDepartment);
}

/** Without a city, the row goes to the database's default city (the column default). */
const cityColumn = (cityId: string | undefined) => (cityId === undefined ? {} : { city_id: cityId });

export async function findDepartmentByCode(executor: Knex | Knex.Transaction, code: string, cityId: string | undefined): Promise<{ id: string } | undefined> {
  return (await cityScope(executor('departments').where({ code }), cityId).first('id')) as { id: string } | undefined;
}

export async function insertDepartment(executor: Knex | Knex.Transaction, input: CreateDepartmentInput, cityId?: string): Promise<Department> {
  const [row] = (await executor('departments')
    .insert({ ...cityColumn(cityId), code: input.code, name: input.name, email: input.email ?? null, phone: input.phone ?? null })
    .returning(['id', 'code', 'name', 'email', 'phone'])) as Omit<DepartmentRow, 'offer_count'>[];
  if (!row) throw new Error('department insert returned nothing');
  return toDepartment({ ...row, offer_count: 0 });
}

/** Creates the named departments that do not exist yet; existing ones keep their names. */
export async function insertMissingDepartments(
  executor: Knex | Knex.Transaction,
  departments: readonly { code: string; name: string }[],
  cityId?: string,
): Promise<number> {
  if (departments.length === 0) return 0;
  const inserted = (await executor('departments')
    .insert(departments.map((department) => ({ ...cityColumn(cityId), code: department.code, name: department.name })))
    .onConflict(['city_id', 'code'])
    .ignore()
    .returning('id')) as { id: string }[];
  return inserted.length;
}
