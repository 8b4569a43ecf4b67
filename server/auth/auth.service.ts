import { commonMessages } from '../http/common-messages.ts';
import { createHash } from 'node:crypto';
import argon2 from 'argon2';
import type { Knex } from 'knex';
import type { AuditActor } from '../audit/audit.schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { AppError, ConflictError, ForbiddenError, UnauthorizedError } from '../http/errors.ts';
import { newToken } from '../shared/random-token.ts';
import {
  fillMessage,
  localizedValidationError,
  type Language,
  type MessageCatalogue,
} from '../http/localized-validation.ts';
import {
  countActiveAdmins,
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOfUser,
  findDepartmentIdByCode,
  findLiveSession,
  findUserByEmail,
  insertSession,
  insertUser,
  recordLogin,
  updatePasswordHash,
  type UserRecord,
} from './auth.repo.ts';
import {
  type Actor,
  type ChangePasswordBody,
  type CreateUserInput,
  type SessionUser,
} from './auth.schema.ts';
import { createLoginThrottle, type LoginThrottle } from './login-throttle.ts';
import { createPasswordPolicy, type PasswordPolicy } from './password-policy.ts';

/** Session lifetime: one working day. Signing in again is cheap; a stolen cookie should not live long. */
export const defaultSessionTtlMs = 12 * 60 * 60 * 1000;

