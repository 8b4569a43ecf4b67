import type { Knex } from 'knex';
import type { AuditEvent, AuditEventInput } from './audit.schema.ts';

type Executor = Knex | Knex.Transaction;

interface AuditRow {
  id: number;
  occurred_at: Date;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  entity_version: number | null;
  request_id: string | null;
  before: unknown;
  after: unknown;
  details: Record<string, unknown> | null;
}

function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    id: Number(row.id),
    occurredAt: new Date(row.occurred_at).toISOString(),
    actor: { id: row.actor_id, label: row.actor_label ?? '' },
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    entityVersion: row.entity_version,
    requestId: row.request_id,
    before: row.before,
    after: row.after,
    details: row.details,
  };
}

function toRow(event: AuditEventInput): Record<string, unknown> {
  return {
    actor_id: event.actor.id,
    actor_label: event.actor.label.slice(0, 254),
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId,
    entity_version: event.entityVersion,
    request_id: event.requestId ?? null,
    // jsonb columns take JSON text; the pg driver would turn a JS array into a PostgreSQL array
    before: event.before === null || event.before === undefined ? null : JSON.stringify(event.before),
    after: event.after === null || event.after === undefined ? null : JSON.stringify(event.after),
    details: event.details ? JSON.stringify(event.details) : null,
  };
}

export async function insertAuditEvents(executor: Executor, events: readonly AuditEventInput[]): Promise<void> {
  const chunkSize = 500;
  for (let start = 0; start < events.length; start += chunkSize) {
    await executor('audit_events').insert(events.slice(start, start + chunkSize).map(toRow));
  }
}

export async function listEntityEvents(executor: Executor, entityType: string, entityId: string): Promise<AuditEvent[]> {
  const rows = (await executor('audit_events')
    .select('*')
    .where({ entity_type: entityType, entity_id: entityId })
    .orderBy('id', 'asc')) as AuditRow[];
  return rows.map(toAuditEvent);
}

/** The newest event that left the entity at `version`, i.e. whose `after` is that version. */
export async function findEventAtVersion(
  executor: Executor,
  entityType: string,
  entityId: string,
  version: number,
): Promise<AuditEvent | undefined> {
  const row = (await executor('audit_events')
    .select('*')
    .where({ entity_type: entityType, entity_id: entityId, entity_version: version })
    .whereNotNull('after')
    .orderBy('id', 'desc')
    .first()) as AuditRow | undefined;
  return row ? toAuditEvent(row) : undefined;
}
