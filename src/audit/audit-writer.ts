import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AuditSink, type AuditEntry } from '../database/audit-sink.js';
import { join, q, raw, sql, SqlText } from '../database/sql.js';

/** Who a bulk statement's audit rows name: the actor, and the request or import they came from. */
export interface AuditAuthor {
  actor: Actor;
  /** The request id, or `import:<id>` for an import's batches. */
  requestId: string | null;
}

/** An SQL expression written by us, or a `q` expression when it needs a bound value. */
type Expression = string | SqlText;

/**
 * The columns of the audit rows a bulk statement derives from the rows it changed: each is an SQL
 * expression over the statement's `FROM` (written by us, never user input).
 */
export interface AuditRowsSelect {
  districtId: Expression;
  /** A literal entity type ('student', 'device', ...), or an expression giving it per row. */
  entityType: string | { expression: Expression };
  entityId: Expression;
  /** An expression, or a literal action given as `{ literal: 'update' }`. */
  action: Expression | { literal: string };
  before?: Expression;
  after?: Expression;
  /** For one row standing for many records (an import batch's created students). */
  entityIds?: Expression;
}

const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * The one way rows get into `audit_events`: `write` for a transaction's entries (the unit of work calls
 * it), `insertFrom` for a set-based statement that audits what it changed in the same statement.
 */
@Injectable()
export class AuditWriter extends AuditSink {
  async write(em: EntityManager, actor: Actor, requestId: string | null, entries: AuditEntry[]): Promise<void> {
    if (!entries.length) return;
    // One statement for any number of entries: bulk operations audit every row without a loop of inserts.
    await sql(
      em,
      `INSERT INTO audit_events (actor_token_id, actor_staff_user_id, actor, request_id, district_id, entity_type, entity_id, action, before, after, entity_ids)
       SELECT $1, $2, $3, $4, e.district_id, e.entity_type, e.entity_id, e.action, e.before, e.after, e.entity_ids
       FROM jsonb_to_recordset($5::jsonb)
         AS e(district_id uuid, entity_type text, entity_id text, action text, before jsonb, after jsonb, entity_ids uuid[])`,
      [
        actor.tokenId,
        actor.staffUserId ?? null,
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
            entity_ids: e.entityIds ?? null,
          })),
        ),
      ],
    );
  }

  /**
   * `INSERT INTO audit_events … SELECT <row> <from>`: usable as a data-modifying CTE of the statement
   * that made the changes. `from` is the rest of the SELECT (FROM, WHERE, GROUP BY, HAVING).
   */
  static insertFrom(author: AuditAuthor, row: AuditRowsSelect, from: SqlText): SqlText {
    const action = typeof row.action === 'string' || row.action instanceof SqlText ? row.action : literal(row.action.literal);
    const columns = ['district_id', 'entity_type', 'entity_id', 'action'];
    const entityType = typeof row.entityType === 'string' ? literal(row.entityType) : row.entityType.expression;
    const values: Expression[] = [row.districtId, entityType, row.entityId, action];
    for (const [column, value] of [
      ['before', row.before],
      ['after', row.after],
      ['entity_ids', row.entityIds],
    ] as const) {
      if (value === undefined) continue;
      columns.push(column);
      values.push(value);
    }
    return q`INSERT INTO audit_events (actor_token_id, actor_staff_user_id, actor, request_id, ${raw(columns.join(', '))})
       SELECT ${author.actor.tokenId}::uuid, ${author.actor.staffUserId ?? null}::uuid, ${author.actor.name}::text, ${author.requestId}::text, ${join(
         values.map((v) => (typeof v === 'string' ? raw(v) : v)),
         ', ',
       )}
       ${from}`;
  }
}
