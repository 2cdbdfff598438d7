import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AuditWriter, type AuditAuthor } from '../audit/audit-writer.js';
import { q, raw, run, type SqlText } from '../database/sql.js';
import { TempTable } from '../database/temp-table.js';
import { ISSUE_RESOLVES, OPEN_TICKET_STATUSES_SQL, type TicketSource } from './ticket.domain.js';

/** The gaps a scan closed: closed_gaps (id, district_id, student_id, resolution), made by the gap scan. */
export type ClosedGaps = TempTable<'closed_gaps'>;
/** The tickets a verdict calls for: desired_tickets (student_id, school_id, type, device_id, reasons, priority, evidence, gap_id). */
type DesiredTickets = TempTable<'desired_tickets'>;

const OPEN = raw(OPEN_TICKET_STATUSES_SQL);
/** The gap resolutions that resolve the gap's outreach ticket (a withdrawn or in-person student's stays for a person to close). */
const OUTREACH_RESOLVING_SQL = `('reconnected','school_year_ended','re_enrolled')`;

/**
 * The scans' set-based ticket writes, each one statement with its history and audit rows, however
 * many students: raising and updating the tickets a verdict calls for, and what a reconnection resolves.
 */
@Injectable()
export class TicketBulkRepository {
  /**
   * Applies the tickets `desired` selects (the columns of desired_tickets) to the open tickets. Only
   * what differs is written, so a scan that finds nothing new writes nothing; the partial unique index
   * tickets_one_open_per_student_type makes a second open ticket impossible whatever runs at once.
   */
  async applyDesired(
    em: EntityManager,
    author: AuditAuthor,
    desired: SqlText,
    source: TicketSource,
  ): Promise<{ opened: number; updated: number }> {
    const { table } = await TempTable.as(em, 'desired_tickets', desired);
    const updated = await run(em, updateOpenTickets(author, table, source));
    const opened = await run(em, insertNewTickets(author, table, source));
    await table.drop(em);
    return { opened: opened.count, updated: updated.count };
  }

  /**
   * Open outreach tickets of the closed gaps resolve themselves, with the gap's resolution, when the
   * student reconnected, the school year ended, or their count started again; returns how many.
   */
  async resolveOutreachOfClosedGaps(em: EntityManager, author: AuditAuthor, closedGaps: ClosedGaps): Promise<number> {
    const resolved = await run(
      em,
      q`WITH resolved AS (
         UPDATE tickets t SET status = 'resolved', resolution = c.resolution, resolved_at = now(), updated_at = now()
         FROM ${closedGaps.ref} c
         WHERE c.resolution IN ${raw(OUTREACH_RESOLVING_SQL)} AND t.student_id = c.student_id AND t.type = 'outreach'
           AND t.status IN ${OPEN}
         RETURNING t.id, t.district_id, t.resolution
       )
       ${resolvedTail(author)}`,
    );
    return resolved.count;
  }

  /**
   * Open tickets of the students `students` selects (a select of `student_id`) resolve with
   * `resolution` (`withdrawn`: they left the district). Repair tickets are the device's and stay open.
   * Returns how many resolved.
   */
  async resolveOfStudents(em: EntityManager, author: AuditAuthor, students: SqlText, resolution: string): Promise<number> {
    const resolved = await run(
      em,
      q`WITH resolved AS (
         UPDATE tickets t SET status = 'resolved', resolution = ${resolution}::text, resolved_at = now(), updated_at = now()
         WHERE t.student_id IN (${students}) AND t.type <> 'repair' AND t.status IN ${OPEN}
         RETURNING t.id, t.district_id, t.resolution
       )
       ${resolvedTail(author)}`,
    );
    return resolved.count;
  }

  /**
   * What custody does for devices an import issued, as for those the API issues: a working Chromebook
   * or laptop resolves the student's open replacement ticket, a working hotspot their connectivity one.
   */
  async resolveForIssued(
    em: EntityManager,
    author: AuditAuthor,
    issued: { studentId: string; kind: string; condition: string }[],
  ): Promise<number> {
    if (!issued.some(({ kind, condition }) => condition === 'working' && ISSUE_RESOLVES[kind])) return 0;
    const resolved = await run<{ n: number }>(
      em,
      q`WITH ${resolveForIssuedCtes(
        author,
        q`(SELECT * FROM jsonb_to_recordset(${JSON.stringify(issued)}::jsonb) AS x("studentId" uuid, kind text, condition text))`,
        issued.map((i) => i.studentId),
      )}
      SELECT count(*)::int AS n FROM issue_resolved`,
    );
    return resolved.rows[0].n;
  }

  /** Reconnected students' open equipment tickets stay open and are told, in their history. */
  async noteReconnected(em: EntityManager, actor: Actor, closedGaps: ClosedGaps): Promise<void> {
    await run(
      em,
      q`INSERT INTO ticket_events (ticket_id, actor, actor_token_id, actor_staff_user_id, kind, data)
       SELECT t.id, ${actor.name}, ${actor.tokenId}::uuid, ${actor.staffUserId ?? null}::uuid, 'student_reconnected', jsonb_build_object('gapId', c.id, 'lastLoginAt', s.last_login_at)
       FROM ${closedGaps.ref} c JOIN tickets t ON t.student_id = c.student_id JOIN students s ON s.id = c.student_id
       WHERE c.resolution = 'reconnected' AND t.type IN ('replacement','connectivity') AND t.status IN ${OPEN}`,
    );
  }
}

