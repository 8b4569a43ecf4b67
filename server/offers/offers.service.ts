import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { AuditActor, HistoryEntry } from '../audit/audit.schema.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Actor } from '../auth/auth.schema.ts';
import type { DatasetsService } from '../datasets/datasets.service.ts';
import type { DepartmentsService } from '../departments/departments.service.ts';
import type { OrganizationsService } from '../organizations/organizations.service.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  type PreconditionFailedError,
  type FieldError,
} from '../http/errors.ts';
import { fillMessage, localizedValidationError, parseLocalized, type Language } from '../http/localized-validation.ts';
import { parseIfMatch, versionMismatch } from '../http/versioning.ts';
import type { TaxonomiesService } from '../taxonomies/taxonomies.service.ts';
import { isVisibleOffer } from '../shared/visible-offers.ts';
import {
  applyPatch,
  consistencyErrors,
  foreignLocationErrors,
  inputFromSnapshot,
  normalizeContent,
  resolveContent,
  snapshotOf,
  snapshotOfOffer,
  stateOfOffer,
  type ContentCheckOptions,
  type OfferContent,
  type References,
} from './offers.content.ts';
import { offerMessages, offerProblemMessages } from './offers.messages.ts';
import {
  countOffers,
  findExistingAreaIds,
  findOfferLocationIds,
  findOffers,
  findOfferForUpdate,
  insertOffers,
  listOfferIds,
  lockOfferHead,
  updateOfferContent,
  updateOfferState,
  type OfferFilter,
  type OfferStateWrite,
  type OfferWrite,
} from './offers.repo.ts';
import {
  offerCreateSchema,
  type ListOffersQuery,
  type Offer,
  type OfferCreate,
  type OfferPatch,
  type OfferPage,
  type OfferSnapshot,
} from './offers.schema.ts';

export interface RequestContext {
  actor: Actor;
  language: Language;
  requestId?: string | undefined;
}

export type UserActor = Extract<Actor, { kind: 'user' }>;

export interface OffersServiceDependencies {
  db: Knex;
  audit: AuditService;
  taxonomies: TaxonomiesService;
  /** The offer rules check department codes and provider ids through the owning features. */
  departments: Pick<DepartmentsService, 'list'>;
  organizations: Pick<OrganizationsService, 'existingIds'>;
  datasets: Pick<DatasetsService, 'city'>;
  /** Two-letter state code for public holidays in opening hours (HOLIDAY_STATE). */
  holidayState: string;
}

export interface OffersService {
  list(context: RequestContext, query: ListOffersQuery): Promise<OfferPage>;
  get(context: RequestContext, id: string): Promise<Offer>;
  /** Full offers in the order of `ids`, read as `get` reads them: anonymous readers get visible offers only. One query. */
  findMany(context: RequestContext, ids: readonly string[]): Promise<Offer[]>;
  create(context: RequestContext, input: OfferCreate): Promise<Offer>;
  /** The patch as the route parsed it; the stored offer is read once, under its row lock. */
  update(context: RequestContext, id: string, ifMatch: string | undefined, patch: OfferPatch): Promise<Offer>;
  archive(context: RequestContext, id: string, ifMatch: string | undefined): Promise<Offer>;
  restore(context: RequestContext, id: string, ifMatch: string | undefined): Promise<Offer>;
  publish(context: RequestContext, id: string, ifMatch: string | undefined): Promise<Offer>;
  unpublish(context: RequestContext, id: string, ifMatch: string | undefined): Promise<Offer>;
  verify(context: RequestContext, id: string, ifMatch: string | undefined): Promise<Offer>;
  history(context: RequestContext, id: string): Promise<HistoryEntry[]>;
  restoreVersion(context: RequestContext, id: string, ifMatch: string | undefined, body: { version: number }): Promise<Offer>;
}

export function problem(context: { language: Language }, key: string, params: Record<string, unknown> = {}): string {
  return fillMessage(offerProblemMessages[key]!, context.language, params);
}

