/** Who did something, as stored in the audit log: a user, or the system (start-up, CLI) by label. */
export interface AuditActor {
  id: string | null;
  label: string;
}

export interface AuditEventInput {
  actor: AuditActor;
  action: string;
  entityType: string;
  entityId: string;
  entityVersion: number | null;
  before: unknown;
  after: unknown;
  requestId?: string | undefined;
  /** What the event adds beyond before/after, e.g. `{ restoredFromVersion: 3 }`. */
  details?: Record<string, unknown> | undefined;
}

export interface AuditEvent {
  id: number;
  occurredAt: string;
  actor: AuditActor;
  action: string;
  entityType: string;
  entityId: string;
  entityVersion: number | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
  details: Record<string, unknown> | null;
}

/** One changed field between two snapshots, named by its path (e.g. `cost.kind`). */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface HistoryEntry {
  id: number;
  occurredAt: string;
  action: string;
  version: number | null;
  actor: AuditActor;
  details: Record<string, unknown> | null;
  changes: FieldChange[];
}
