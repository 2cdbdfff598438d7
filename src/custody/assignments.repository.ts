import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditWriter, type AuditAuthor } from '../audit/audit-writer.js';
import { MAY_WRITE_BACK } from '../connectors/write-backs.repository.js';
import { isoText, one, q, raw, run, sql, type SqlText } from '../database/sql.js';
import type { Condition, DeviceStatus } from '../devices/device.domain.js';
import { ISSUABLE, returnToStock, takeFromStock } from '../devices/device-stock.sql.js';
import type { EnrollmentStatus } from '../students/student.domain.js';
import { resolveForIssuedCtes } from '../tickets/ticket-bulk.repository.js';
import type { AssignmentKind, AssignmentRow, EndReason } from './custody.domain.js';

/** For the keyset of "most recent first": started_at in whole microseconds, exact where a Date is not. */
export type AssignmentListRow = AssignmentRow & { startedAtKey: string };

/** An assignment row of alias `a`, its timestamps as `at` writes them. */
export const assignmentColumns = (
  at: (column: string) => string,
): string => `a.id, a.district_id AS "districtId", a.device_id AS "deviceId",
  a.student_id AS "studentId", a.kind, a.loaner_for_device_id AS "loanerForDeviceId", ${at('a.started_at')} AS "startedAt",
  a.issued_by AS "issuedBy", a.acknowledged_by_name AS "acknowledgedByName", ${at('a.acknowledged_at')} AS "acknowledgedAt",
  a.acknowledgement_signature IS NOT NULL AS "acknowledgementSigned", ${at('a.ended_at')} AS "endedAt",
  a.end_reason AS "endReason", a.returned_condition AS "returnedCondition", a.return_note AS "returnNote",
  a.ended_by AS "endedBy"`;

/** An AssignmentRow: timestamps as the API's text (isoText), so a list page makes no Date per value. */
export const ASSIGNMENT_COLUMNS = assignmentColumns(isoText);

/**
 * A school-scoped caller's assignments: those whose device or student is at one of the schools (`param`:
 * a uuid[]). Each side is one uncorrelated set, which PostgreSQL hashes once for a whole list.
 */
const inSchools = (param: string): string =>
  `(a.device_id IN (SELECT id FROM devices WHERE school_id = ANY(${param}::uuid[]))
    OR a.student_id IN (SELECT id FROM students WHERE school_id = ANY(${param}::uuid[])))`;

/**
 * The district's ($1) device with the asset tag of `i`, in any case (devices_asset_tag_lookup_idx); a
 * tag spelled exactly as given wins over one that differs only in case. `scope`: a further condition on x.
 */
const deviceByTagSql = (scope = ''): string => `SELECT x.id, x.status, x.holder_unknown FROM devices x
  WHERE x.district_id = $1 AND lower(x.asset_tag) = lower(i."assetTag")${scope}
  ORDER BY (x.asset_tag = i."assetTag") DESC, x.id LIMIT 1`;

/**
 * An assignment row of alias `a` as the API shows it (AssignmentDto.from), for audit rows a statement
 * writes itself; test/custody.e2e-spec.ts compares them with the API's answers.
 */
const assignmentJson = (a: string): string => `jsonb_build_object('id', ${a}.id, 'districtId', ${a}.district_id,
  'deviceId', ${a}.device_id, 'studentId', ${a}.student_id, 'kind', ${a}.kind, 'loanerForDeviceId', ${a}.loaner_for_device_id,
  'active', ${a}.ended_at IS NULL, 'startedAt', ${isoText(`${a}.started_at`)}, 'issuedBy', ${a}.issued_by,
  'acknowledgement', CASE WHEN ${a}.acknowledged_by_name IS NOT NULL AND ${a}.acknowledged_at IS NOT NULL
    THEN jsonb_build_object('signerName', ${a}.acknowledged_by_name, 'signedAt', ${isoText(`${a}.acknowledged_at`)},
      'signed', ${a}.acknowledgement_signature IS NOT NULL) END,
  'endedAt', ${isoText(`${a}.ended_at`)}, 'endReason', ${a}.end_reason, 'returnedCondition', ${a}.returned_condition,
  'returnNote', ${a}.return_note, 'endedBy', ${a}.ended_by)`;

