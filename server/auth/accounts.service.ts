import { commonMessages } from '../http/common-messages.ts';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { AuditActor } from '../audit/audit.schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError } from '../http/errors.ts';
import {
  fillMessage,
  localizedValidationError,
  type Language,
  type MessageCatalogue,
} from '../http/localized-validation.ts';
import {
  countActiveAdmins,
  deleteSessionOfUser,
  deleteSessionsOfUser,
  findDepartmentIdByCode,
  findUserById,
  listSessionsOfUser,
  listUsers,
  lockUsers,
  updatePasswordHash,
  updateUserAccount,
  type UserRecord,
} from './auth.repo.ts';
import {
  sessionIdSchema,
  userIdSchema,
  type UpdateUserBody,
  type Actor,
  type PasswordResetResponse,
  type Role,
  type SessionSummary,
  type UserSummary,
} from './auth.schema.ts';
import { hashPassword } from './auth.service.ts';

/** Who asks, and in which session: administrators manage every account, everyone sees their own sessions. */
export interface AccountsContext {
  actor: Actor;
  /** The id (token hash) of the session the request came with, to mark it in session lists. */
  sessionId?: string | undefined;
  language: Language;
  requestId?: string | undefined;
}

export interface AccountsService {
  list(context: AccountsContext): Promise<UserSummary[]>;
  /** Role, department, disabled; disabling ends every session of the account. */
  update(context: AccountsContext, userId: string, body: UpdateUserBody): Promise<UserSummary>;
  /** A new random password, returned once; every session of the account ends. */
  resetPassword(context: AccountsContext, userId: string): Promise<PasswordResetResponse>;
  sessions(context: AccountsContext, userId: string): Promise<SessionSummary[]>;
  endSession(context: AccountsContext, userId: string, sessionId: string): Promise<void>;
  endAllSessions(context: AccountsContext, userId: string): Promise<number>;
}

const messages: MessageCatalogue = {
  ...commonMessages,
  admin_only: { de: 'Nur Administratorinnen und Administratoren dürfen Konten verwalten.', en: 'Only administrators may manage accounts.' },
  own_sessions_only: {
    de: 'Sie dürfen nur Ihre eigenen Sitzungen sehen und beenden.',
    en: 'You may only see and end your own sessions.',
  },
  user_not_found: { de: 'Es gibt kein Konto mit der Kennung {id}.', en: 'There is no account with the id {id}.' },
  session_not_found: { de: 'Diese Sitzung gibt es nicht (mehr).', en: 'This session does not exist (any more).' },
  department_required: { de: 'Eine Redakteurin oder ein Redakteur braucht eine Dienststelle.', en: 'An editor needs a department.' },
  last_admin: {
    de: 'Das ist das letzte aktive Administrationskonto; legen Sie zuerst ein weiteres an.',
    en: 'This is the last active administrator account; create another one first.',
  },
  invalid_user_id: { de: 'Keine gültige Kontokennung (UUID).', en: 'Not a valid account id (UUID).' },
  invalid_session_id: { de: 'Keine gültige Sitzungskennung.', en: 'Not a valid session id.' },
};

/** 24 characters from a 64-letter alphabet: 144 bits, readable and typeable. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

function toSummary(user: UserRecord & { createdAt?: Date; lastLoginAt?: Date | null; sessionCount?: number }): UserSummary {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    department:
      user.departmentId && user.departmentCode && user.departmentName
        ? { id: user.departmentId, code: user.departmentCode, name: user.departmentName }
        : null,
    disabled: user.disabledAt !== null,
    createdAt: (user.createdAt ?? new Date(0)).toISOString(),
    lastLoginAt: user.lastLoginAt ? user.lastLoginAt.toISOString() : null,
    sessionCount: user.sessionCount ?? 0,
  };
}

function snapshot(user: UserRecord): Record<string, unknown> {
  return { role: user.role, departmentCode: user.departmentCode, disabled: user.disabledAt !== null };
}

/**
 * Account management for administrators (the admin page, `npm run cli -- user …`). Every change
 * is an audit event in the same transaction; the CLI acts as the operator (`cliActor`).
 */