export interface SignedInSession {
  /** The raw token for the cookie; only its SHA-256 is stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
  user: SessionUser;
}

export interface ResolvedSession {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  user: SessionUser;
  actor: Actor;
}

/** Where a request came from, for the audit log: the client address (as TRUST_PROXY resolves it) and the request id. */
export interface RequestOrigin {
  address?: string | undefined;
  requestId?: string | undefined;
}

export interface AuthService {
  /** `language` words the refusal (wrong e-mail address or password). */
  login(email: string, password: string, language?: Language, origin?: RequestOrigin): Promise<SignedInSession>;
  logout(token: string, origin?: RequestOrigin): Promise<void>;
  /**
   * The signed-in user changes their own password (the current one is required). Every session
   * of the account ends, including this one; the returned session replaces it.
   */
  changeOwnPassword(actor: Actor, body: ChangePasswordBody, context: { language: Language } & RequestOrigin): Promise<SignedInSession>;
  resolveSession(token: string): Promise<ResolvedSession | undefined>;
  /** For the CLI and start-up: no permission check, the caller is the operator. */
  createUser(input: CreateUserInput, actor: AuditActor, language?: Language): Promise<SessionUser>;
  /** For the API: administrators only. */
  createUserAs(actor: Actor, input: CreateUserInput, context: { language: Language; requestId?: string }): Promise<SessionUser>;
  ensureInitialAdmin(options: { email: string | undefined; password: string | undefined }): Promise<
    { created: true; email: string } | { created: false; reason: 'admin_exists' | 'not_configured' }
  >;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** argon2id with the library's defaults (64 MiB, t=3, p=4), which meet the OWASP minimum. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

function toSessionUser(user: UserRecord): SessionUser {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    department:
      user.departmentId && user.departmentCode && user.departmentName
        ? { id: user.departmentId, code: user.departmentCode, name: user.departmentName }
        : null,
  };
}

export function actorFromUser(user: SessionUser): Actor {
  return {
    kind: 'user',
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    departmentId: user.department?.id ?? null,
    departmentCode: user.department?.code ?? null,
  };
}

const messages: MessageCatalogue = {
  ...commonMessages,
  department_required: { de: 'Eine Redakteurin oder ein Redakteur braucht eine Dienststelle.', en: 'An editor needs a department.' },
  admin_only_create_users: { de: 'Nur Administratorinnen und Administratoren dürfen Konten anlegen.', en: 'Only administrators may create users.' },
  user_exists: { de: 'Es gibt schon ein Konto mit der E-Mail-Adresse {email}.', en: 'A user with the e-mail address {email} already exists.' },
  invalid_credentials: {
    de: 'Die E-Mail-Adresse oder das Passwort stimmt nicht.',
    en: 'The e-mail address or the password is wrong.',
  },
  too_many_login_attempts: {
    de: 'Zu viele fehlgeschlagene Anmeldeversuche für dieses Konto. Bitte in {seconds} Sekunden erneut versuchen.',
    en: 'Too many failed sign-in attempts for this account. Please try again in {seconds} seconds.',
  },
  wrong_current_password: {
    de: 'Das bisherige Passwort stimmt nicht.',
    en: 'The current password is wrong.',
  },
  same_password: {
    de: 'Das neue Passwort muss sich vom bisherigen unterscheiden.',
    en: 'The new password must differ from the current one.',
  },
};

type LoginFailure = 'unknown_account' | 'disabled' | 'wrong_password' | 'throttled';

/** Five free failures per account, then 30 s, 1 min, 2 min, … at most 15 min between attempts. */
const defaultLoginThrottleOptions = { freeAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 15 * 60_000, forgetAfterMs: 24 * 60 * 60_000 };

// eslint-disable-next-line max-lines-per-function -- a service factory: a closure over its injected dependencies; each method is counted on its own
export function createAuthService(deps: {
  db: Knex;
  audit: AuditService;
  sessionTtlMs?: number;
  /** Failed sign-ins per account across addresses (exponential back-off). */
  loginThrottle?: LoginThrottle;
  passwordPolicy?: PasswordPolicy;
}): AuthService {
  const sessionTtlMs = deps.sessionTtlMs ?? defaultSessionTtlMs;
  const throttle = deps.loginThrottle ?? createLoginThrottle(defaultLoginThrottleOptions);
  const passwordPolicy = deps.passwordPolicy ?? createPasswordPolicy();
  // Unknown e-mail addresses are checked against this hash too, so that the answer takes as long
  // as for a known address with a wrong password and does not reveal which addresses exist.
  let dummyHash: Promise<string> | undefined;
  const verifyAgainstDummy = async (password: string) => {
    dummyHash ??= hashPassword(newToken());
    await argon2.verify(await dummyHash, password);
  };

  /** A new session for the user; `alongside` runs in the same transaction (audit, bookkeeping). */
  async function startSession(user: UserRecord, alongside: (trx: Knex.Transaction) => Promise<void>): Promise<SignedInSession> {
    const token = newToken();
    const csrfToken = newToken();
    const expiresAt = new Date(Date.now() + sessionTtlMs);
    await deps.db.transaction(async (trx) => {
      await alongside(trx);
      await deleteExpiredSessions(trx);
      await insertSession(trx, { id: hashToken(token), userId: user.id, csrfToken, expiresAt });
    });
    return { token, csrfToken, expiresAt, user: toSessionUser(user) };
  }

  async function createUserRecord(input: CreateUserInput, actor: AuditActor, language: Language, requestId?: string): Promise<SessionUser> {
    const email = input.email.trim();
    let departmentId: string | null = null;
    if (input.departmentCode) {
      departmentId = (await findDepartmentIdByCode(deps.db, input.departmentCode)) ?? null;
      if (!departmentId) {
        const message = fillMessage(messages.unknown_department!, language, { code: input.departmentCode });
        throw localizedValidationError([{ field: 'departmentCode', code: 'unknown_department', message }], language);
      }
    }
    if (input.role === 'editor' && !departmentId) {
      const message = fillMessage(messages.department_required!, language);
      throw localizedValidationError([{ field: 'departmentCode', code: 'department_required', message }], language);
    }
    const weak = passwordPolicy.check(input.password, { email, displayName: input.displayName }, 'password', language);
    if (weak) throw localizedValidationError([weak], language);
    if (await findUserByEmail(deps.db, email)) {
      throw new ConflictError(fillMessage(messages.user_exists!, language, { email }), 'user_exists');
    }
    const passwordHash = await hashPassword(input.password);
    return deps.db.transaction(async (trx) => {
      const id = await insertUser(trx, {
        email,
        displayName: input.displayName ?? null,
        passwordHash,
        role: input.role,
        departmentId,
      });
      await deps.audit.record(trx, {
        actor,
        action: 'user.created',
        entityType: 'user',
        entityId: id,
        entityVersion: null,
        requestId,
        before: null,
        after: { email, role: input.role, departmentCode: input.departmentCode ?? null, displayName: input.displayName ?? null },
      });
      const created = await findUserByEmail(trx, email);
      if (!created) throw new Error('the new user could not be read back');
      return toSessionUser(created);
    });
  }

  return {
    async login(email, password, language = 'de', origin = {}) {
      // One answer for an unknown address, a disabled account and a wrong password.
      const refused = () => new UnauthorizedError(fillMessage(messages.invalid_credentials!, language), 'invalid_credentials');
      const failed = (reason: LoginFailure, user?: UserRecord) =>
        deps.audit.record(deps.db, {
          actor: { id: null, label: 'anonymous' },
          action: 'auth.login_failed',
          entityType: 'user',
          // Unknown addresses are not stored: people type passwords into the e-mail field.
          entityId: user?.id ?? 'unknown',
          entityVersion: null,
          requestId: origin.requestId,
          before: null,
          after: { outcome: 'failed' },
          details: { reason, address: origin.address ?? null },
        });
      const wait = throttle.waitMs(email);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        await failed('throttled', await findUserByEmail(deps.db, email.trim()));
        throw new AppError('too_many_login_attempts', 429, fillMessage(messages.too_many_login_attempts!, language, { seconds }), {
          retryAfterSeconds: seconds,
        });
      }
      const user = await findUserByEmail(deps.db, email.trim());
      if (!user || user.disabledAt) {
        await verifyAgainstDummy(password);
        throttle.fail(email);
        await failed(user ? 'disabled' : 'unknown_account', user);
        throw refused();
      }
      if (!(await argon2.verify(user.passwordHash, password))) {
        throttle.fail(email);
        await failed('wrong_password', user);
        throw refused();
      }
      throttle.succeed(email);
      const session = await startSession(user, async (trx) => {
        await recordLogin(trx, user.id);
        await deps.audit.record(trx, {
          actor: { id: user.id, label: user.email },
          action: 'auth.login_succeeded',
          entityType: 'user',
          entityId: user.id,
          entityVersion: null,
          requestId: origin.requestId,
          before: null,
          after: { outcome: 'succeeded' },
          details: { address: origin.address ?? null },
        });
      });
      return session;
    },

    async logout(token, origin = {}) {
      const session = await findLiveSession(deps.db, hashToken(token));
      await deps.db.transaction(async (trx) => {
        await deleteSession(trx, hashToken(token));
        if (!session) return;
        await deps.audit.record(trx, {
          actor: { id: session.user.id, label: session.user.email },
          action: 'auth.logout',
          entityType: 'user',
          entityId: session.user.id,
          entityVersion: null,
          requestId: origin.requestId,
          before: null,
          after: { outcome: 'signed_out' },
          details: { address: origin.address ?? null },
        });
      });
    },

    async changeOwnPassword(actor, parsed, context) {
      if (actor.kind === 'anonymous') throw new UnauthorizedError();
      const user = await findUserByEmail(deps.db, actor.email);
      if (!user || user.disabledAt) throw new UnauthorizedError();
      // The same throttle as the login form: a stolen session must not guess the password either.
      const wait = throttle.waitMs(user.email);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        throw new AppError('too_many_login_attempts', 429, fillMessage(messages.too_many_login_attempts!, context.language, { seconds }), {
          retryAfterSeconds: seconds,
        });
      }
      if (!(await argon2.verify(user.passwordHash, parsed.currentPassword))) {
        throttle.fail(user.email);
        const message = fillMessage(messages.wrong_current_password!, context.language);
        throw localizedValidationError([{ field: 'currentPassword', code: 'wrong_current_password', message }], context.language);
      }
      if (parsed.newPassword === parsed.currentPassword) {
        const message = fillMessage(messages.same_password!, context.language);
        throw localizedValidationError([{ field: 'newPassword', code: 'same_password', message }], context.language);
      }
      const weak = passwordPolicy.check(parsed.newPassword, user, 'newPassword', context.language);
      if (weak) throw localizedValidationError([weak], context.language);
      const passwordHash = await hashPassword(parsed.newPassword);
      throttle.succeed(user.email);
      return startSession(user, async (trx) => {
        await updatePasswordHash(trx, user.id, passwordHash);
        const ended = await deleteSessionsOfUser(trx, user.id);
        await deps.audit.record(trx, {
          actor: { id: user.id, label: user.email },
          action: 'user.password_changed',
          entityType: 'user',
          entityId: user.id,
          entityVersion: null,
          requestId: context.requestId,
          before: null,
          after: { passwordChanged: true },
          details: { endedSessions: ended, address: context.address ?? null },
        });
      });
    },

