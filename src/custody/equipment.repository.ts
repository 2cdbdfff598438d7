import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one, sql } from '../database/sql.js';
import type { Condition, DeviceKind, DeviceStatus } from '../devices/device.domain.js';
import type { EnrollmentStatus } from '../students/student.domain.js';
import { OPEN_TICKET_STATUSES_SQL, type TicketStatus, type TicketType } from '../tickets/ticket.domain.js';
import { ASSIGNMENT_COLUMNS } from './assignments.repository.js';
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

/** Reads for the student equipment view; students and kits are owned elsewhere and only read here. */
@Injectable()
export class EquipmentRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findStudent(id: string, districtId: string | null, em: EntityManager = this.db.manager): Promise<StudentRef | null> {
    return one<StudentRef>(
      em,
      `SELECT id, district_id AS "districtId", school_id AS "schoolId", sourced_id AS "sourcedId", identifier,
         given_name AS "givenName", family_name AS "familyName", grade, enrollment_status AS "enrollmentStatus",
         last_login_at AS "lastLoginAt"
       FROM students WHERE id = $1 AND ($2::uuid IS NULL OR district_id = $2)`,
      [id, districtId],
    );
  }

  /** Every assignment of the student with its device, most recent first. */
  async assignmentsOf(studentId: string): Promise<HeldAssignmentRow[]> {
    const result = await sql<HeldAssignmentRow>(
      this.db.manager,
      `SELECT ${ASSIGNMENT_COLUMNS}, d.asset_tag AS "assetTag", d.serial_number AS "serialNumber", d.kind AS "deviceKind",
         d.model, d.status AS "deviceStatus", d.condition AS "deviceCondition"
       FROM assignments a JOIN devices d ON d.id = a.device_id
       WHERE a.student_id = $1
       ORDER BY a.started_at DESC, a.id DESC`,
      [studentId],
    );
    return result.rows;
  }

  /** Kits the student holds, and returned kits that came back short (the missing items are still owed). */
  async kitsOf(studentId: string): Promise<KitRow[]> {
    const result = await sql<KitRow>(
      this.db.manager,
      `SELECT k.id, k.template_id AS "templateId", t.name AS "templateName", k.items, k.issued_at AS "issuedAt",
         k.returned_at AS "returnedAt", k.missing_items AS "missingItems"
       FROM kits k JOIN kit_templates t ON t.id = k.template_id
       WHERE k.student_id = $1 AND (k.returned_at IS NULL OR k.missing_items <> '[]'::jsonb)
       ORDER BY k.issued_at DESC, k.id`,
      [studentId],
    );
    return result.rows;
  }

  openGapOf(studentId: string): Promise<OpenGapRow | null> {
    return one<OpenGapRow>(
      this.db.manager,
      `SELECT id, opened_at AS "openedAt", to_char(opened_as_of, 'YYYY-MM-DD') AS "openedAsOf", last_login_at AS "lastLoginAt"
       FROM gaps WHERE student_id = $1 AND closed_at IS NULL`,
      [studentId],
    );
  }

  async openTicketsOf(studentId: string): Promise<OpenTicketRow[]> {
    const result = await sql<OpenTicketRow>(
      this.db.manager,
      `SELECT id, type, status, priority, reasons, assignee, opened_at AS "openedAt"
       FROM tickets WHERE student_id = $1 AND status IN ${OPEN_TICKET_STATUSES_SQL}
       ORDER BY priority, opened_at, id`,
      [studentId],
    );
    return result.rows;
  }
}