// eslint-disable-next-line max-lines-per-function -- a service factory: a closure over its injected dependencies; each method is counted on its own
export function createAccountsService(deps: { db: Knex; audit: AuditService }): AccountsService {
  const say = (context: AccountsContext, key: string, params: Record<string, unknown> = {}) =>
    fillMessage(messages[key]!, context.language, params);

  function signedIn(context: AccountsContext): Extract<Actor, { kind: 'user' }> {
    if (context.actor.kind === 'anonymous') throw new UnauthorizedError();
    return context.actor;
  }

  function requireAdmin(context: AccountsContext): Extract<Actor, { kind: 'user' }> {
    const actor = signedIn(context);
    if (actor.role !== 'admin') throw new ForbiddenError(say(context, 'admin_only'), 'admin_only');
    return actor;
  }

  function auditActor(actor: Extract<Actor, { kind: 'user' }>): AuditActor {
    // The CLI runs as the operator: it has no user id of its own (see cliActor).
    return { id: actor.id === cliActor.id ? null : actor.id, label: actor.email };
  }

  function parseUserId(context: AccountsContext, userId: string): string {
    if (!userIdSchema.safeParse(userId).success) {
      throw localizedValidationError([{ field: 'id', code: 'invalid_user_id', message: say(context, 'invalid_user_id') }], context.language);
    }
    return userId;
  }

  async function loadUser(context: AccountsContext, executor: Knex | Knex.Transaction, userId: string): Promise<UserRecord> {
    const user = await findUserById(executor, parseUserId(context, userId));
    if (!user) throw new NotFoundError(say(context, 'user_not_found', { id: userId }), 'user_not_found');
    return user;
  }

  async function summaryOf(userId: string): Promise<UserSummary> {
    const found = (await listUsers(deps.db)).find((user) => user.id === userId);
    if (!found) throw new Error('the account could not be read back');
    return toSummary(found);
  }

  return {
    async list(context) {
      requireAdmin(context);
      return (await listUsers(deps.db)).map(toSummary);
    },

    async update(context, userId, parsed) {
      const actor = requireAdmin(context);
      await deps.db.transaction(async (trx) => {
        await lockUsers(trx);
        const user = await loadUser(context, trx, userId);
        let departmentId: string | null | undefined;
        if (parsed.departmentCode !== undefined && parsed.departmentCode !== null) {
          departmentId = (await findDepartmentIdByCode(trx, parsed.departmentCode)) ?? null;
          if (!departmentId) {
            const message = say(context, 'unknown_department', { code: parsed.departmentCode });
            throw localizedValidationError([{ field: 'departmentCode', code: 'unknown_department', message }], context.language);
          }
        } else if (parsed.departmentCode === null) {
          departmentId = null;
        }
        const role: Role = parsed.role ?? user.role;
        const finalDepartment = departmentId === undefined ? user.departmentId : departmentId;
        if (role === 'editor' && !finalDepartment) {
          const message = say(context, 'department_required');
          throw localizedValidationError([{ field: 'departmentCode', code: 'department_required', message }], context.language);
        }
        const disabled = parsed.disabled ?? user.disabledAt !== null;
        const staysActiveAdmin = role === 'admin' && !disabled;
        if (user.role === 'admin' && user.disabledAt === null && !staysActiveAdmin && (await countActiveAdmins(trx)) <= 1) {
          throw new ConflictError(say(context, 'last_admin'), 'last_admin');
        }
        await updateUserAccount(trx, user.id, {
          ...(parsed.role !== undefined ? { role: parsed.role } : {}),
          ...(departmentId !== undefined ? { departmentId } : {}),
          ...(parsed.disabled !== undefined ? { disabled: parsed.disabled } : {}),
        });
        const after = await loadUser(context, trx, user.id);
        // A disabled account, or one whose rights shrink, signs in anew: its sessions end.
        const endedSessions =
          disabled || role !== user.role || after.departmentId !== user.departmentId ? await deleteSessionsOfUser(trx, user.id) : 0;
        const action =
          parsed.disabled === true && user.disabledAt === null
            ? 'user.disabled'
            : parsed.disabled === false && user.disabledAt !== null
              ? 'user.enabled'
              : 'user.updated';
        await deps.audit.record(trx, {
          actor: auditActor(actor),
          action,
          entityType: 'user',
          entityId: user.id,
          entityVersion: null,
          requestId: context.requestId,
          before: snapshot(user),
          after: snapshot(after),
          details: { endedSessions },
        });
      });
      return summaryOf(userId);
    },

    async resetPassword(context, userId) {
      const actor = requireAdmin(context);
      const user = await loadUser(context, deps.db, userId);
      const password = generatePassword();
      const passwordHash = await hashPassword(password);
      const endedSessions = await deps.db.transaction(async (trx) => {
        await updatePasswordHash(trx, user.id, passwordHash);
        const ended = await deleteSessionsOfUser(trx, user.id);
        await deps.audit.record(trx, {
          actor: auditActor(actor),
          action: 'user.password_reset',
          entityType: 'user',
          entityId: user.id,
          entityVersion: null,
          requestId: context.requestId,
          before: null,
          after: { passwordReset: true },
          details: { endedSessions: ended },
        });
        return ended;
      });
      return { user: await summaryOf(user.id), password, endedSessions };
    },

    async sessions(context, userId) {
      const actor = signedIn(context);
      if (actor.role !== 'admin' && actor.id !== userId) throw new ForbiddenError(say(context, 'own_sessions_only'), 'own_sessions_only');
      const user = await loadUser(context, deps.db, userId);
      return (await listSessionsOfUser(deps.db, user.id)).map((session) => ({
        id: session.id,
        createdAt: session.createdAt.toISOString(),
        expiresAt: session.expiresAt.toISOString(),
        current: session.id === context.sessionId,
      }));
    },

    async endSession(context, userId, sessionId) {
      const actor = signedIn(context);
      if (actor.role !== 'admin' && actor.id !== userId) throw new ForbiddenError(say(context, 'own_sessions_only'), 'own_sessions_only');
      if (!sessionIdSchema.safeParse(sessionId).success) {
        throw localizedValidationError(
          [{ field: 'sessionId', code: 'invalid_session_id', message: say(context, 'invalid_session_id') }],
          context.language,
        );
      }
      const user = await loadUser(context, deps.db, userId);
      await deps.db.transaction(async (trx) => {
        const ended = await deleteSessionOfUser(trx, user.id, sessionId);
        if (ended === 0) throw new NotFoundError(say(context, 'session_not_found'), 'session_not_found');
        await deps.audit.record(trx, {
          actor: auditActor(actor),
          action: 'session.ended',
          entityType: 'user',
          entityId: user.id,
          entityVersion: null,
          requestId: context.requestId,
          before: null,
          after: { endedSessions: 1 },
          // The first characters name the session in the log without being usable as a key.
          details: { session: sessionId.slice(0, 8) },
        });
      });
    },

    async endAllSessions(context, userId) {
      const actor = signedIn(context);
      if (actor.role !== 'admin' && actor.id !== userId) throw new ForbiddenError(say(context, 'own_sessions_only'), 'own_sessions_only');
      const user = await loadUser(context, deps.db, userId);
      return deps.db.transaction(async (trx) => {
        const ended = await deleteSessionsOfUser(trx, user.id);
        await deps.audit.record(trx, {
          actor: auditActor(actor),
          action: 'session.ended_all',
          entityType: 'user',
          entityId: user.id,
          entityVersion: null,
          requestId: context.requestId,
          before: null,
          after: { endedSessions: ended },
        });
        return ended;
      });
    },
  };
}

/** The operator at the command line acts as an administrator without an account of its own. */
export const cliActor: Extract<Actor, { kind: 'user' }> = {
  kind: 'user',
  id: '00000000-0000-0000-0000-000000000000',
  email: 'cli',
  displayName: 'cli',
  role: 'admin',
  departmentId: null,
  departmentCode: null,
};
