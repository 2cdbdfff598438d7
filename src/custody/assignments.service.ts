import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { actorOf, districtFilter, districtFor, inSchoolScope } from '../auth/scope.js';
import type { FieldError } from '../common/errors/domain-error.js';
import { domainError, referenceNotFound } from '../common/errors/error-codes.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, page } from '../common/http/pagination.js';
import { isUuid } from '../common/http/uuid-param.pipe.js';
import { UnitOfWork, type Tx } from '../database/unit-of-work.js';
import { AssignmentsRepository } from './assignments.repository.js';
import {
  AssignmentDto,
  type SignedAcknowledgementDto,
  type AssignmentListDto,
  type AssignmentQueryDto,
  type CreateAssignmentDto,
  type ReturnAssignmentDto,
} from './custody.dto.js';
import { CustodyLedger } from './custody-ledger.service.js';
import { issueRefusal, refuseFutureSignature } from './custody-refusals.js';
import { EquipmentRepository } from './equipment.repository.js';

/** One device and one student, each named one way. */
function refuseAmbiguousNames(input: CreateAssignmentDto): void {
  const errors: FieldError[] = [];
  const check = (fields: (keyof CreateAssignmentDto)[], what: string): void => {
    const given = fields.filter((f) => input[f] !== undefined);
    if (given.length !== 1) errors.push({ field: fields[0], message: `give exactly one of ${fields.join(', ')} for the ${what}` });
  };
  check(['deviceId', 'assetTag'], 'device');
  check(['studentId', 'studentSourcedId', 'studentIdentifier'], 'student');
  if (errors.length) throw domainError('validation_failed', errors);
}

@Injectable()
export class AssignmentsService {
  constructor(
    private readonly ledger: CustodyLedger,
    private readonly assignments: AssignmentsRepository,
    private readonly students: EquipmentRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async create(principal: Principal, input: CreateAssignmentDto): Promise<AssignmentDto> {
    refuseFutureSignature(input.acknowledgement?.signedAt, 'acknowledgement.signedAt');
    refuseAmbiguousNames(input);
    return this.uow.run(actorOf(principal), async (tx) => {
      const deviceId = input.deviceId ?? (await this.deviceByTag(tx, principal, input));
      // Found and locked in one statement, so the ledger need not lock it again.
      const device = await this.assignments.lockForIssue(tx.em, principal.districtId, principal.schoolIds, deviceId);
      if (!device) throw referenceNotFound('device_not_found', input.deviceId ? 'deviceId' : 'assetTag');
      const studentId = input.studentId ?? (await this.studentByKey(tx, device.districtId, input));
      // A school-scoped caller hands devices only to their schools' students (an unknown one the ledger refuses).
      if (principal.schoolIds) {
        const student = await this.students.findStudent(studentId, device.districtId, tx.em);
        if (student && !inSchoolScope(principal, student.schoolId))
          throw referenceNotFound(
            'student_not_found',
            input.studentId ? 'studentId' : input.studentSourcedId !== undefined ? 'studentSourcedId' : 'studentIdentifier',
          );
      }
      const [issued] = await this.ledger.issue(
        tx,
        device.districtId,
        [{ deviceId, studentId, kind: input.kind ?? 'primary', acknowledgement: input.acknowledgement ?? null }],
        device.issuable ? [device] : [],
      );
      if (issued) return AssignmentDto.from(issued);
      const state = await this.assignments.issueState(tx.em, device.districtId, deviceId, studentId);
      throw issueRefusal(state, studentId);
    });
  }

  private async deviceByTag(tx: Tx, principal: Principal, input: CreateAssignmentDto): Promise<string> {
    const districtId = districtFor(principal, input.districtId);
    const id = await this.assignments.deviceByTag(tx.em, districtId, input.assetTag!);
    if (!id) throw referenceNotFound('device_not_found', 'assetTag');
    return id;
  }

  private async studentByKey(tx: Tx, districtId: string, input: CreateAssignmentDto): Promise<string> {
    const field = input.studentSourcedId !== undefined ? 'studentSourcedId' : 'studentIdentifier';
    const ids = await this.assignments.studentsByKey(
      tx.em,
      districtId,
      input.studentSourcedId !== undefined ? { sourcedId: input.studentSourcedId } : { identifier: input.studentIdentifier },
    );
    if (!ids.length) throw referenceNotFound('student_not_found', field);
    if (ids.length > 1) throw domainError('validation_failed', [{ field, message: 'names more than one student of the district' }]);
    return ids[0];
  }

  async return(principal: Principal, id: string, input: ReturnAssignmentDto): Promise<AssignmentDto> {
    return this.uow.run(actorOf(principal), async (tx) => {
      // Found and its device locked in one statement, so the ledger need not lock it again.
      const assignment = await this.assignments.lockForReturn(tx.em, id, principal.districtId, principal.schoolIds);
      if (!assignment) throw domainError('assignment_not_found', id);
      if (assignment.endReason) throw domainError('assignment_ended', assignment.endReason);
      const [ended] = await this.ledger.release(
        tx,
        assignment.districtId,
        'returned',
        [{ assignmentId: id, condition: input.condition, note: input.note ?? null }],
        [assignment.device],
      );
      if (ended) return AssignmentDto.from(ended);
      const current = (await this.assignments.findById(id, null, tx.em))!;
      throw domainError('assignment_ended', current.endReason);
    });
  }

  async acknowledge(principal: Principal, id: string, input: SignedAcknowledgementDto): Promise<AssignmentDto> {
    refuseFutureSignature(input.signedAt, 'signedAt');
    return this.uow.run(actorOf(principal), async (tx) => {
      const before = await this.assignments.findById(id, principal.districtId, tx.em, principal.schoolIds);
      if (!before) throw domainError('assignment_not_found', id);
      const after = await this.assignments.acknowledge(tx.em, id, input.signerName, input.signedAt ?? null, input.signature ?? null);
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

  /** The PNG drawn with the acknowledgement, for whoever may see the assignment. */
  async signature(principal: Principal, id: string): Promise<Buffer> {
    const assignment = await this.assignments.findById(id, principal.districtId, undefined, principal.schoolIds);
    if (!assignment) throw domainError('assignment_not_found', id);
    const signature = assignment.acknowledgementSigned ? await this.assignments.signature(id) : null;
    if (!signature) throw domainError('signature_not_found', id);
    return Buffer.from(signature.slice(signature.indexOf(',') + 1), 'base64');
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