    async resolveSession(token) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
      const session = await findLiveSession(deps.db, hashToken(token));
      if (!session) return undefined;
      const user = toSessionUser(session.user);
      return { sessionId: session.id, csrfToken: session.csrfToken, expiresAt: session.expiresAt, user, actor: actorFromUser(user) };
    },

    async createUser(input, actor, language = 'en') {
      return createUserRecord(input, actor, language);
    },

    async createUserAs(actor, input, context) {
      if (actor.kind === 'anonymous') throw new UnauthorizedError();
      if (actor.role !== 'admin') throw new ForbiddenError(fillMessage(messages.admin_only_create_users!, context.language), 'admin_only');
      return createUserRecord(input, { id: actor.id, label: actor.email }, context.language, context.requestId);
    },

    async ensureInitialAdmin({ email, password }) {
      if ((await countActiveAdmins(deps.db)) > 0) return { created: false, reason: 'admin_exists' };
      if (!email || !password) return { created: false, reason: 'not_configured' };
      const existing = await findUserByEmail(deps.db, email);
      if (existing) {
        throw new ConflictError(
          `ADMIN_EMAIL ${email} belongs to an existing user who is not an administrator; choose another address.`,
          'user_exists',
        );
      }
      const user = await createUserRecord(
        { email, password, role: 'admin' },
        { id: null, label: 'system (ADMIN_EMAIL on start-up)' },
        'en',
      );
      return { created: true, email: user.email };
    },
  };
}
