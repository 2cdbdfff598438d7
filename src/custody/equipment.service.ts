import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { inSchoolScope } from '../auth/scope.js';
import { domainError } from '../common/errors/error-codes.js';
import {
  EquipmentStudentDto,
  HeldDeviceDto,
  HeldKitDto,
  HistoryEntryDto,
  OpenGapDto,
  OpenTicketDto,
  type StudentEquipmentDto,
} from './equipment.dto.js';
import { EquipmentRepository } from './equipment.repository.js';

@Injectable()
export class EquipmentService {
  constructor(private readonly equipment: EquipmentRepository) {}

  async forStudent(principal: Principal, studentId: string): Promise<StudentEquipmentDto> {
    const student = await this.equipment.findStudent(studentId, principal.districtId);
    if (!student || !inSchoolScope(principal, student.schoolId)) throw domainError('student_not_found', studentId);
    const [assignments, kits, gap, tickets] = await Promise.all([
      this.equipment.assignmentsOf(student.id),
      this.equipment.kitsOf(student.id),
      this.equipment.openGapOf(student.id),
      this.equipment.openTicketsOf(student.id),
    ]);
    return {
      student: EquipmentStudentDto.from(student),
      openGap: gap ? OpenGapDto.from(gap) : null,
      openTickets: tickets.map((t) => OpenTicketDto.from(t)),
      devices: assignments.filter((a) => a.endedAt === null).map((a) => HeldDeviceDto.from(a)),
      kits: kits.map((k) => HeldKitDto.from(k)),
      history: assignments.map((a) => HistoryEntryDto.fromHeld(a)),
    };
  }
}