export function auditActorOf(actor: UserActor): AuditActor {
  return { id: actor.id, label: actor.email };
}

/**
 * Staff are personal data: anonymous readers learn which department answers for an offer (its
 * `department`), not who created, changed or checked it. Signed-in staff still see who.
 */
export function forReader(context: RequestContext, offer: Offer): Offer {
  if (context.actor.kind !== 'anonymous') return offer;
  return { ...offer, createdBy: null, updatedBy: null, verifiedBy: null };
}

export function requireSignedIn(context: RequestContext): UserActor {
  if (context.actor.kind === 'anonymous') throw new UnauthorizedError(problem(context, 'sign_in_required'));
  return context.actor;
}

/** Editors and administrators change offers; planners read only. */
export function requireWriter(context: RequestContext): UserActor {
  const actor = requireSignedIn(context);
  if (actor.role === 'planner') throw new ForbiddenError(problem(context, 'read_only_role'), 'read_only_role');
  return actor;
}

export function requireDepartment(context: RequestContext, actor: UserActor, department: { id: string; code: string }): void {
  if (actor.role === 'admin') return;
  if (actor.role === 'editor' && actor.departmentId === department.id) return;
  throw new ForbiddenError(problem(context, 'other_department', { code: department.code }), 'other_department');
}

function staleVersion(context: RequestContext, current: Offer, expected: number): PreconditionFailedError {
  return versionMismatch(context.language, current.version, expected, { current });
}

export function etagOf(offer: Pick<Offer, 'version'>): string {
  return `"${offer.version}"`;
}

/** Turns search words into a prefix tsquery ("senior treff" → "senior:* & treff:*"), bound as a value. */
export function toPrefixTsquery(text: string): string | undefined {
  const words = text
    .normalize('NFC')
    .split(/\s+/)
    .map((word) => word.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase())
    .filter((word) => word !== '')
    .slice(0, 8);
  return words.length === 0 ? undefined : words.map((word) => `${word}:*`).join(' & ');
}

export function contentCheckOptions(deps: Pick<OffersServiceDependencies, 'datasets' | 'holidayState'>, language: Language): ContentCheckOptions {
  const city = deps.datasets.city();
  return {
    language,
    city: { name: city.name, bbox: city.bbox },
    holidays: { state: deps.holidayState, lon: city.center[0], lat: city.center[1] },
  };
}

/** Everything the contents refer to, looked up at once (one query per kind, whatever their number). */
export async function loadReferences(
  deps: Pick<OffersServiceDependencies, 'db' | 'taxonomies' | 'departments' | 'organizations'>,
  contents: readonly Pick<OfferContent, 'organizationId' | 'reach'>[],
): Promise<References> {
  const [terms, departments, organizationIds, areaIds] = await Promise.all([
    deps.taxonomies.termIndex(),
    // Reference checks see every department (not only the public view of the counts).
    deps.departments.list('command-line'),
    deps.organizations.existingIds([...new Set(contents.flatMap((content) => (content.organizationId ? [content.organizationId] : [])))]),
    findExistingAreaIds(deps.db, [...new Set(contents.flatMap((content) => (content.reach?.kind === 'area' ? content.reach.areaIds : [])))]),
  ]);
  return { terms, departments: new Map(departments.map((department) => [department.code, department])), organizationIds, areaIds };
}