function updateOpenTickets(author: AuditAuthor, desired: DesiredTickets, source: TicketSource): SqlText {
  const { actor } = author;
  return q`
WITH changed AS (
  UPDATE tickets t
  SET reasons = d.reasons, device_id = d.device_id, evidence = d.evidence, priority = d.priority, updated_at = now()
  FROM ${desired.ref} d, tickets o
  WHERE o.id = t.id AND t.student_id = d.student_id AND t.type = d.type
    AND t.status IN ${OPEN} AND (t.reasons, t.device_id) IS DISTINCT FROM (d.reasons, d.device_id)
  RETURNING t.id, t.district_id, o.reasons AS before, t.reasons AS after, o.device_id AS device_before, t.device_id AS device_after
), history AS (
  INSERT INTO ticket_events (ticket_id, actor, actor_token_id, actor_staff_user_id, kind, data)
  SELECT id, ${actor.name}, ${actor.tokenId}::uuid, ${actor.staffUserId ?? null}::uuid, 'reasons_changed',
    jsonb_build_object('before', before, 'after', after, 'source', ${source}::text)
      || CASE WHEN device_before IS DISTINCT FROM device_after
              THEN jsonb_build_object('deviceBefore', device_before, 'deviceAfter', device_after) ELSE '{}'::jsonb END
  FROM changed
)
${AuditWriter.insertFrom(
  author,
  {
    districtId: 'district_id',
    entityType: 'ticket',
    entityId: 'id::text',
    action: { literal: 'update_reasons' },
    before: `jsonb_build_object('reasons', before, 'deviceId', device_before)`,
    after: `jsonb_build_object('reasons', after, 'deviceId', device_after)`,
  },
  q`FROM changed`,
)}`;
}

/** The ON CONFLICT predicate is the index's, so that tickets_one_open_per_student_type is the arbiter. */
function insertNewTickets(author: AuditAuthor, desired: DesiredTickets, source: TicketSource): SqlText {
  const { actor } = author;
  return q`
WITH opened AS (
  INSERT INTO tickets (district_id, student_id, school_id, type, device_id, priority, reasons, evidence, source, gap_id, created_by)
  SELECT s.district_id, d.student_id, d.school_id, d.type, d.device_id, d.priority, d.reasons, d.evidence, ${source}, d.gap_id, ${actor.tokenId}
  FROM ${desired.ref} d JOIN students s ON s.id = d.student_id
  WHERE NOT EXISTS (
    SELECT 1 FROM tickets t WHERE t.student_id = d.student_id AND t.type = d.type AND t.status IN ${OPEN}
  )
  ON CONFLICT (student_id, type) WHERE status IN ${OPEN} AND type <> 'repair' DO NOTHING
  RETURNING id, district_id, student_id, type, device_id, reasons, priority, source
), history AS (
  INSERT INTO ticket_events (ticket_id, actor, actor_token_id, actor_staff_user_id, kind, data)
  SELECT id, ${actor.name}, ${actor.tokenId}::uuid, ${actor.staffUserId ?? null}::uuid, 'opened', jsonb_build_object('reasons', reasons, 'source', source) FROM opened
)
${AuditWriter.insertFrom(
  author,
  {
    districtId: 'district_id',
    entityType: 'ticket',
    entityId: 'id::text',
    action: { literal: 'create' },
    after: `jsonb_build_object('studentId', student_id, 'type', type, 'deviceId', device_id, 'reasons', reasons, 'priority', priority, 'source', source)`,
  },
  q`FROM opened`,
)}`;
}

/** ISSUE_RESOLVES as rows (kind, type, resolution). */
const ISSUE_RESOLVES_SQL = `(VALUES ${Object.entries(ISSUE_RESOLVES)
  .map(([kind, match]) => `('${kind}', '${match!.type}', '${match!.resolution}')`)
  .join(', ')})`;

/**
 * CTEs, to follow others in a WITH, that resolve what a device in hand answers: a working Chromebook or
 * laptop the student's open replacement ticket, a working hotspot their connectivity one; each with its
 * history event and audit row. `issued`: a relation of ("studentId", kind, condition), the devices'
 * kind and condition; `studentIds`: every student it may name. Custody folds them into its issue
 * statement (a round trip fewer per issue); issue_resolved (id, district_id, resolution) lists what resolved.
 */
