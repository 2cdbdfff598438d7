import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';

/** One change as the audit trail records it. */
export interface AuditEntry {
  districtId: string | null;
  entityType: string;
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
  /** For one entry standing for many records (a bulk request's): their ids, found by GET /audit-events?entityId=. */
  entityIds?: string[];
}

/**
 * Where a transaction's audit entries go. Declared here, where the unit of work needs it, and provided
 * by the audit module, which owns `audit_events`: the database layer depends on no feature module.
 */
export abstract class AuditSink {
  abstract write(em: EntityManager, actor: Actor, requestId: string | null, entries: AuditEntry[]): Promise<void>;
}
