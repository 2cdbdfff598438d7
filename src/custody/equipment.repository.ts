import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, prepared } from '../database/sql.js';
import type { Condition, DeviceKind, DeviceStatus } from '../devices/device.domain.js';
import type { EnrollmentStatus } from '../students/student.domain.js';
import { OPEN_TICKET_STATUSES_SQL, type TicketStatus, type TicketType } from '../tickets/ticket.domain.js';
import { assignmentColumns } from './assignments.repository.js';
import type { AssignmentRow } from './custody.domain.js';

export interface StudentRef {
  id: string;
  districtId: string;
  schoolId: string;
  sourcedId: string;
  identifier: string | null;
  givenName: string;
  familyName: string;
  grade: string | null;
  enrollmentStatus: EnrollmentStatus;
  lastLoginAt: Date | null;
}

export interface OpenGapRow {
  id: string;
  openedAt: Date;
  openedAsOf: string;
  lastLoginAt: Date | null;
}

export interface OpenTicketRow {
  id: string;
  type: TicketType;
  status: TicketStatus;
  priority: number;
  reasons: string[];
  assignee: string | null;
  openedAt: Date;
}

export type HeldAssignmentRow = AssignmentRow & {
  assetTag: string | null;
  serialNumber: string;
  deviceKind: DeviceKind;
  model: string | null;
  deviceStatus: DeviceStatus;
  deviceCondition: Condition;
};

export interface KitItem {
  item: string;
  quantity: number;
}

export interface KitRow {
  id: string;
  templateId: string;
  templateName: string;
  items: KitItem[];
  issuedAt: Date;
  returnedAt: Date | null;
  missingItems: KitItem[];
}

/** What the equipment view shows of a student, in one read. */
export interface StudentEquipmentRows {
  student: StudentRef;
  /** Every assignment, most recent first. */
  assignments: HeldAssignmentRow[];
  kits: KitRow[];
  openGap: OpenGapRow | null;
  openTickets: OpenTicketRow[];
}

/** A row as json_agg/row_to_json hand it over: timestamps are ISO 8601 text with an offset. */
type Wire<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

const at = (text: string): Date => new Date(text);
const atOrNull = (text: string | null): Date | null => (text === null ? null : new Date(text));

const STUDENT_REF_COLUMNS = `s.id, s.district_id AS "districtId", s.school_id AS "schoolId", s.sourced_id AS "sourcedId", s.identifier,
  s.given_name AS "givenName", s.family_name AS "familyName", s.grade, s.enrollment_status AS "enrollmentStatus",
  s.last_login_at AS "lastLoginAt"`;

/**
 * The student's equipment as JSON columns of the student's row ($1 is its id), each one index probe
 * by student_id (assignments_student_history, kits_student_idx, gaps_one_open_per_student,
 * tickets_student_idx). Keys are the rows' column aliases, in the order the DTOs spread them.
 * Assignment timestamps stay timestamps here: the history is ordered by them to the microsecond.
 */
const EQUIPMENT_COLUMNS = `
  (SELECT coalesce(json_agg(h ORDER BY h."startedAt" DESC, h.id DESC), '[]')
   FROM (SELECT ${assignmentColumns((column) => column)}, d.asset_tag AS "assetTag", d.serial_number AS "serialNumber", d.kind AS "deviceKind",
           d.model, d.status AS "deviceStatus", d.condition AS "deviceCondition"
         FROM assignments a JOIN devices d ON d.id = a.device_id WHERE a.student_id = s.id) h) AS assignments,
  (SELECT coalesce(json_agg(kit ORDER BY kit."issuedAt" DESC, kit.id), '[]')
   FROM (SELECT k.id, k.template_id AS "templateId", t.name AS "templateName", k.items, k.issued_at AS "issuedAt",
           k.returned_at AS "returnedAt", k.missing_items AS "missingItems"
         FROM kits k JOIN kit_templates t ON t.id = k.template_id
         WHERE k.student_id = s.id AND (k.returned_at IS NULL OR k.missing_items <> '[]'::jsonb)) kit) AS kits,
  (SELECT row_to_json(g)
   FROM (SELECT id, opened_at AS "openedAt", to_char(opened_as_of, 'YYYY-MM-DD') AS "openedAsOf", last_login_at AS "lastLoginAt"
         FROM gaps WHERE student_id = s.id AND closed_at IS NULL) g) AS "openGap",
  (SELECT coalesce(json_agg(o ORDER BY o.priority, o."openedAt", o.id), '[]')
   FROM (SELECT id, type, status, priority, reasons, assignee, opened_at AS "openedAt"
         FROM tickets WHERE student_id = s.id AND status IN ${OPEN_TICKET_STATUSES_SQL}) o) AS "openTickets"`;

const EQUIPMENT_OF = `SELECT ${STUDENT_REF_COLUMNS}, ${EQUIPMENT_COLUMNS}
  FROM students s
  WHERE s.id = $1 AND ($2::uuid IS NULL OR s.district_id = $2) AND ($3::uuid[] IS NULL OR s.school_id = ANY($3::uuid[]))`;

/** Reads for the student equipment view; students and kits are owned elsewhere and only read here. */
@Injectable()
export class EquipmentRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findStudent(id: string, districtId: string | null, em: EntityManager = this.db.manager): Promise<StudentRef | null> {
    return one<StudentRef>(
      em,
      `SELECT ${STUDENT_REF_COLUMNS} FROM students s WHERE s.id = $1 AND ($2::uuid IS NULL OR s.district_id = $2)`,
      [id, districtId],
    );
  }

  /**
   * The student and all they hold, in one statement (one pool checkout, one round trip). Outside the
   * caller's district (null: any) or schools (null: any) the student is not found, as if absent.
   */
  async equipmentOf(id: string, districtId: string | null, schoolIds: string[] | null): Promise<StudentEquipmentRows | null> {
    // Prepared: its generic plan finds the student by primary key as every custom plan does.
    const [row] = (
      await prepared<
        StudentRef & {
          assignments: Wire<HeldAssignmentRow>[];
          kits: Wire<KitRow>[];
          openGap: Wire<OpenGapRow> | null;
          openTickets: Wire<OpenTicketRow>[];
        }
      >(this.db.manager, EQUIPMENT_OF, [id, districtId, schoolIds])
    ).rows;
    if (!row) return null;
    const { assignments, kits, openGap, openTickets, ...student } = row;
    return {
      student,
      assignments: assignments.map((a) => ({
        ...a,
        startedAt: at(a.startedAt).toISOString(),
        acknowledgedAt: atOrNull(a.acknowledgedAt)?.toISOString() ?? null,
        endedAt: atOrNull(a.endedAt)?.toISOString() ?? null,
      })),
      kits: kits.map((k) => ({ ...k, issuedAt: at(k.issuedAt), returnedAt: atOrNull(k.returnedAt) })),
      openGap: openGap && { ...openGap, openedAt: at(openGap.openedAt), lastLoginAt: atOrNull(openGap.lastLoginAt) },
      openTickets: openTickets.map((o) => ({ ...o, openedAt: at(o.openedAt) })),
    };
  }
}