// eslint-disable-next-line max-lines-per-function -- a service factory: a closure over its injected dependencies; each method is counted on its own
export function createOffersService(deps: OffersServiceDependencies): OffersService {
  const checkOptions = (language: Language) => contentCheckOptions(deps, language);

  async function loadOffer(context: RequestContext, id: string): Promise<Offer> {
    if (!z.uuid().safeParse(id).success) throw new NotFoundError(problem(context, 'not_found'), 'offer_not_found');
    const [offer] = await findOffers(deps.db, [id]);
    const visible =
      offer &&
      (context.actor.kind === 'user' || isVisibleOffer(offer));
    if (!offer || !visible) throw new NotFoundError(problem(context, 'not_found'), 'offer_not_found');
    return offer;
  }

  async function versionMismatch(context: RequestContext, id: string, expected: number): Promise<never> {
    const [current] = await findOffers(deps.db, [id]);
    if (!current) throw new NotFoundError(problem(context, 'not_found'), 'offer_not_found');
    throw staleVersion(context, current, expected);
  }

  /** Checks a full parsed content (create, restored version) into a write. */
  async function prepareContent(
    context: RequestContext,
    parsed: OfferCreate,
    offerId: string,
    existingLocationIds: ReadonlySet<string>,
    defaultDepartmentCode: string | null,
  ): Promise<{ content: OfferContent & { departmentCode: string }; write: OfferWrite }> {
    const foreign = foreignLocationErrors(parsed, existingLocationIds, context.language);
    const normalized = normalizeContent(parsed);
    const departmentCode = normalized.departmentCode ?? defaultDepartmentCode;
    if (!departmentCode) {
      const message = fillMessage(offerMessages.department_required!, context.language);
      throw localizedValidationError([{ field: 'departmentCode', code: 'department_required', message }, ...foreign], context.language);
    }
    const content = { ...normalized, departmentCode };
    const references = await loadReferences(deps, [content]);
    const resolved = resolveContent(offerId, content, references, checkOptions(context.language));
    const errors: FieldError[] = [...foreign, ...resolved.errors];
    if (errors.length > 0 || !resolved.write) throw localizedValidationError(errors, context.language);
    return { content, write: resolved.write };
  }

  /** Writes new content under the row lock, checks the version, records the event. */
  async function writeContent(
    context: RequestContext,
    actor: UserActor,
    current: Offer,
    expectedVersion: number,
    prepared: { content: OfferContent & { departmentCode: string }; write: OfferWrite },
    event: { action: string; details?: Record<string, unknown> },
  ): Promise<Offer> {
    const stale = await deps.db.transaction(async (trx) => {
      const head = await lockOfferHead(trx, current.id);
      if (!head) throw new NotFoundError(problem(context, 'not_found'), 'offer_not_found');
      if (head.version !== expectedVersion) return true;
      const version = await updateOfferContent(trx, prepared.write, { actorId: actor.id, expectedVersion });
      if (version === undefined) return true;
      await deps.audit.record(trx, {
        actor: auditActorOf(actor),
        action: event.action,
        entityType: 'offer',
        entityId: current.id,
        entityVersion: version,
        requestId: context.requestId,
        before: snapshotOfOffer(current),
        after: snapshotOf(prepared.content, stateOfOffer(current)),
        details: event.details,
      });
      return false;
    });
    if (stale) return versionMismatch(context, current.id, expectedVersion);
    const [saved] = await findOffers(deps.db, [current.id]);
    return saved!;
  }

  /** Publish, archive, verify …: a state change with its own version and event. */
  async function changeState(
    context: RequestContext,
    id: string,
    ifMatch: string | undefined,
    action: string,
    decide: (offer: Offer, actor: UserActor, now: Date) => OfferStateWrite,
  ): Promise<Offer> {
    const actor = requireWriter(context);
    const expected = parseIfMatch(ifMatch, context.language, false);
    const current = await loadOffer(context, id);
    requireDepartment(context, actor, current.department);
    if (expected !== undefined && expected !== current.version) return versionMismatch(context, id, expected);
    const now = new Date();
    const state = decide(current, actor, now);
    const expectedVersion = expected ?? current.version;
    const stale = await deps.db.transaction(async (trx) => {
      const head = await lockOfferHead(trx, id);
      if (!head) throw new NotFoundError(problem(context, 'not_found'), 'offer_not_found');
      if (head.version !== expectedVersion) return true;
      const version = await updateOfferState(trx, id, state, { actorId: actor.id, expectedVersion });
      if (version === undefined) return true;
      const before = snapshotOfOffer(current);
      const after: OfferSnapshot = {
        ...before,
        ...(state.publication !== undefined ? { publication: state.publication } : {}),
        ...(state.archivedAt !== undefined ? { archivedAt: state.archivedAt?.toISOString() ?? null } : {}),
        ...(state.verifiedAt !== undefined ? { verifiedAt: state.verifiedAt?.toISOString() ?? null } : {}),
        ...(state.verifiedBy !== undefined ? { verifiedBy: state.verifiedBy } : {}),
      };
      await deps.audit.record(trx, {
        actor: auditActorOf(actor),
        action,
        entityType: 'offer',
        entityId: id,
        entityVersion: version,
        requestId: context.requestId,
        before,
        after,
      });
      return false;
    });
    if (stale) return versionMismatch(context, id, expectedVersion);
    const [saved] = await findOffers(deps.db, [id]);
    return saved!;
  }

  const transition = (context: RequestContext, key: string) => new ConflictError(problem(context, key), 'invalid_transition');

  return {
    async list(context, parsed) {
      const terms = await deps.taxonomies.termIndex();
      const errors: FieldError[] = [];
      let offerTypeIds: string[] | undefined;
      if (parsed.type !== undefined) {
        offerTypeIds = terms.withDescendants('offer_type', parsed.type).map((term) => term.id);
        if (offerTypeIds.length === 0) {
          errors.push({ field: 'query.type', code: 'unknown_term', message: fillMessage(offerMessages.unknown_term!, context.language, { code: parsed.type, taxonomy: 'offer_type' }) });
        }
      }
      let targetGroupIds: string[] | undefined;
      if (parsed.targetGroup !== undefined) {
        targetGroupIds = terms.withDescendants('target_group', parsed.targetGroup).map((term) => term.id);
        if (targetGroupIds.length === 0) {
          errors.push({ field: 'query.targetGroup', code: 'unknown_term', message: fillMessage(offerMessages.unknown_term!, context.language, { code: parsed.targetGroup, taxonomy: 'target_group' }) });
        }
      }
      if (errors.length > 0) throw localizedValidationError(errors, context.language);
      const tsquery = parsed.q === undefined ? undefined : toPrefixTsquery(parsed.q);
      // The public sees published, active, current offers whatever it asks for; staff-only filters do not apply.
      const publicOnly = context.actor.kind === 'anonymous';
      const filter: OfferFilter = {
        publicOnly,
        cityId: deps.datasets.city().id,
        departmentCode: parsed.department,
        offerTypeIds,
        targetGroupIds,
        statuses: publicOnly ? undefined : parsed.status,
        publication: publicOnly ? undefined : parsed.publication,
        archived: parsed.archived,
        stale: publicOnly ? undefined : parsed.stale,
        tsquery,
        areaId: parsed.area,
        locationId: parsed.location,
      };
      if (parsed.q !== undefined && tsquery === undefined) return { items: [], total: 0, page: parsed.page, pageSize: parsed.pageSize };
      const [total, ids] = await Promise.all([
        countOffers(deps.db, filter),
        listOfferIds(deps.db, filter, { sort: parsed.sort, limit: parsed.pageSize, offset: (parsed.page - 1) * parsed.pageSize }),
      ]);
      const items = (await findOffers(deps.db, ids)).map((offer) => forReader(context, offer));
      return { items, total, page: parsed.page, pageSize: parsed.pageSize };
    },

    get: async (context, id) => forReader(context, await loadOffer(context, id)),

    async findMany(context, ids) {
      const offers = await findOffers(deps.db, ids);
      return offers.filter((offer) => context.actor.kind === 'user' || isVisibleOffer(offer)).map((offer) => forReader(context, offer));
    },
    async create(context, input) {
      const actor = requireWriter(context);
      const requestedCode = input.departmentCode;
      if (actor.role === 'editor' && requestedCode !== undefined && requestedCode !== actor.departmentCode) {
        throw new ForbiddenError(fillMessage(offerMessages.editor_department_only!, context.language, { code: actor.departmentCode }), 'other_department');
      }
      const id = randomUUID();
      const prepared = await prepareContent(context, input, id, new Set(), actor.role === 'editor' ? actor.departmentCode : null);
      await deps.db.transaction(async (trx) => {
        await insertOffers(trx, [prepared.write], { actorId: actor.id, cityId: deps.datasets.city().id });
        await deps.audit.record(trx, {
          actor: auditActorOf(actor),
          action: 'offer.created',
          entityType: 'offer',
          entityId: id,
          entityVersion: 1,
          requestId: context.requestId,
          before: null,
          after: snapshotOf(prepared.content, { publication: 'draft', archivedAt: null, verifiedAt: null, verifiedBy: null }),
        });
      });
      const [created] = await findOffers(deps.db, [id]);
      return created!;
    },

    async update(context, id, ifMatch, patch) {
      const actor = requireWriter(context);
      const expected = parseIfMatch(ifMatch, context.language, true);
      if (!z.uuid().safeParse(id).success) throw new NotFoundError(problem(context, 'not_found'), 'offer_not_found');
      // What the patch names is looked up before the transaction (one connection on PGlite: a lookup
      // outside the transaction would wait for it). What the stored offer already refers to exists by
      // its foreign keys (organizations, areas: on delete restrict) and is added below.
      const patchReferences = await loadReferences(deps, [{ organizationId: patch.organizationId ?? null, reach: patch.reach ?? null }]);
      const stale = await deps.db.transaction(async (trx): Promise<Offer | undefined> => {
        const current = await findOfferForUpdate(trx, id);
        if (!current) throw new NotFoundError(problem(context, 'not_found'), 'offer_not_found');
        requireDepartment(context, actor, current.department);
        if (current.version !== expected) return current;
        if (patch.departmentCode !== undefined && patch.departmentCode !== current.department.code && actor.role !== 'admin') {
          throw new ForbiddenError(problem(context, 'change_department'), 'other_department');
        }
        const content = applyPatch(current, patch);
        const references: References = {
          ...patchReferences,
          organizationIds: new Set([...patchReferences.organizationIds, ...(current.organization ? [current.organization.id] : [])]),
          areaIds: new Set([...patchReferences.areaIds, ...(current.reach?.kind === 'area' ? current.reach.areaIds : [])]),
        };
        const resolved = resolveContent(id, content, references, checkOptions(context.language));
        const errors: FieldError[] = [
          ...foreignLocationErrors(patch, new Set(current.locations.map((location) => location.id)), context.language),
          ...consistencyErrors(content, context.language),
          ...resolved.errors,
        ];
        if (errors.length > 0 || !resolved.write) throw localizedValidationError(errors, context.language);
        const version = await updateOfferContent(trx, resolved.write, { actorId: actor.id, expectedVersion: expected });
        if (version === undefined) return current;
        await deps.audit.record(trx, {
          actor: auditActorOf(actor),
          action: 'offer.updated',
          entityType: 'offer',
          entityId: id,
          entityVersion: version,
          requestId: context.requestId,
          before: snapshotOfOffer(current),
          after: snapshotOf(content, stateOfOffer(current)),
        });
        return undefined;
      });
      if (stale) throw staleVersion(context, stale, expected);
      const [updated] = await findOffers(deps.db, [id]);
      return updated!;
    },

    archive: (context, id, ifMatch) =>
      changeState(context, id, ifMatch, 'offer.archived', (offer, _actor, now) => {
        if (offer.archivedAt !== null) throw transition(context, 'already_archived');
        return { archivedAt: now };
      }),

    restore: (context, id, ifMatch) =>
      changeState(context, id, ifMatch, 'offer.restored', (offer) => {
        if (offer.archivedAt === null) throw transition(context, 'not_archived');
        return { archivedAt: null };
      }),

    publish: (context, id, ifMatch) =>
      changeState(context, id, ifMatch, 'offer.published', (offer) => {
        if (offer.archivedAt !== null) throw transition(context, 'archived');
        if (offer.publication === 'published') throw transition(context, 'already_published');
        return { publication: 'published' };
      }),

    unpublish: (context, id, ifMatch) =>
      changeState(context, id, ifMatch, 'offer.unpublished', (offer) => {
        if (offer.publication !== 'published') throw transition(context, 'not_published');
        return { publication: 'draft' };
      }),

    verify: (context, id, ifMatch) =>
      changeState(context, id, ifMatch, 'offer.verified', (offer, actor, now) => {
        if (offer.archivedAt !== null) throw transition(context, 'archived');
        return { verifiedAt: now, verifiedBy: actor.id };
      }),

    async history(context, id) {
      requireSignedIn(context);
      const offer = await loadOffer(context, id);
      return deps.audit.history('offer', offer.id);
    },

    async restoreVersion(context, id, ifMatch, body) {
      const actor = requireWriter(context);
      const expected = parseIfMatch(ifMatch, context.language, true);
      const { version } = body;
      const current = await loadOffer(context, id);
      requireDepartment(context, actor, current.department);
      if (current.version !== expected) return versionMismatch(context, id, expected);
      const event = await deps.audit.eventAtVersion('offer', id, version);
      if (!event || typeof event.after !== 'object' || event.after === null) {
        throw new NotFoundError(problem(context, 'unknown_version', { version }), 'version_not_found');
      }
      const snapshot = event.after as OfferSnapshot;
      if (snapshot.departmentCode !== current.department.code) requireDepartment(context, actor, { id: '', code: snapshot.departmentCode });
      const currentLocationIds = new Set(await findOfferLocationIds(deps.db, id));
      const input = inputFromSnapshot(snapshot);
      // A location removed since that version comes back as a new location.
      input.locations = snapshot.locations.map((location) =>
        currentLocationIds.has(location.id) ? location : { ...location, id: undefined },
      );
      // A stored version may predate today's fields and rules: it is parsed like a new offer.
      const parsed = parseLocalized(offerCreateSchema, withoutUndefinedDeep(input), 'body', context.language, offerMessages);
      const prepared = await prepareContent(context, parsed, id, currentLocationIds, current.department.code);
      return writeContent(context, actor, current, expected, prepared, {
        action: 'offer.version_restored',
        details: { restoredFromVersion: version },
      });
    },
  };
}

function withoutUndefinedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefinedDeep);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, inner]) => inner !== undefined)
        .map(([key, inner]) => [key, withoutUndefinedDeep(inner)]),
    );
  }
  return value;
}

/**
 * Offers written by the city-data importers (set-based SQL, server/imports) get their audit event
 * here, in the importer's transaction: the state after the import, so that their history starts
 * with a version that can be restored like any other.
 */
export async function recordImportedOfferVersions(
  executor: Knex.Transaction,
  audit: AuditService,
  offerIds: readonly string[],
  actor: AuditActor,
  details: Record<string, unknown>,
): Promise<number> {
  let recorded = 0;
  for (let start = 0; start < offerIds.length; start += 500) {
    const offers = await findOffers(executor, offerIds.slice(start, start + 500));
    await audit.recordMany(
      executor,
      offers.map((offer) => ({
        actor,
        action: offer.version === 1 ? 'offer.import_create' : 'offer.import_update',
        entityType: 'offer',
        entityId: offer.id,
        entityVersion: offer.version,
        before: null,
        after: snapshotOfOffer(offer),
        details,
      })),
    );
    recorded += offers.length;
  }
  return recorded;
}
