import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { one, sql } from '../database/sql.js';
import type { LossKind, LossRow, RepairDestination, RepairProblem, RepairRow } from './custody.domain.js';

const REPAIR_COLUMNS = `r.id, r.district_id AS "districtId", r.device_id AS "deviceId", r.student_id AS "studentId", r.problem,
  r.note, r.loaner_assignment_id AS "loanerAssignmentId", r.opened_at AS "openedAt", r.closed_at AS "closedAt",
  r.returned_to AS "returnedTo"`;

/** Repairs and loss reports: the records the help-desk workflows leave behind. */
@Injectable()
export class RepairsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async open(
    em: EntityManager,
    repair: {
      districtId: string;
      deviceId: string;
      studentId: string | null;
      problem: RepairProblem;
      note: string | null;
      loanerAssignmentId: string | null;
    },
  ): Promise<RepairRow> {
    const row = await one<RepairRow>(
      em,
      `INSERT INTO repairs AS r (district_id, device_id, student_id, problem, note, loaner_assignment_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${REPAIR_COLUMNS}`,
      [repair.districtId, repair.deviceId, repair.studentId, repair.problem, repair.note, repair.loanerAssignmentId],
    );
    return row!;
  }

  /** Every repair of a device, newest first (repairs_device_idx). */
  async forDevice(deviceId: string): Promise<RepairRow[]> {
    const result = await sql<RepairRow>(
      this.db.manager,
      `SELECT ${REPAIR_COLUMNS} FROM repairs r WHERE r.device_id = $1 ORDER BY r.opened_at DESC, r.id DESC`,
      [deviceId],
    );
    return result.rows;
  }

  lockOpen(em: EntityManager, deviceId: string): Promise<RepairRow | null> {
    return one<RepairRow>(em, `SELECT ${REPAIR_COLUMNS} FROM repairs r WHERE r.device_id = $1 AND r.closed_at IS NULL FOR UPDATE`, [
      deviceId,
    ]);
  }

  async close(em: EntityManager, id: string, returnedTo: RepairDestination): Promise<RepairRow> {
    const row = await one<RepairRow>(
      em,
      `UPDATE repairs r SET closed_at = now(), returned_to = $2 WHERE r.id = $1 RETURNING ${REPAIR_COLUMNS}`,
      [id, returnedTo],
    );
    return row!;
  }

  async recordLoss(
    em: EntityManager,
    loss: { districtId: string; deviceId: string; studentId: string | null; kind: LossKind; policeReportNumber: string | null },
  ): Promise<LossRow> {
    const row = await one<LossRow>(
      em,
      `INSERT INTO device_losses (district_id, device_id, student_id, kind, police_report_number)
       VALUES ($1, $2, $3, $4, $5)
       RETURNING id, district_id AS "districtId", device_id AS "deviceId", student_id AS "studentId", kind,
         police_report_number AS "policeReportNumber", reported_at AS "reportedAt"`,
      [loss.districtId, loss.deviceId, loss.studentId, loss.kind, loss.policeReportNumber],
    );
    return row!;
  }
}