/**
 * The audit rows of one custody change, written by the statement that makes it: the device's transition
 * (`deviceAfter`: an expression of its state after) and then the assignment's entry, in that order.
 * `from` names the changed assignment as `a` (with the assignment table's columns).
 */
function custodyAudit(
  author: AuditAuthor,
  device: LockedDevice,
  actions: { device: string; assignment: string },
  deviceAfter: SqlText,
  assignment: { before: string | null; after: string },
  from: SqlText,
): SqlText {
  return AuditWriter.insertFrom(
    author,
    {
      districtId: 'a.district_id',
      entityType: { expression: 'e.entity_type' },
      entityId: 'e.entity_id',
      action: 'e.action',
      before: 'e.before',
      after: 'e.after',
    },
    q`${from}
      CROSS JOIN LATERAL (VALUES
        (1, 'device', a.device_id::text, ${actions.device}::text,
          jsonb_build_object('status', ${device.status}::text, 'condition', ${device.condition}::text), ${deviceAfter}),
        (2, 'assignment', a.id::text, ${actions.assignment}::text, ${raw(assignment.before ?? 'NULL::jsonb')}, ${raw(assignment.after)})
      ) AS e(n, entity_type, entity_id, action, before, after)
      ORDER BY e.n`,
  );
}

/** What the statement that issues or returns also writes, besides the custody change. */
export interface CustodyWrites {
  /** Whom its ticket and audit rows name. */
  author: AuditAuthor;
  /**
   * For a single change whose caller audits nothing before it: the device as locked; the statement then
   * writes the change's audit rows itself (a round trip fewer). null: the caller audits what changed.
   */
  auditOf: LockedDevice | null;
}

const STARTED_AT_KEY = `(extract(epoch FROM a.started_at) * 1000000)::bigint::text`;

export interface IssueRow {
  deviceId: string;
  studentId: string;
  kind: AssignmentKind;
  loanerForDeviceId: string | null;
  signerName: string | null;
  signedAt: string | null;
}

export interface ReleaseRow {
  assignmentId: string;
  /** null keeps the device's condition (a loaner coming back at the end of a repair). */
  condition: Condition | null;
  note: string | null;
}

/** A device's state as locked at the start of a custody change, for the audit's "before". */
export interface LockedDevice {
  id: string;
  kind: string;
  status: DeviceStatus;
  condition: Condition;
  /** MAY_WRITE_BACK: false spares the change its write-back statement. */
  mayWriteBack: boolean;
}

/** Why an issue may not have happened: read after the fact, so it describes the state that refused it. */
export interface IssueState {
  deviceStatus: DeviceStatus | null;
  /** Deployed to a holder not named yet: issuable, although not in stock. */
  holderUnknown: boolean;
  holderId: string | null;
  studentFound: boolean;
  studentStatus: EnrollmentStatus | null;
}

export interface BulkAssignResolution {
  line: number;
  deviceId: string | null;
  deviceStatus: DeviceStatus | null;
  holderUnknown: boolean;
  holderId: string | null;
  holdingAssignmentId: string | null;
  studentId: string | null;
  studentStatus: EnrollmentStatus | null;
}

export interface BulkReturnResolution {
  line: number;
  deviceId: string | null;
  deviceStatus: DeviceStatus | null;
  assignmentId: string | null;
}

export interface AssignmentFilter {
  districtId: string | null;
  /** A school-scoped caller's schools; null: no such limit. */
  schoolIds: string[] | null;
  studentId?: string;
  deviceId?: string;
  active?: boolean;
}

