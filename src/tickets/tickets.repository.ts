import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { DEFAULT_PAGE_SIZE } from '../common/http/pagination.js';
import { GENERIC_PLANS } from '../database/database-options.js';
import { countText, isoText, one, prepared, q, raw, run, sql } from '../database/sql.js';
import { guardiansOf } from '../students/family-contacts.sql.js';
import { homeVisitSchool, homeVisitTickets } from './home-visit.sql.js';
import type { GuardianRow } from '../students/student.domain.js';
import { OPEN_TICKET_STATUSES, TICKET_STATUSES, type TicketRow, type TicketStatus, type TicketType } from './ticket.domain.js';

export interface TicketFilters {
  districtId: string | null;
  /** A school-scoped caller's schools; null: no such limit. */
  schoolIds: string[] | null;
  statuses: TicketStatus[];
  types?: TicketType[];
  schoolId?: string;
  studentId?: string;
  deviceId?: string;
  reason?: string;
  assignee?: string;
  /** Only tickets nobody is assigned to. */
  unassigned?: boolean;
}

/** A ticket as the API shows it, timestamps as its text (isoText): no Date made per value of a queue page. */
const COLUMNS = `t.id, t.district_id AS "districtId", t.type, t.status, t.priority, t.reasons, t.source,
  t.student_id AS "studentId", t.device_id AS "deviceId", t.school_id AS "schoolId", t.gap_id AS "gapId",
  t.assignee, t.resolution, t.note, ${isoText('t.opened_at')} AS "openedAt", ${isoText('t.updated_at')} AS "updatedAt",
  ${isoText('t.resolved_at')} AS "resolvedAt",
  CASE WHEN s.id IS NULL THEN NULL ELSE jsonb_build_object('givenName', s.given_name, 'familyName', s.family_name,
    'sourcedId', s.sourced_id, 'grade', s.grade) END AS student`;

export type TicketSort = 'age' | 'priority';

/** A status as SQL text; only the closed set's values are ever written into a statement. */
function statusLiteral(status: TicketStatus): string {
  if (!TICKET_STATUSES.includes(status)) throw new Error(`not a ticket status: ${String(status)}`);
  return `'${status}'`;
}

export interface HomeVisitSchool {
  id: string;
  districtId: string;
  name: string;
  code: string;
  districtName: string;
  timeZone: string;
}

export interface HomeVisitTicket {
  id: string;
  status: string;
  assignee: string | null;
  openedAt: Date;
  studentId: string;
  givenName: string;
  familyName: string;
  sourcedId: string;
  identifier: string | null;
  grade: string | null;
  email: string | null;
  homeLanguage: string | null;
  lastLoginAt: Date | null;
  gapOpenedAsOf: string | null;
  devices: { kind: string; assetTag: string | null; serialNumber: string; status: string; since: string }[];
  attempts: { channel: string; outcome: string; attemptedAt: string; note: string | null }[];
  reasons: string[];
  otherOpen: { type: string; reasons: string[] }[];
  guardians: GuardianRow[];
}

export interface TicketEventRow {
  occurredAt: Date;
  actor: string;
  actorTokenId: string | null;
  actorStaffUserId: string | null;
  kind: string;
  data: unknown;
}

