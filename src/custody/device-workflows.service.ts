import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { actorOf, inSchoolScope } from '../auth/scope.js';
import { domainError, referenceNotFound } from '../common/errors/error-codes.js';
import { explainConstraint } from '../database/pg-errors.js';
import { recordWriteBacks } from '../connectors/write-backs.repository.js';
import { UnitOfWork, type Tx } from '../database/unit-of-work.js';
import type { DeviceRow } from '../devices/device.domain.js';
import { DeviceDto } from '../devices/devices.dto.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import { AssignmentsRepository } from './assignments.repository.js';
import type { AssignmentRow } from './custody.domain.js';
import { AssignmentDto } from './custody.dto.js';
import { CustodyLedger, deviceTransition } from './custody-ledger.service.js';
import { deviceStatusConflict, inCirculation, issueRefusal } from './custody-refusals.js';
import {
  DeviceLossDto,
  RepairDto,
  type LossResultDto,
  type RepairIntakeDto,
  type RepairIntakeResultDto,
  type RepairReturnDto,
  type RepairReturnResultDto,
  type ReportLossDto,
  type RetireDeviceDto,
  type RetireResultDto,
} from './device-workflows.dto.js';
import { EquipmentRepository } from './equipment.repository.js';
import { RepairsRepository } from './repairs.repository.js';

const WORKFLOW_CONSTRAINTS: Record<string, () => Error> = {
  repairs_one_open_per_device: () => deviceStatusConflict('in_repair', 'taken in for repair again'),
  devices_retired_is_final: () => deviceStatusConflict('retired', 'put back into circulation'),
};

/**
 * The help desk's workflows on one device. Each locks the device first (then its assignments), checks
 * the status under that lock, and does all its changes in one transaction.
 */
@Injectable()
export class DeviceWorkflowsService {
  constructor(
    private readonly ledger: CustodyLedger,
    private readonly devices: DevicesRepository,
    private readonly assignments: AssignmentsRepository,
    private readonly repairs: RepairsRepository,
    private readonly students: EquipmentRepository,
    private readonly uow: UnitOfWork,
  ) {}

  repairIntake(principal: Principal, id: string, input: RepairIntakeDto): Promise<RepairIntakeResultDto> {
    return this.inTransaction(principal, async (tx) => {
      const device = await this.lock(tx, principal, id);
      if (!inCirculation(device.status)) throw deviceStatusConflict(device.status, 'taken in for repair');
      const ended = await this.ledger.endActive(tx, device.id, 'repair');
      const loaner = input.issueLoaner ? await this.lendSpare(tx, principal, device, ended) : null;
      await this.devices.setState(tx.em, device.id, { status: 'in_repair', condition: input.problem });
      const repair = await this.repairs.open(tx.em, {
        districtId: device.districtId,
        deviceId: device.id,
        studentId: ended?.studentId ?? null,
        problem: input.problem,
        note: input.note ?? null,
        loanerAssignmentId: loaner?.id ?? null,
      });
      const repairDto = RepairDto.from(repair);
      tx.audit(deviceTransition(device.districtId, device.id, 'repair_intake', device, { status: 'in_repair', condition: input.problem }), {
        districtId: device.districtId,
        entityType: 'repair',
        entityId: repair.id,
        action: 'open',
        after: repairDto,
      });
      return {
        device: await this.reread(tx, device.id),
        repair: repairDto,
        endedAssignment: ended && AssignmentDto.from(ended),
        loanerAssignment: loaner && AssignmentDto.from(loaner),
      };
    });
  }

  repairReturn(principal: Principal, id: string, input: RepairReturnDto): Promise<RepairReturnResultDto> {
    return this.inTransaction(principal, async (tx) => {
      const device = await this.lock(tx, principal, id);
      if (device.status !== 'in_repair') {
        throw domainError('device_not_in_repair', device.status);
      }
      const open = await this.repairs.lockOpen(tx.em, device.id);
      const studentId = open?.studentId ?? null;
      if (input.returnTo === 'student' && !studentId) {
        throw domainError('repair_has_no_student');
      }
      if (input.returnTo === 'student' && studentId && principal.schoolIds) {
        // A school-scoped caller gives devices back only to their schools' students.
        const student = await this.students.findStudent(studentId, device.districtId, tx.em);
        if (!student || !inSchoolScope(principal, student.schoolId)) throw referenceNotFound('student_not_found', 'returnTo');
      }
      const repair = open && (await this.repairs.close(tx.em, open.id, input.returnTo));
      await this.devices.setState(tx.em, device.id, { status: 'in_stock', condition: 'working' });
      tx.audit(deviceTransition(device.districtId, device.id, 'repair_return', device, { status: 'in_stock', condition: 'working' }));
      if (open && repair) {
        tx.audit({
          districtId: device.districtId,
          entityType: 'repair',
          entityId: repair.id,
          action: 'close',
          before: RepairDto.from(open),
          after: RepairDto.from(repair),
        });
      }
      let assignment: AssignmentRow | null = null;
      let endedLoaner: AssignmentRow | null = null;
      if (input.returnTo === 'student' && studentId) {
        if (open?.loanerAssignmentId) {
          [endedLoaner = null] = await this.ledger.release(tx, device.districtId, 'repair_return', [
            { assignmentId: open.loanerAssignmentId, condition: null, note: null },
          ]);
        }
        [assignment = null] = await this.ledger.issue(tx, device.districtId, [{ deviceId: device.id, studentId, kind: 'primary' }]);
        if (!assignment) throw issueRefusal(await this.assignments.issueState(tx.em, device.districtId, device.id, studentId), studentId);
      }
      return {
        device: await this.reread(tx, device.id),
        repair: repair && RepairDto.from(repair),
        assignment: assignment && AssignmentDto.from(assignment),
        endedLoanerAssignment: endedLoaner && AssignmentDto.from(endedLoaner),
      };
    });
  }

