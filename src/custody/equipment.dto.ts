import { ApiProperty } from '@nestjs/swagger';
import { CONDITIONS, DEVICE_KINDS, DEVICE_STATUSES, type Condition, type DeviceKind, type DeviceStatus } from '../devices/device.domain.js';
import { ENROLLMENT_STATUSES, type EnrollmentStatus } from '../students/student.domain.js';
import { OPEN_TICKET_STATUSES, TICKET_TYPES } from '../tickets/ticket.domain.js';
import { ASSIGNMENT_KINDS, type AssignmentKind } from './custody.domain.js';
import { AcknowledgementViewDto, AssignmentDto } from './custody.dto.js';
import type { HeldAssignmentRow, KitRow, OpenGapRow, OpenTicketRow, StudentRef } from './equipment.repository.js';

export class EquipmentStudentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ format: 'uuid' }) schoolId!: string;
  @ApiProperty() sourcedId!: string;
  @ApiProperty({ nullable: true, type: String }) identifier!: string | null;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty({ nullable: true, type: String }) grade!: string | null;
  @ApiProperty({ enum: ENROLLMENT_STATUSES }) enrollmentStatus!: EnrollmentStatus;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Last successful login from any source.' })
  lastLoginAt!: Date | null;

  static from(row: StudentRef): EquipmentStudentDto {
    return { ...row };
  }
}

export class HeldDeviceDto {
  @ApiProperty({ format: 'uuid' }) assignmentId!: string;
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty({ nullable: true, type: String }) assetTag!: string | null;
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ enum: DEVICE_KINDS }) kind!: DeviceKind;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty({ enum: DEVICE_STATUSES }) status!: DeviceStatus;
  @ApiProperty({ enum: CONDITIONS }) condition!: Condition;
  @ApiProperty({ enum: ASSIGNMENT_KINDS }) assignmentKind!: AssignmentKind;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'For a loaner: the device in repair it stands in for.' })
  loanerForDeviceId!: string | null;
  @ApiProperty({ format: 'date-time' }) since!: string;
  @ApiProperty({ type: () => AcknowledgementViewDto, nullable: true }) acknowledgement!: AcknowledgementViewDto | null;

  static from(row: HeldAssignmentRow): HeldDeviceDto {
    const assignment = AssignmentDto.from(row);
    return {
      assignmentId: row.id,
      deviceId: row.deviceId,
      assetTag: row.assetTag,
      serialNumber: row.serialNumber,
      kind: row.deviceKind,
      model: row.model,
      status: row.deviceStatus,
      condition: row.deviceCondition,
      assignmentKind: row.kind,
      loanerForDeviceId: row.loanerForDeviceId,
      since: assignment.startedAt,
      acknowledgement: assignment.acknowledgement,
    };
  }
}

export class KitItemDto {
  @ApiProperty({ example: 'charger' }) item!: string;
  @ApiProperty({ example: 1 }) quantity!: number;
}

export class HeldKitDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) templateId!: string;
  @ApiProperty() templateName!: string;
  @ApiProperty({ type: [KitItemDto], description: 'As issued.' }) items!: KitItemDto[];
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Set for a returned kit that came back short.' })
  returnedAt!: string | null;
  @ApiProperty({ type: [KitItemDto], description: 'What did not come back (empty while the kit is out).' }) missingItems!: KitItemDto[];

  static from(row: KitRow): HeldKitDto {
    return { ...row, issuedAt: row.issuedAt.toISOString(), returnedAt: row.returnedAt?.toISOString() ?? null };
  }
}

export class HistoryEntryDto extends AssignmentDto {
  @ApiProperty({ nullable: true, type: String }) assetTag!: string | null;
  @ApiProperty({ enum: DEVICE_KINDS }) deviceKind!: DeviceKind;

  static fromHeld(row: HeldAssignmentRow): HistoryEntryDto {
    return { ...AssignmentDto.from(row), assetTag: row.assetTag, deviceKind: row.deviceKind };
  }
}

export class OpenGapDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: Date;
  @ApiProperty({ format: 'date', description: 'The school day the scan that opened it judged.' }) openedAsOf!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The last login known when it opened; null: never.' })
  lastLoginAt!: Date | null;

  static from(row: OpenGapRow): OpenGapDto {
    return { ...row };
  }
}

export class OpenTicketDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: TICKET_TYPES }) type!: string;
  @ApiProperty({ enum: OPEN_TICKET_STATUSES }) status!: string;
  @ApiProperty() priority!: number;
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiProperty({ nullable: true, type: String }) assignee!: string | null;
  @ApiProperty({ format: 'date-time' }) openedAt!: Date;

  static from(row: OpenTicketRow): OpenTicketDto {
    return { ...row };
  }
}

export class StudentEquipmentDto {
  @ApiProperty({ type: OpenGapDto, nullable: true, description: 'The login gap open now, if any.' }) openGap!: OpenGapDto | null;
  @ApiProperty({ type: [OpenTicketDto], description: 'Open replacement, connectivity, outreach and repair tickets.' })
  openTickets!: OpenTicketDto[];
  @ApiProperty({ type: () => EquipmentStudentDto }) student!: EquipmentStudentDto;
  @ApiProperty({ type: [HeldDeviceDto], description: 'Devices the student holds now.' }) devices!: HeldDeviceDto[];
  @ApiProperty({ type: [HeldKitDto], description: 'Kits held now, and returned kits with items still missing.' }) kits!: HeldKitDto[];
  @ApiProperty({ type: [HistoryEntryDto], description: 'Every assignment, current and past, most recent first.' })
  history!: HistoryEntryDto[];
}