@Injectable()
export class AssignmentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `schoolIds`: a school-scoped caller's schools, outside which the assignment is not found. */
  findById(
    id: string,
    districtId: string | null,
    em: EntityManager = this.db.manager,
    schoolIds: string[] | null = null,
  ): Promise<AssignmentRow | null> {
    return one<AssignmentRow>(
      em,
      `SELECT ${ASSIGNMENT_COLUMNS} FROM assignments a WHERE a.id = $1 AND ($2::uuid IS NULL OR a.district_id = $2)${schoolIds ? ` AND ${inSchools('$3')}` : ''}`,
      schoolIds ? [id, districtId, schoolIds] : [id, districtId],
    );
  }

  async list(filter: AssignmentFilter, after: { startedAtKey: string; id: string } | null, limit: number): Promise<AssignmentListRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const bind = (value: unknown): string => `$${params.push(value)}`;
    if (filter.districtId) where.push(`a.district_id = ${bind(filter.districtId)}`);
    if (filter.studentId) where.push(`a.student_id = ${bind(filter.studentId)}`);
    if (filter.deviceId) where.push(`a.device_id = ${bind(filter.deviceId)}`);
    if (filter.active !== undefined) where.push(filter.active ? 'a.ended_at IS NULL' : 'a.ended_at IS NOT NULL');
    if (filter.schoolIds) where.push(inSchools(bind(filter.schoolIds)));
    if (after) {
      where.push(
        `(a.started_at, a.id) < ('epoch'::timestamptz + ${bind(after.startedAtKey)}::bigint * interval '1 microsecond', ${bind(after.id)}::uuid)`,
      );
    }
    const result = await sql<AssignmentListRow>(
      this.db.manager,
      `SELECT ${ASSIGNMENT_COLUMNS}, ${STARTED_AT_KEY} AS "startedAtKey" FROM assignments a
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY a.started_at DESC, a.id DESC LIMIT ${bind(limit + 1)}`,
      params,
    );
    return result.rows;
  }

  /**
   * Locks the listed devices that may be issued (in stock, or deployed to a holder not yet named), in
   * id order so that two bulk requests over the same devices queue instead of deadlocking.
   */
  async lockInStock(em: EntityManager, districtId: string, deviceIds: string[]): Promise<LockedDevice[]> {
    const result = await sql<LockedDevice>(
      em,
      `SELECT d.id, d.kind, d.status, d.condition, ${MAY_WRITE_BACK} AS "mayWriteBack" FROM devices d
       WHERE d.district_id = $1 AND d.id = ANY($2::uuid[]) AND ${ISSUABLE}
       ORDER BY d.id FOR UPDATE`,
      [districtId, deviceIds],
    );
    return result.rows;
  }

  /**
   * The one device a single issue names, within the caller's district (null: any) and schools (null: all),
   * locked whatever its status: the lookup and the lock in one round trip. `issuable` says whether the
   * ledger may issue it; one that is not is left to the refusal's reading of the state.
   */
  async lockForIssue(
    em: EntityManager,
    districtId: string | null,
    schoolIds: string[] | null,
    deviceId: string,
  ): Promise<(LockedDevice & { districtId: string; issuable: boolean }) | null> {
    return one<LockedDevice & { districtId: string; issuable: boolean }>(
      em,
      `SELECT d.id, d.district_id AS "districtId", d.kind, d.status, d.condition, ${MAY_WRITE_BACK} AS "mayWriteBack",
         ${ISSUABLE} AS issuable
       FROM devices d
       WHERE d.id = $1 AND ($2::uuid IS NULL OR d.district_id = $2) AND ($3::uuid[] IS NULL OR d.school_id = ANY($3::uuid[]))
       FOR UPDATE OF d`,
      [deviceId, districtId, schoolIds],
    );
  }

  /**
   * Hands devices to students in one statement: only active students of the district, only devices
   * still in_stock (the conditional UPDATE is what lets exactly one of many concurrent requests win),
   * and assignments_one_active_per_device stands behind it. The same statement resolves the tickets a
   * device in hand answers (resolveForIssuedCtes) and, for a single issue, writes its audit rows
   * (`writes`). Returns the assignments made.
   */
  async issue(em: EntityManager, districtId: string, rows: IssueRow[], writes: CustodyWrites): Promise<AssignmentRow[]> {
    const { author, auditOf } = writes;
    const audit = auditOf
      ? q`, custody_audit AS (
         ${custodyAudit(
           author,
           auditOf,
           { device: 'assign', assignment: 'create' },
           q`jsonb_build_object('status', CASE a.kind WHEN 'loaner' THEN 'loaner' ELSE 'assigned' END, 'condition', ${auditOf.condition}::text)`,
           { before: null, after: assignmentJson('a') },
           q`FROM issued a`,
         )}
       )`
      : raw('');
    const result = await run<AssignmentRow>(
      em,
      q`WITH i AS (
         SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS i(
           "deviceId" uuid, "studentId" uuid, kind text, "loanerForDeviceId" uuid, "signerName" text, "signedAt" timestamptz)
       ), eligible AS (
         SELECT i.* FROM i JOIN students s ON s.district_id = ${districtId} AND s.id = i."studentId" AND s.enrollment_status = 'active'
       ), taken AS (
         ${takeFromStock(districtId, raw('eligible'))}
       ), issued AS (
         INSERT INTO assignments AS a
           (district_id, device_id, student_id, kind, loaner_for_device_id, issued_by, acknowledged_by_name, acknowledged_at)
         SELECT ${districtId}, t."deviceId", t."studentId", t.kind, t."loanerForDeviceId", ${author.actor.tokenId}, t."signerName",
           CASE WHEN t."signerName" IS NULL THEN NULL ELSE coalesce(t."signedAt", now()) END
         FROM taken t
         RETURNING a.*
       ), ${resolveForIssuedCtes(
         author,
         raw(`(SELECT t."studentId", t."deviceKind" AS kind, t."deviceCondition" AS condition FROM taken t)`),
         rows.map((r) => r.studentId),
       )}${audit}
       SELECT ${raw(ASSIGNMENT_COLUMNS)} FROM issued a`,
    );
    return result.rows;
  }

  async issueState(em: EntityManager, districtId: string, deviceId: string, studentId: string): Promise<IssueState> {
    const row = await one<IssueState>(
      em,
      `SELECT d.status AS "deviceStatus", coalesce(d.holder_unknown, false) AS "holderUnknown", a.student_id AS "holderId",
         s.id IS NOT NULL AS "studentFound",
         s.enrollment_status AS "studentStatus"
       FROM (SELECT 1) AS x
       LEFT JOIN devices d ON d.district_id = $1 AND d.id = $2
       LEFT JOIN assignments a ON a.device_id = d.id AND a.ended_at IS NULL
       LEFT JOIN students s ON s.district_id = $1 AND s.id = $3`,
      [districtId, deviceId, studentId],
    );
    return row!;
  }

  /**
   * The district's device with this asset tag (any case; the exact spelling first), and the students a
   * sourcedId or identifier names (an identifier may name several).
   */
  async deviceByTag(em: EntityManager, districtId: string, assetTag: string): Promise<string | null> {
    const row = await one<{ id: string }>(em, `SELECT d.id FROM (SELECT $2::text AS "assetTag") i, LATERAL (${deviceByTagSql()}) d`, [
      districtId,
      assetTag,
    ]);
    return row?.id ?? null;
  }

  async studentsByKey(em: EntityManager, districtId: string, key: { sourcedId?: string; identifier?: string }): Promise<string[]> {
    const result = await sql<{ id: string }>(
      em,
      `SELECT id FROM students WHERE district_id = $1 AND (sourced_id = $2 OR identifier = $3) ORDER BY id LIMIT 2`,
      [districtId, key.sourcedId ?? null, key.identifier ?? null],
    );
    return result.rows.map((r) => r.id);
  }

  /** Locks the devices of the listed active assignments, in id order, before the assignments change. */
  async lockHeldDevices(em: EntityManager, districtId: string, assignmentIds: string[]): Promise<LockedDevice[]> {
    const result = await sql<LockedDevice>(
      em,
      `SELECT d.id, d.kind, d.status, d.condition, ${MAY_WRITE_BACK} AS "mayWriteBack" FROM devices d
       JOIN assignments a ON a.device_id = d.id
       WHERE a.district_id = $1 AND a.id = ANY($2::uuid[]) AND a.ended_at IS NULL
       ORDER BY d.id FOR UPDATE OF d`,
      [districtId, assignmentIds],
    );
    return result.rows;
  }

  /**
   * The assignment a single return names, within the caller's district (null: any) and schools (null:
   * all), with its device locked: the lookup and the lock in one round trip. `endReason` is set when it
   * had ended already; one ended meanwhile (after a wait for the lock) the release finds unchanged.
   */
  async lockForReturn(
    em: EntityManager,
    id: string,
    districtId: string | null,
    schoolIds: string[] | null,
  ): Promise<{ districtId: string; endReason: EndReason | null; device: LockedDevice } | null> {
    const row = await one<LockedDevice & { districtId: string; ended: boolean; endReason: EndReason | null }>(
      em,
      `SELECT a.district_id AS "districtId", a.ended_at IS NOT NULL AS ended, a.end_reason AS "endReason",
         d.id, d.kind, d.status, d.condition, ${MAY_WRITE_BACK} AS "mayWriteBack"
       FROM assignments a JOIN devices d ON d.id = a.device_id
       WHERE a.id = $1 AND ($2::uuid IS NULL OR a.district_id = $2)${schoolIds ? ` AND ${inSchools('$3')}` : ''}
       FOR UPDATE OF d`,
      schoolIds ? [id, districtId, schoolIds] : [id, districtId],
    );
    if (!row) return null;
    const { districtId: district, ended, endReason, ...device } = row;
    return { districtId: district, endReason: ended ? endReason : null, device };
  }

  /**
   * Ends active assignments and puts their devices back in stock, in one statement; for a single
   * return, the same statement writes its audit rows (`writes`). Assignments already ended are left
   * alone, which is what makes a repeated collection day harmless.
   */
  async release(
    em: EntityManager,
    districtId: string,
    reason: EndReason,
    rows: ReleaseRow[],
    writes: CustodyWrites,
  ): Promise<AssignmentRow[]> {
    const { author, auditOf } = writes;
    const audit = auditOf
      ? q`, custody_audit AS (
         ${custodyAudit(
           author,
           auditOf,
           { device: 'return', assignment: 'end' },
           q`jsonb_build_object('status', 'in_stock', 'condition', coalesce(a.returned_condition, ${auditOf.condition}::text))`,
           {
             before: `${assignmentJson('a')} || jsonb_build_object('active', true, 'endedAt', NULL, 'endReason', NULL,
               'returnedCondition', NULL, 'returnNote', NULL, 'endedBy', NULL)`,
             after: assignmentJson('a'),
           },
           q`FROM ended a`,
         )}
       )`
      : raw('');
    // The ids again as an array: the planner then probes them by key, where its guess of 100 rows for
    // jsonb_to_recordset had it hash every assignment of the state for a single return.
    const ids = rows.map((r) => r.assignmentId);
    const result = await run<AssignmentRow>(
      em,
      q`WITH i AS (
         SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS i("assignmentId" uuid, condition text, note text)
       ), ended AS (
         UPDATE assignments a SET ended_at = now(), end_reason = ${reason}, returned_condition = i.condition,
           return_note = i.note, ended_by = ${author.actor.tokenId}
         FROM i
         WHERE a.id = ANY(${ids}::uuid[]) AND a.id = i."assignmentId" AND a.district_id = ${districtId} AND a.ended_at IS NULL
         RETURNING a.*
       ), freed AS (
         ${returnToStock(raw('ended'))}
       )${audit}
       SELECT ${raw(ASSIGNMENT_COLUMNS)} FROM ended a`,
    );
    return result.rows;
  }

  /** Ends a device's active assignment, leaving the device to the workflow that locked it. */
  endActive(em: EntityManager, deviceId: string, reason: EndReason, endedBy: string | null): Promise<AssignmentRow | null> {
    return one<AssignmentRow>(
      em,
      `UPDATE assignments a SET ended_at = now(), end_reason = $2, ended_by = $3
       WHERE a.device_id = $1 AND a.ended_at IS NULL
       RETURNING ${ASSIGNMENT_COLUMNS}`,
      [deviceId, reason, endedBy],
    );
  }

  /** The drawn signature of an assignment's acknowledgement (a PNG data URL), or null. */
  async signature(id: string, em: EntityManager = this.db.manager): Promise<string | null> {
    const row = await one<{ signature: string | null }>(
      em,
      `SELECT acknowledgement_signature AS signature FROM assignments WHERE id = $1`,
      [id],
    );
    return row?.signature ?? null;
  }

  /** Records an acknowledgement once; null when the assignment already has one. */
  acknowledge(
    em: EntityManager,
    id: string,
    signerName: string,
    signedAt: string | null,
    signature: string | null,
  ): Promise<AssignmentRow | null> {
    return one<AssignmentRow>(
      em,
      `UPDATE assignments a SET acknowledged_by_name = $2, acknowledged_at = coalesce($3::timestamptz, now()),
         acknowledgement_signature = $4
       WHERE a.id = $1 AND a.acknowledged_at IS NULL
       RETURNING ${ASSIGNMENT_COLUMNS}`,
      [id, signerName, signedAt, signature],
    );
  }

  /**
   * Lines of a distribution in one query: the device by asset tag (any case; the exact spelling first),
   * its current holder, the student by sourcedId. For a school-scoped caller (`schoolIds`), devices and
   * students of other schools are not found.
   */
  async resolveBulkAssign(
    em: EntityManager,
    districtId: string,
    schoolIds: string[] | null,
    lines: { line: number; assetTag: string; studentSourcedId: string }[],
  ): Promise<BulkAssignResolution[]> {
    const inScope = (alias: string) => (schoolIds ? ` AND ${alias}.school_id = ANY($3::uuid[])` : '');
    const result = await sql<BulkAssignResolution>(
      em,
      `WITH i AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb) AS i(line int, "assetTag" text, "studentSourcedId" text)
       )
       SELECT i.line, d.id AS "deviceId", d.status AS "deviceStatus", coalesce(d.holder_unknown, false) AS "holderUnknown",
         a.student_id AS "holderId", a.id AS "holdingAssignmentId", s.id AS "studentId", s.enrollment_status AS "studentStatus"
       FROM i
       LEFT JOIN LATERAL (${deviceByTagSql(inScope('x'))}) d ON true
       LEFT JOIN assignments a ON a.device_id = d.id AND a.ended_at IS NULL
       LEFT JOIN students s ON s.district_id = $1 AND s.sourced_id = i."studentSourcedId"${inScope('s')}
       ORDER BY i.line`,
      schoolIds ? [districtId, JSON.stringify(lines), schoolIds] : [districtId, JSON.stringify(lines)],
    );
    return result.rows;
  }

  /** Lines of a collection in one query: the device by asset tag (of `schoolIds`, when given) and its active assignment. */
  async resolveBulkReturn(
    em: EntityManager,
    districtId: string,
    schoolIds: string[] | null,
    lines: { line: number; assetTag: string }[],
  ): Promise<BulkReturnResolution[]> {
    const result = await sql<BulkReturnResolution>(
      em,
      `WITH i AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb) AS i(line int, "assetTag" text)
       )
       SELECT i.line, d.id AS "deviceId", d.status AS "deviceStatus", a.id AS "assignmentId"
       FROM i
       LEFT JOIN LATERAL (${deviceByTagSql(schoolIds ? ' AND x.school_id = ANY($3::uuid[])' : '')}) d ON true
       LEFT JOIN assignments a ON a.device_id = d.id AND a.ended_at IS NULL
       ORDER BY i.line`,
      schoolIds ? [districtId, JSON.stringify(lines), schoolIds] : [districtId, JSON.stringify(lines)],
    );
    return result.rows;
  }
}