@Injectable()
export class TicketsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectDataSource(GENERIC_PLANS) private readonly genericPlans: DataSource,
  ) {}

  /**
   * One page of the queue, keyset-paginated on the sort key; served by the partial queue indexes (by device: tickets_device_idx).
   * `openedAtKey` is opened_at to the microsecond for the next page's cursor: a Date's milliseconds would
   * fall before the row and show it again at the top of the next page.
   * Only the filters given are written, the statuses and the LIMIT as text (from their closed sets), so a
   * page at the default size is a prepared statement whose generic plan reads the queue index the custom
   * ones read: parameters there would leave the plan blind to the partial indexes' status condition.
   */
  async list(
    filters: TicketFilters,
    sort: TicketSort,
    limit: number,
    after: (string | number | null)[] | null,
  ): Promise<(TicketRow & { openedAtKey: string })[]> {
    const params: unknown[] = [];
    const bind = (value: unknown): string => `$${params.push(value)}`;
    const where: string[] = [];
    if (filters.districtId !== null) where.push(`t.district_id = ${bind(filters.districtId)}`);
    where.push(`t.status IN (${filters.statuses.map(statusLiteral).join(', ')})`);
    if (filters.types) where.push(`t.type = ANY (${bind(filters.types)}::text[])`);
    if (filters.schoolId !== undefined) where.push(`t.school_id = ${bind(filters.schoolId)}`);
    if (filters.studentId !== undefined) where.push(`t.student_id = ${bind(filters.studentId)}`);
    if (filters.reason !== undefined) where.push(`t.reasons @> ARRAY[${bind(filters.reason)}::text]`);
    if (filters.assignee !== undefined) where.push(`t.assignee = ${bind(filters.assignee)}`);
    if (filters.deviceId !== undefined) where.push(`t.device_id = ${bind(filters.deviceId)}`);
    if (filters.unassigned) where.push(`t.assignee IS NULL`);
    if (filters.schoolIds) where.push(`t.school_id = ANY(${bind(filters.schoolIds)}::uuid[])`);
    // The open queue with no filter but a district: see below.
    const queue =
      where.length === (filters.districtId !== null ? 2 : 1) &&
      filters.statuses.length === OPEN_TICKET_STATUSES.length &&
      OPEN_TICKET_STATUSES.every((status) => filters.statuses.includes(status));
    if (after) {
      where.push(
        sort === 'priority'
          ? `(t.priority, t.opened_at, t.id) > (${bind(after[0])}::smallint, ${bind(after[1])}::timestamptz, ${bind(after[2])}::uuid)`
          : `(t.opened_at, t.id) > (${bind(after[0])}::timestamptz, ${bind(after[1])}::uuid)`,
      );
    }
    const order = sort === 'priority' ? 't.priority, t.opened_at, t.id' : 't.opened_at, t.id';
    // The page is taken before its students are joined: joined first, a queue of a few hundred tickets
    // state-wide was planned as a hash join over every student (2.3 ms a page at 20,000 students).
    const text = `SELECT ${COLUMNS}, to_char(t.opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "openedAtKey"
       FROM (SELECT t.* FROM tickets t WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${countText(limit + 1)}) t
       LEFT JOIN students s ON s.id = t.student_id
       ORDER BY ${order}`;
    // Other page sizes are planned each time: each LIMIT is a text of its own, and a connection keeps few.
    // The open queue with no filter but a district runs its generic plan always (GENERIC_PLANS): expecting
    // fewer of a district's tickets than a big district holds, that plan is costed above the custom ones,
    // so PostgreSQL planned it each time (0.5 ms, as long as the run).
    if (limit !== DEFAULT_PAGE_SIZE) return (await sql<TicketRow & { openedAtKey: string }>(this.db.manager, text, params)).rows;
    return (await prepared<TicketRow & { openedAtKey: string }>((queue ? this.genericPlans : this.db).manager, text, params)).rows;
  }

  /**
   * Tickets written by transactions a poll's snapshot could not see: those whose `changed_xid` is at
   * least `floor`, after (`afterXid`, `afterId`) when paging, in (changed_xid, id) order; and the floor
   * of the next poll (the oldest transaction still running as this one reads), read first, in the same snapshot.
   */
  async changes(
    filters: Pick<TicketFilters, 'districtId' | 'schoolIds' | 'schoolId' | 'types'>,
    from: { floor: string; afterXid: string | null; afterId: string | null } | null,
    limit: number,
  ): Promise<{ rows: (TicketRow & { changedXid: string })[]; floor: string }> {
    return this.db.transaction('REPEATABLE READ', async (em) => {
      const floor = (await one<{ floor: string }>(em, `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS floor`))!.floor;
      if (!from) return { rows: [], floor };
      const after = from.afterXid ? q`AND (t.changed_xid, t.id) > (${from.afterXid}::xid8, ${from.afterId}::uuid)` : raw('');
      const scope = filters.schoolIds ? q`AND t.school_id = ANY(${filters.schoolIds}::uuid[])` : raw('');
      const { rows } = await run<TicketRow & { changedXid: string }>(
        em,
        q`SELECT ${raw(COLUMNS)}, t.changed_xid::text AS "changedXid"
          FROM tickets t LEFT JOIN students s ON s.id = t.student_id
          WHERE (${filters.districtId}::uuid IS NULL OR t.district_id = ${filters.districtId}::uuid)
            AND t.changed_xid >= ${from.floor}::xid8 ${after} ${scope}
            AND (${filters.schoolId ?? null}::uuid IS NULL OR t.school_id = ${filters.schoolId ?? null}::uuid)
            AND (${filters.types ?? null}::text[] IS NULL OR t.type = ANY (${filters.types ?? null}::text[]))
          ORDER BY t.changed_xid, t.id LIMIT ${limit}`,
      );
      return { rows, floor };
    });
  }

  /** The tickets of a queue change, locked in id order (so two bulk changes cannot deadlock), as far as they are in the district. */
  async lockForChange(
    em: EntityManager,
    ids: string[],
    districtId: string | null,
  ): Promise<{ id: string; type: TicketType; schoolId: string | null }[]> {
    const { rows } = await run<{ id: string; type: TicketType; schoolId: string | null }>(
      em,
      q`SELECT id, type, school_id AS "schoolId" FROM tickets
        WHERE id = ANY(${ids}::uuid[]) AND (${districtId}::uuid IS NULL OR district_id = ${districtId}::uuid)
        ORDER BY id FOR UPDATE`,
    );
    return rows;
  }

  find(
    em: EntityManager,
    id: string,
    districtId: string | null,
    lock = false,
  ): Promise<(TicketRow & { evidence: unknown; version: number }) | null> {
    return one(
      em,
      `SELECT ${COLUMNS}, t.evidence, t.version FROM tickets t LEFT JOIN students s ON s.id = t.student_id
       WHERE t.id = $1 AND ($2::uuid IS NULL OR t.district_id = $2) ${lock ? 'FOR UPDATE OF t' : ''}`,
      [id, districtId],
    );
  }

  /** The school a ticket about this student (else this device) would be filed under, as insert() files it. */
  async schoolFor(em: EntityManager, studentId: string | null, deviceId: string | null): Promise<string | null> {
    const row = await one<{ schoolId: string | null }>(
      em,
      `SELECT coalesce((SELECT school_id FROM students WHERE id = $1), (SELECT school_id FROM devices WHERE id = $2)) AS "schoolId"`,
      [studentId, deviceId],
    );
    return row?.schoolId ?? null;
  }

  async history(id: string): Promise<TicketEventRow[]> {
    const { rows } = await sql<TicketEventRow>(
      this.db.manager,
      `SELECT occurred_at AS "occurredAt", actor, actor_token_id AS "actorTokenId", actor_staff_user_id AS "actorStaffUserId", kind, data
       FROM ticket_events WHERE ticket_id = $1 ORDER BY id`,
      [id],
    );
    return rows;
  }

  /** The student's home language and the guardians the roster links to them. */
  async familyContacts(studentId: string): Promise<{ homeLanguage: string | null; guardians: GuardianRow[] }> {
    const [student, guardians] = await Promise.all([
      one<{ homeLanguage: string | null }>(this.db.manager, `SELECT home_language AS "homeLanguage" FROM students WHERE id = $1`, [
        studentId,
      ]),
      run<GuardianRow & { studentId: string }>(this.db.manager, guardiansOf([studentId])),
    ]);
    return { homeLanguage: student?.homeLanguage ?? null, guardians: guardians.rows.map(({ studentId: _, ...g }) => g) };
  }

  /** The school of a home-visit sheet, if it is in the district (null: any district). */
  async homeVisitSchool(schoolId: string, districtId: string | null): Promise<HomeVisitSchool | null> {
    return (await run<HomeVisitSchool>(this.db.manager, homeVisitSchool(schoolId, districtId))).rows[0] ?? null;
  }

  /** The school's open outreach tickets with their students' devices, attempts and family contacts: two statements in one snapshot. */
  async homeVisitTickets(school: HomeVisitSchool): Promise<HomeVisitTicket[]> {
    return this.db.transaction('REPEATABLE READ', async (em) => {
      const tickets = (await run<Omit<HomeVisitTicket, 'guardians'>>(em, homeVisitTickets(school.districtId, school.id))).rows;
      const guardians = (await run<GuardianRow & { studentId: string }>(em, guardiansOf(tickets.map((t) => t.studentId)))).rows;
      const byStudent = new Map<string, GuardianRow[]>();
      for (const { studentId, ...guardian } of guardians) byStudent.set(studentId, [...(byStudent.get(studentId) ?? []), guardian]);
      return tickets.map((t) => ({ ...t, guardians: byStudent.get(t.studentId) ?? [] }));
    });
  }

  async outreachAttempts(id: string) {
    const { rows } = await sql<{ id: string; channel: string; attemptedAt: Date; outcome: string; note: string | null }>(
      this.db.manager,
      `SELECT id, channel, attempted_at AS "attemptedAt", outcome, note FROM outreach_attempts WHERE ticket_id = $1 ORDER BY attempted_at, id`,
      [id],
    );
    return rows;
  }

  async insert(
    em: EntityManager,
    ticket: {
      districtId: string;
      type: TicketType;
      studentId: string | null;
      deviceId: string | null;
      reasons: string[];
      note: string | null;
      createdBy: string | null;
    },
  ): Promise<string> {
    const row = await one<{ id: string }>(
      em,
      `INSERT INTO tickets (district_id, type, student_id, device_id, school_id, reasons, note, source, created_by)
       SELECT $1, $2, $3, $4, coalesce((SELECT school_id FROM students WHERE id = $3), (SELECT school_id FROM devices WHERE id = $4)),
         $5, $6, 'manual', $7
       RETURNING id`,
      [ticket.districtId, ticket.type, ticket.studentId, ticket.deviceId, ticket.reasons, ticket.note, ticket.createdBy],
    );
    return row!.id;
  }

  async update(
    em: EntityManager,
    id: string,
    changes: { status: TicketStatus; assignee: string | null; resolution: string | null },
  ): Promise<void> {
    await sql(
      em,
      `UPDATE tickets SET status = $2, assignee = $3, resolution = $4, updated_at = now(),
         resolved_at = CASE WHEN $2 IN ('resolved','closed') THEN coalesce(resolved_at, now()) ELSE NULL END
       WHERE id = $1`,
      [id, changes.status, changes.assignee, changes.resolution],
    );
  }

  async addEvent(em: EntityManager, ticketId: string, actor: Actor, kind: string, data: unknown): Promise<void> {
    await sql(
      em,
      `INSERT INTO ticket_events (ticket_id, actor, actor_token_id, actor_staff_user_id, kind, data) VALUES ($1, $2, $3, $4, $5, $6)`,
      [ticketId, actor.name, actor.tokenId, actor.staffUserId ?? null, kind, JSON.stringify(data)],
    );
  }

  async addOutreachAttempt(
    em: EntityManager,
    attempt: {
      districtId: string;
      ticketId: string;
      channel: string;
      attemptedAt: string;
      outcome: string;
      note: string | null;
      createdBy: string | null;
    },
  ): Promise<string> {
    const row = await one<{ id: string }>(
      em,
      `INSERT INTO outreach_attempts (district_id, ticket_id, channel, attempted_at, outcome, note, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [attempt.districtId, attempt.ticketId, attempt.channel, attempt.attemptedAt, attempt.outcome, attempt.note, attempt.createdBy],
    );
    return row!.id;
  }
}