  reportLoss(principal: Principal, id: string, input: ReportLossDto): Promise<LossResultDto> {
    return this.inTransaction(principal, async (tx) => {
      const device = await this.lock(tx, principal, id);
      if (!inCirculation(device.status)) throw deviceStatusConflict(device.status, `reported ${input.kind}`);
      const ended = await this.ledger.endActive(tx, device.id, input.kind);
      await this.devices.setState(tx.em, device.id, { status: input.kind });
      const loss = DeviceLossDto.from(
        await this.repairs.recordLoss(tx.em, {
          districtId: device.districtId,
          deviceId: device.id,
          studentId: ended?.studentId ?? null,
          kind: input.kind,
          policeReportNumber: input.policeReportNumber ?? null,
        }),
      );
      tx.audit(deviceTransition(device.districtId, device.id, 'report_loss', device, { status: input.kind, condition: device.condition }), {
        districtId: device.districtId,
        entityType: 'device_loss',
        entityId: loss.id,
        action: 'create',
        after: loss,
      });
      // Disabled in Google, a lost Chromebook shows the district's "return this device" screen.
      await recordWriteBacks(tx, device.districtId, [device.id], 'disable', 'report_loss');
      return { device: await this.reread(tx, device.id), loss, endedAssignment: ended && AssignmentDto.from(ended) };
    });
  }

  /** Lost and stolen devices can be written off too; a device in repair is first returned from it. */
  retire(principal: Principal, id: string, input: RetireDeviceDto): Promise<RetireResultDto> {
    return this.inTransaction(principal, async (tx) => {
      const device = await this.lock(tx, principal, id);
      if (device.status === 'retired' || device.status === 'in_repair') throw deviceStatusConflict(device.status, 'retired');
      const ended = await this.ledger.endActive(tx, device.id, 'retired');
      await this.devices.setState(tx.em, device.id, { status: 'retired', retireNote: input.note ?? null });
      tx.audit(deviceTransition(device.districtId, device.id, 'retire', device, { status: 'retired', condition: device.condition }));
      await recordWriteBacks(tx, device.districtId, [device.id], 'deprovision', 'retire');
      return { device: await this.reread(tx, device.id), endedAssignment: ended && AssignmentDto.from(ended) };
    });
  }

  /**
   * Issues the student a working spare of the same kind from their school's stock. The spare is taken
   * with SKIP LOCKED, so concurrent intakes never wait for, or take, the same one. A school-scoped
   * caller lends only from their schools' pools: for a student of another school there is no spare.
   */
  private async lendSpare(tx: Tx, principal: Principal, device: DeviceRow, ended: AssignmentRow | null): Promise<AssignmentRow> {
    if (!ended) {
      throw domainError('device_not_assigned', device.status);
    }
    const student = (await this.students.findStudent(ended.studentId, device.districtId, tx.em))!;
    const spareId = inSchoolScope(principal, student.schoolId)
      ? await this.devices.lockSpare(tx.em, device.districtId, student.schoolId, device.kind)
      : null;
    if (!spareId) {
      throw domainError('no_loaner_available', device.kind, student.schoolId);
    }
    const [loaner] = await this.ledger.issue(tx, device.districtId, [
      { deviceId: spareId, studentId: ended.studentId, kind: 'loaner', loanerForDeviceId: device.id },
    ]);
    if (!loaner) throw issueRefusal(await this.assignments.issueState(tx.em, device.districtId, spareId, ended.studentId), ended.studentId);
    return loaner;
  }

  private async inTransaction<T>(principal: Principal, fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.uow.run(actorOf(principal), fn);
    } catch (error) {
      explainConstraint(error, WORKFLOW_CONSTRAINTS);
    }
  }

  private async lock(tx: Tx, principal: Principal, id: string): Promise<DeviceRow> {
    const device = await this.devices.findById(id, principal.districtId, tx.em, { lock: true });
    if (!device || !inSchoolScope(principal, device.schoolId)) throw domainError('device_not_found', id);
    return device;
  }

  private async reread(tx: Tx, id: string): Promise<DeviceDto> {
    return DeviceDto.from((await this.devices.findById(id, null, tx.em))!);
  }
}
