import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { actorOf, districtFilter, inSchoolScope } from '../auth/scope.js';
import { domainError, referenceNotFound } from '../common/errors/error-codes.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, page } from '../common/http/pagination.js';
import { isUuid } from '../common/http/uuid-param.pipe.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import { AssignmentsRepository } from './assignments.repository.js';
import {
  AssignmentDto,
  type AcknowledgementDto,
  type AssignmentListDto,
  type AssignmentQueryDto,
  type CreateAssignmentDto,
  type ReturnAssignmentDto,
} from './custody.dto.js';
import { CustodyLedger } from './custody-ledger.service.js';
import { issueRefusal, refuseFutureSignature } from './custody-refusals.js';
import { EquipmentRepository } from './equipment.repository.js';

@Injectable()
export class AssignmentsService {
  constructor(
    private readonly ledger: CustodyLedger,
    private readonly assignments: AssignmentsRepository,
    private readonly devices: DevicesRepository,
    private readonly students: EquipmentRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async create(principal: Principal, input: CreateAssignmentDto): Promise<AssignmentDto> {
    refuseFutureSignature(input.acknowledgement?.signedAt, 'acknowledgement.signedAt');
    return this.uow.run(actorOf(principal), async (tx) => {
      const device = await this.devices.findById(input.deviceId, principal.districtId, tx.em);
      if (!device || !inSchoolScope(principal, device.schoolId)) throw referenceNotFound('device_not_found', 'deviceId');
      // A school-scoped caller hands devices only to their schools' students (an unknown one the ledger refuses).
      if (principal.schoolIds) {
        const student = await this.students.findStudent(input.studentId, device.districtId, tx.em);
        if (student && !inSchoolScope(principal, student.schoolId)) throw referenceNotFound('student_not_found', 'studentId');
      }
      const [issued] = await this.ledger.issue(tx, device.districtId, [
        {
          deviceId: input.deviceId,
          studentId: input.studentId,
          kind: input.kind ?? 'primary',
          acknowledgement: input.acknowledgement ?? null,
        },
      ]);
      if (issued) return AssignmentDto.from(issued);
      const state = await this.assignments.issueState(tx.em, device.districtId, input.deviceId, input.studentId);
      throw issueRefusal(state, input.studentId);
    });
  }

  async return(principal: Principal, id: string, input: ReturnAssignmentDto): Promise<AssignmentDto> {
    return this.uow.run(actorOf(principal), async (tx) => {
      const assignment = await this.assignments.findById(id, principal.districtId, tx.em, principal.schoolIds);
      if (!assignment) throw domainError('assignment_not_found', id);
      const [ended] = await this.ledger.release(tx, assignment.districtId, 'returned', [
        { assignmentId: id, condition: input.condition, note: input.note ?? null },
      ]);
      if (ended) return AssignmentDto.from(ended);
      const current = (await this.assignments.findById(id, null, tx.em))!;
      throw domainError('assignment_ended', current.endReason);
    });
  }

  async acknowledge(principal: Principal, id: string, input: AcknowledgementDto): Promise<AssignmentDto> {
    refuseFutureSignature(input.signedAt, 'signedAt');
    return this.uow.run(actorOf(principal), async (tx) => {
      const before = await this.assignments.findById(id, principal.districtId, tx.em, principal.schoolIds);
      if (!before) throw domainError('assignment_not_found', id);
      const after = await this.assignments.acknowledge(tx.em, id, input.signerName, input.signedAt ?? null);
      if (!after) {
        throw domainError('assignment_already_acknowledged');
      }
      const dto = AssignmentDto.from(after);
      tx.audit({
        districtId: after.districtId,
        entityType: 'assignment',
        entityId: id,
        action: 'acknowledge',
        before: AssignmentDto.from(before),
        after: dto,
      });
      return dto;
    });
  }

  async get(principal: Principal, id: string): Promise<AssignmentDto> {
    const assignment = await this.assignments.findById(id, principal.districtId, undefined, principal.schoolIds);
    if (!assignment) throw domainError('assignment_not_found', id);
    return AssignmentDto.from(assignment);
  }

  async list(principal: Principal, query: AssignmentQueryDto): Promise<AssignmentListDto> {
    const districtId = districtFilter(principal, query.districtId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const key = decodeCursor(query.cursor, 2);
    let after: { startedAtKey: string; id: string } | null = null;
    if (key) {
      const [startedAtKey, id] = key;
      if (!(typeof startedAtKey === 'string' && /^-?\d{1,19}$/.test(startedAtKey) && typeof id === 'string' && isUuid(id)))
        throw domainError('invalid_cursor');
      after = { startedAtKey, id };
    }
    const rows = await this.assignments.list(
      {
        districtId,
        schoolIds: principal.schoolIds,
        studentId: query.studentId,
        deviceId: query.deviceId,
        active: query.active === undefined ? undefined : query.active === 'true',
      },
      after,
      limit,
    );
    const result = page(rows, limit, (row) => [row.startedAtKey, row.id]);
    return { data: result.data.map((row) => AssignmentDto.from(row)), nextCursor: result.nextCursor };
  }
}
