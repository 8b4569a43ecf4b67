import type { Knex } from 'knex';
import type { Role } from './auth.schema.ts';

type Executor = Knex | Knex.Transaction;

export interface UserRecord {
  id: string;
  email: string;
  displayName: string | null;
  passwordHash: string;
  role: Role;
  departmentId: string | null;
  departmentCode: string | null;
  departmentName: string | null;
  disabledAt: Date | null;
}

export interface SessionRecord {
  id: string;
  csrfToken: string;
  expiresAt: Date;
  user: UserRecord;
}

interface UserRow {
  id: string;
  email: string;
  display_name: string | null;
  password_hash: string;
  role: Role;
  department_id: string | null;
  department_code: string | null;
  department_name: string | null;
  disabled_at: Date | null;
}

const userColumns = [
  'u.id',
  'u.email',
  'u.display_name',
  'u.password_hash',
  'u.role',
  'u.department_id',
  'd.code as department_code',
  'd.name as department_name',
  'u.disabled_at',
];

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    passwordHash: row.password_hash,
    role: row.role,
    departmentId: row.department_id,
    departmentCode: row.department_code,
    departmentName: row.department_name,
    disabledAt: row.disabled_at,
  };
}

export async function findUserByEmail(executor: Executor, email: string): Promise<UserRecord | undefined> {
  const row = (await executor('users as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .select(userColumns)
    .whereRaw('lower(u.email) = lower(?)', [email])
    .first()) as UserRow | undefined;
  return row ? toUser(row) : undefined;
}

export async function findDepartmentIdByCode(executor: Executor, code: string): Promise<string | undefined> {
  const row = (await executor('departments').select('id').where({ code }).first()) as { id: string } | undefined;
  return row?.id;
}

export async function insertUser(
  executor: Executor,
  user: { email: string; displayName: string | null; passwordHash: string; role: Role; departmentId: string | null },
): Promise<string> {
  const [row] = (await executor('users')
    .insert({
      email: user.email,
      display_name: user.displayName,
      password_hash: user.passwordHash,
      role: user.role,
      department_id: user.departmentId,
    })
    .returning('id')) as { id: string }[];
  if (!row) throw new Error('user insert returned no id');
  return row.id;
}

export async function countActiveAdmins(executor: Executor): Promise<number> {
  const row = (await executor('users').where({ role: 'admin' }).whereNull('disabled_at').count({ count: '*' }).first()) as
    | { count: number | string }
    | undefined;
  return Number(row?.count ?? 0);
}

export async function updatePasswordHash(executor: Executor, userId: string, passwordHash: string): Promise<void> {
  await executor('users').where({ id: userId }).update({ password_hash: passwordHash, updated_at: executor.fn.now() });
}

export async function recordLogin(executor: Executor, userId: string): Promise<void> {
  await executor('users').where({ id: userId }).update({ last_login_at: executor.fn.now() });
}

export async function insertSession(
  executor: Executor,
  session: { id: string; userId: string; csrfToken: string; expiresAt: Date },
): Promise<void> {
  await executor('sessions').insert({
    id: session.id,
    user_id: session.userId,
    csrf_token: session.csrfToken,
    expires_at: session.expiresAt,
  });
}

export async function findLiveSession(executor: Executor, id: string): Promise<SessionRecord | undefined> {
  const row = (await executor('sessions as s')
    .join('users as u', 'u.id', 's.user_id')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .select([...userColumns, 's.id as session_id', 's.csrf_token', 's.expires_at'])
    .where('s.id', id)
    .where('s.expires_at', '>', executor.fn.now())
    .whereNull('u.disabled_at')
    .first()) as (UserRow & { session_id: string; csrf_token: string; expires_at: Date }) | undefined;
  if (!row) return undefined;
  return { id: row.session_id, csrfToken: row.csrf_token, expiresAt: new Date(row.expires_at), user: toUser(row) };
}

export async function deleteSession(executor: Executor, id: string): Promise<void> {
  await executor('sessions').where({ id }).delete();
}

export async function deleteSessionsOfUser(executor: Executor, userId: string): Promise<void> {
  await executor('sessions').where({ user_id: userId }).delete();
}

export async function deleteExpiredSessions(executor: Executor): Promise<number> {
  return executor('sessions').where('expires_at', '<=', executor.fn.now()).delete();
}
