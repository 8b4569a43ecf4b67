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

// `returning` and a length: the embedded driver answers a bare DELETE with a result object, not a count.
export async function deleteSessionsOfUser(executor: Executor, userId: string): Promise<number> {
  const rows = (await executor('sessions').where({ user_id: userId }).delete().returning('id')) as unknown[];
  return rows.length;
}

export async function deleteExpiredSessions(executor: Executor): Promise<number> {
  return executor('sessions').where('expires_at', '<=', executor.fn.now()).delete();
}

interface UserListRecord extends UserRecord {
  createdAt: Date;
  lastLoginAt: Date | null;
  sessionCount: number;
}

export async function listUsers(executor: Executor): Promise<UserListRecord[]> {
  const rows = (await executor('users as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .select([
      ...userColumns,
      'u.created_at',
      'u.last_login_at',
      executor('sessions as s')
        .count('*')
        .whereRaw('s.user_id = u.id')
        .where('s.expires_at', '>', executor.fn.now())
        .as('session_count'),
    ])
    .orderByRaw('lower(u.email)')) as (UserRow & { created_at: Date; last_login_at: Date | null; session_count: number | string })[];
  return rows.map((row) => ({
    ...toUser(row),
    createdAt: new Date(row.created_at),
    lastLoginAt: row.last_login_at ? new Date(row.last_login_at) : null,
    sessionCount: Number(row.session_count),
  }));
}

export async function findUserById(executor: Executor, id: string): Promise<UserRecord | undefined> {
  const row = (await executor('users as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .select(userColumns)
    .where('u.id', id)
    .first()) as UserRow | undefined;
  return row ? toUser(row) : undefined;
}

/** Takes a row lock, so that two administrators changing roles cannot both remove the last admin. */
export async function lockUsers(executor: Executor): Promise<void> {
  await executor.raw('lock table users in share row exclusive mode');
}

export async function updateUserAccount(
  executor: Executor,
  userId: string,
  change: { role?: Role; departmentId?: string | null; disabled?: boolean },
): Promise<void> {
  const columns: Record<string, unknown> = { updated_at: executor.fn.now() };
  if (change.role !== undefined) columns.role = change.role;
  if (change.departmentId !== undefined) columns.department_id = change.departmentId;
  if (change.disabled !== undefined) columns.disabled_at = change.disabled ? executor.fn.now() : null;
  await executor('users').where({ id: userId }).update(columns);
}

interface SessionListRecord {
  id: string;
  createdAt: Date;
  expiresAt: Date;
}

export async function listSessionsOfUser(executor: Executor, userId: string): Promise<SessionListRecord[]> {
  const rows = (await executor('sessions')
    .select('id', 'created_at', 'expires_at')
    .where({ user_id: userId })
    .where('expires_at', '>', executor.fn.now())
    .orderBy('created_at', 'desc')) as { id: string; created_at: Date; expires_at: Date }[];
  return rows.map((row) => ({ id: row.id, createdAt: new Date(row.created_at), expiresAt: new Date(row.expires_at) }));
}

export async function deleteSessionOfUser(executor: Executor, userId: string, sessionId: string): Promise<number> {
  const rows = (await executor('sessions').where({ id: sessionId, user_id: userId }).delete().returning('id')) as unknown[];
  return rows.length;
}
