import type { Knex } from 'knex';
import type { AuditService } from '../audit/audit.service.ts';
import { AppError } from '../http/errors.ts';
import { fillMessage, type MessageCatalogue } from '../http/localized-validation.ts';
import { versionMessages } from '../http/versioning.ts';
import { snapshotOfOffer } from './offers.content.ts';
import { findOffers, lockOfferHeads, updateOfferState, type OfferHead } from './offers.repo.ts';
import {
  type BulkPublishBody,
  type BulkPublishRefusal,
  type BulkPublishResult,
  type OfferSnapshot,
} from './offers.schema.ts';
import { auditActorOf, problem, requireWriter, type RequestContext, type UserActor } from './offers.service.ts';

export interface OffersBulkService {
  /** Publishes several drafts in one transaction: all of them, or none when one is refused. */
  publish(context: RequestContext, body: BulkPublishBody): Promise<BulkPublishResult>;
}

const bulkMessages: MessageCatalogue = {
  refused: {
    de: '{count} von {total} ausgewählten Angeboten können nicht veröffentlicht werden; es wurde keines veröffentlicht.',
    en: '{count} of {total} selected offers cannot be published; none was published.',
  },
  duplicate: {
    de: 'Das Angebot ist mehrfach ausgewählt.',
    en: 'The offer is selected more than once.',
  },
};

/** The status of the whole refusal follows its gravest reason (a missing offer before a right before a version). */
const statusOfRefusal: Record<BulkPublishRefusal['code'], number> = {
  offer_not_found: 404,
  duplicate_offer: 400,
  other_department: 403,
  version_mismatch: 412,
  invalid_transition: 409,
};
const refusalOrder: BulkPublishRefusal['code'][] = ['duplicate_offer', 'offer_not_found', 'other_department', 'version_mismatch', 'invalid_transition'];

function mayChange(actor: UserActor, head: OfferHead): boolean {
  return actor.role === 'admin' || (actor.role === 'editor' && actor.departmentId === head.departmentId);
}

/** What stands against publishing one offer, or undefined when nothing does. */
function refusalOf(context: RequestContext, actor: UserActor, head: OfferHead | undefined, id: string, version: number): BulkPublishRefusal | undefined {
  if (!head) return { id, code: 'offer_not_found', message: problem(context, 'not_found') };
  if (!mayChange(actor, head)) return { id, code: 'other_department', message: problem(context, 'other_department', { code: head.departmentCode }) };
  if (head.version !== version) return { id, code: 'version_mismatch', message: fillMessage(versionMessages.version_mismatch!, context.language, { current: head.version, expected: version }) };
  if (head.archivedAt !== null) return { id, code: 'invalid_transition', message: problem(context, 'archived') };
  if (head.publication === 'published') return { id, code: 'invalid_transition', message: problem(context, 'already_published') };
  return undefined;
}

export function createOffersBulkService(deps: { db: Knex; audit: AuditService }): OffersBulkService {
  return {
    async publish(context, body) {
      const actor = requireWriter(context);
      const { offers: requested } = body;
      const ids = requested.map((entry) => entry.id);
      const seen = new Set<string>();
      const duplicates: BulkPublishRefusal[] = [];
      for (const id of ids) {
        if (seen.has(id)) duplicates.push({ id, code: 'duplicate_offer', message: fillMessage(bulkMessages.duplicate!, context.language) });
        seen.add(id);
      }
      if (duplicates.length > 0) throw refused(context, duplicates, requested.length);

      const published = await deps.db.transaction(async (trx) => {
        const heads = new Map((await lockOfferHeads(trx, ids)).map((head) => [head.id, head] as const));
        const refusals = requested.flatMap((entry) => refusalOf(context, actor, heads.get(entry.id), entry.id, entry.version) ?? []);
        if (refusals.length > 0) throw refused(context, refusals, requested.length);
        const before = new Map((await findOffers(trx, ids)).map((offer) => [offer.id, snapshotOfOffer(offer)] as const));
        const events = [];
        for (const entry of requested) {
          const version = await updateOfferState(trx, entry.id, { publication: 'published' }, { actorId: actor.id, expectedVersion: entry.version });
          // The rows are locked and their versions checked: a miss here is a bug, and the transaction rolls back.
          if (version === undefined) throw new Error(`offer ${entry.id} changed under its lock`);
          const snapshot = before.get(entry.id)!;
          const after: OfferSnapshot = { ...snapshot, publication: 'published' };
          events.push({
            actor: auditActorOf(actor),
            action: 'offer.published',
            entityType: 'offer',
            entityId: entry.id,
            entityVersion: version,
            requestId: context.requestId,
            before: snapshot,
            after,
            details: { bulk: true, count: requested.length },
          });
        }
        await deps.audit.recordMany(trx, events);
        return ids;
      });
      return { items: await findOffers(deps.db, published) };
    },
  };
}

function refused(context: RequestContext, refusals: BulkPublishRefusal[], total: number): AppError {
  const gravest = refusalOrder.find((code) => refusals.some((refusal) => refusal.code === code))!;
  const detail = fillMessage(bulkMessages.refused!, context.language, { count: refusals.length, total });
  return new AppError(gravest, statusOfRefusal[gravest], detail, { offers: refusals });
}
