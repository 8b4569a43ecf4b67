import type { Knex } from 'knex';
import { diffSnapshots } from './audit.diff.ts';
import { findEventAtVersion, insertAuditEvents, listEntityEvents } from './audit.repo.ts';
import type { AuditEvent, AuditEventInput, HistoryEntry } from './audit.schema.ts';

export interface AuditService {
  /** Writes with the caller's executor, so that the event commits or rolls back with the change. */
  record(executor: Knex | Knex.Transaction, event: AuditEventInput): Promise<void>;
  recordMany(executor: Knex | Knex.Transaction, events: readonly AuditEventInput[]): Promise<void>;
  history(entityType: string, entityId: string): Promise<HistoryEntry[]>;
  eventAtVersion(entityType: string, entityId: string, version: number): Promise<AuditEvent | undefined>;
}

export function createAuditService(deps: { db: Knex }): AuditService {
  return {
    record: (executor, event) => insertAuditEvents(executor, [event]),
    recordMany: (executor, events) => insertAuditEvents(executor, events),
    async history(entityType, entityId) {
      const events = await listEntityEvents(deps.db, entityType, entityId);
      return events.map((event) => ({
        id: event.id,
        occurredAt: event.occurredAt,
        action: event.action,
        version: event.entityVersion,
        actor: event.actor,
        details: event.details,
        changes: diffSnapshots(event.before ?? null, event.after ?? null),
      }));
    },
    eventAtVersion: (entityType, entityId, version) => findEventAtVersion(deps.db, entityType, entityId, version),
  };
}
