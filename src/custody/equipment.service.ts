import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
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
    const found = await this.equipment.equipmentOf(studentId, principal.districtId, principal.schoolIds);
    if (!found) throw domainError('student_not_found', studentId);
    const { student, assignments, kits, openGap, openTickets } = found;
    return {
      student: EquipmentStudentDto.from(student),
      openGap: openGap ? OpenGapDto.from(openGap) : null,
      openTickets: openTickets.map((t) => OpenTicketDto.from(t)),
      devices: assignments.filter((a) => a.endedAt === null).map((a) => HeldDeviceDto.from(a)),
      kits: kits.map((k) => HeldKitDto.from(k)),
      history: assignments.map((a) => HistoryEntryDto.fromHeld(a)),
    };
  }
}
