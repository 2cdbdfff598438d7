import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sql } from '../database/sql.js';

/** Who made a change: a token, or the system (jobs, bootstrap). */
export interface Actor {
  tokenId: string | null;
  name: string;
}

export interface AuditEntry {
  districtId: string | null;
  entityType: string;
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
}

@Injectable()
export class AuditRepository {
  async insert(em: EntityManager, actor: Actor, requestId: string | null, entries: AuditEntry[]): Promise<void> {
    if (!entries.length) return;
    // One statement for any number of entries: bulk operations audit every row without a loop of inserts.
    await sql(
      em,
      `INSERT INTO audit_events (actor_token_id, actor, request_id, district_id, entity_type, entity_id, action, before, after)
       SELECT $1, $2, $3, e.district_id, e.entity_type, e.entity_id, e.action, e.before, e.after
       FROM jsonb_to_recordset($4::jsonb)
         AS e(district_id uuid, entity_type text, entity_id text, action text, before jsonb, after jsonb)`,
      [
        actor.tokenId,
        actor.name,
        requestId,
        JSON.stringify(
          entries.map((e) => ({
            district_id: e.districtId,
            entity_type: e.entityType,
            entity_id: e.entityId,
            action: e.action,
            before: e.before ?? null,
            after: e.after ?? null,
          })),
        ),
      ],
    );
  }
}