export function resolveForIssuedCtes(author: AuditAuthor, issued: SqlText, studentIds: string[]): SqlText {
  const { actor } = author;
  // The students again as an array: the planner then probes their tickets by index (tickets_student_idx)
  // instead of reading every open ticket of the state into a hash join, as its guess of 100 rows for
  // jsonb_to_recordset led it to (13 ms for one issue in a city of 500,000 students).
  return q`issue_resolves AS (
         SELECT DISTINCT x."studentId", m.type, m.resolution
         FROM ${issued} x JOIN ${raw(ISSUE_RESOLVES_SQL)} AS m(kind, type, resolution) ON m.kind = x.kind
         WHERE x.condition = 'working'
       ), issue_resolved AS (
         UPDATE tickets t SET status = 'resolved', resolution = x.resolution, resolved_at = now(), updated_at = now()
         FROM issue_resolves x
         WHERE t.student_id = ANY(${[...new Set(studentIds)]}::uuid[]) AND t.student_id = x."studentId" AND t.type = x.type
           AND t.status IN ${OPEN}
         RETURNING t.id, t.district_id, t.resolution
       ), issue_resolved_history AS (
         INSERT INTO ticket_events (ticket_id, actor, actor_token_id, actor_staff_user_id, kind, data)
         SELECT id, ${actor.name}, ${actor.tokenId}::uuid, ${actor.staffUserId ?? null}::uuid, 'status_changed', jsonb_build_object('to', 'resolved', 'resolution', resolution) FROM issue_resolved
       ), issue_resolved_audit AS (
         ${resolvedAudit(author, 'issue_resolved')}
       )`;
}

/** The audit rows of the tickets the CTE `resolved` (id, district_id, resolution) names. */
function resolvedAudit(author: AuditAuthor, resolved: string): SqlText {
  return AuditWriter.insertFrom(
    author,
    {
      districtId: 'district_id',
      entityType: 'ticket',
      entityId: 'id::text',
      action: { literal: 'resolve' },
      after: `jsonb_build_object('status', 'resolved', 'resolution', resolution)`,
    },
    q`FROM ${raw(resolved)}`,
  );
}

/**
 * The rest of a statement whose CTE `resolved` (id, district_id, resolution) resolved tickets: each gets
 * its history event and its audit row, in the same statement.
 */
function resolvedTail(author: AuditAuthor): SqlText {
  const { actor } = author;
  return q`, history AS (
         INSERT INTO ticket_events (ticket_id, actor, actor_token_id, actor_staff_user_id, kind, data)
         SELECT id, ${actor.name}, ${actor.tokenId}::uuid, ${actor.staffUserId ?? null}::uuid, 'status_changed', jsonb_build_object('to', 'resolved', 'resolution', resolution) FROM resolved
       )
       ${resolvedAudit(author, 'resolved')}`;
}

/** One change for many tickets a person picked in the queue: assign them (null: unassign), or close them with one reason. */
export type QueueChange = { action: 'assign'; assignee: string | null } | { action: 'close'; resolution: string };

/**
 * Applies a queue change to `ids` (tickets the caller may change, locked by the caller) in one
 * statement, with a history event and an audit row per ticket it changed. Tickets it would not change
 * (already assigned so, already closed) are left as they are. Returns the ids changed.
 */
export async function applyQueueChange(em: EntityManager, author: AuditAuthor, ids: string[], change: QueueChange): Promise<string[]> {
  const { actor } = author;
  const update =
    change.action === 'assign'
      ? q`UPDATE tickets t SET assignee = ${change.assignee}::text, updated_at = now()
          FROM old o WHERE t.id = o.id AND o.assignee IS DISTINCT FROM ${change.assignee}::text`
      : q`UPDATE tickets t SET status = 'closed', resolution = ${change.resolution}::text, updated_at = now(),
            resolved_at = coalesce(t.resolved_at, now())
          FROM old o WHERE t.id = o.id AND o.status <> 'closed'`;
  const event =
    change.action === 'assign'
      ? `'assigned', jsonb_build_object('from', old_assignee, 'to', assignee, 'bulk', true)`
      : `'status_changed', jsonb_build_object('from', old_status, 'to', status, 'resolution', resolution, 'bulk', true)`;
  const result = await run<{ id: string }>(
    em,
    q`WITH old AS (
       SELECT id, status, assignee, resolution FROM tickets WHERE id = ANY(${ids}::uuid[])
     ), changed AS (
       ${update}
       RETURNING t.id, t.district_id, o.status AS old_status, o.assignee AS old_assignee, o.resolution AS old_resolution,
         t.status, t.assignee, t.resolution
     ), history AS (
       INSERT INTO ticket_events (ticket_id, actor, actor_token_id, actor_staff_user_id, kind, data)
       SELECT id, ${actor.name}, ${actor.tokenId}::uuid, ${actor.staffUserId ?? null}::uuid, ${raw(event)} FROM changed
     ), audited AS (
       ${AuditWriter.insertFrom(
         author,
         {
           districtId: 'district_id',
           entityType: 'ticket',
           entityId: 'id::text',
           action: { literal: 'update' },
           before: `jsonb_build_object('status', old_status, 'assignee', old_assignee, 'resolution', old_resolution)`,
           after: `jsonb_build_object('status', status, 'assignee', assignee, 'resolution', resolution, 'bulk', true)`,
         },
         q`FROM changed`,
       )}
     )
     SELECT id FROM changed ORDER BY id`,
  );
  return result.rows.map((r) => r.id);
}
