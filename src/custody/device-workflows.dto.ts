import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { DeviceDto } from '../devices/devices.dto.js';
import { AssignmentDto } from './custody.dto.js';
import {
  LOSS_KINDS,
  REPAIR_DESTINATIONS,
  REPAIR_PROBLEMS,
  type LossKind,
  type LossRow,
  type RepairDestination,
  type RepairProblem,
  type RepairRow,
} from './custody.domain.js';

export class RepairIntakeDto {
  @ApiProperty({ enum: REPAIR_PROBLEMS, description: "Becomes the device's condition while it is repaired." })
  @IsIn(REPAIR_PROBLEMS)
  problem!: RepairProblem;

  @ApiPropertyOptional({ maxLength: 2000, example: 'Cracked screen, keyboard works.' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;

  @ApiPropertyOptional({
    default: false,
    description:
      "Lend the student a working device of the same kind from their school's stock, in the same transaction. " +
      'With an empty pool the whole intake is refused (409 no_loaner_available) and nothing changes.',
  })
  @IsOptional()
  @IsBoolean()
  issueLoaner?: boolean;
}

export class RepairReturnDto {
  @ApiProperty({
    enum: REPAIR_DESTINATIONS,
    description:
      'stock: the device goes back in stock; a loaner the student has stays with them. student: it goes back to the student ' +
      'of the repair as their primary device, and their loaner is returned to stock.',
  })
  @IsIn(REPAIR_DESTINATIONS)
  returnTo!: RepairDestination;
}

export class ReportLossDto {
  @ApiProperty({ enum: LOSS_KINDS })
  @IsIn(LOSS_KINDS)
  kind!: LossKind;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  policeReportNumber?: string;
}

export class RetireDeviceDto {
  @ApiPropertyOptional({ maxLength: 2000, description: "Appended to the device's notes." })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class RepairDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Who held the device when it came in.' }) studentId!:
    string | null;
  @ApiProperty({ enum: REPAIR_PROBLEMS }) problem!: RepairProblem;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) loanerAssignmentId!: string | null;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ enum: REPAIR_DESTINATIONS, nullable: true }) returnedTo!: RepairDestination | null;

  static from(row: RepairRow): RepairDto {
    return { ...row, openedAt: row.openedAt.toISOString(), closedAt: row.closedAt?.toISOString() ?? null };
  }
}

export class RepairListDto {
  @ApiProperty({ type: [RepairDto], description: 'Every repair of the device, newest first.' }) data!: RepairDto[];
}

export class DeviceLossDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Who held the device.' }) studentId!: string | null;
  @ApiProperty({ enum: LOSS_KINDS }) kind!: LossKind;
  @ApiProperty({ nullable: true, type: String }) policeReportNumber!: string | null;
  @ApiProperty({ format: 'date-time' }) reportedAt!: string;

  static from(row: LossRow): DeviceLossDto {
    return { ...row, reportedAt: row.reportedAt.toISOString() };
  }
}

export class RepairIntakeResultDto {
  @ApiProperty({ type: () => DeviceDto }) device!: DeviceDto;
  @ApiProperty({ type: () => RepairDto }) repair!: RepairDto;
  @ApiProperty({ type: () => AssignmentDto, nullable: true, description: 'The assignment the repair ended, if the device was held.' })
  endedAssignment!: AssignmentDto | null;
  @ApiProperty({ type: () => AssignmentDto, nullable: true }) loanerAssignment!: AssignmentDto | null;
}

export class RepairReturnResultDto {
  @ApiProperty({ type: () => DeviceDto }) device!: DeviceDto;
  @ApiProperty({ type: () => RepairDto, nullable: true, description: 'The repair closed; null for a device marked in repair without one.' })
  repair!: RepairDto | null;
  @ApiProperty({ type: () => AssignmentDto, nullable: true, description: 'returnTo student: the new primary assignment.' })
  assignment!: AssignmentDto | null;
  @ApiProperty({ type: () => AssignmentDto, nullable: true, description: 'returnTo student: the loaner assignment it ended.' })
  endedLoanerAssignment!: AssignmentDto | null;
}

export class LossResultDto {
  @ApiProperty({ type: () => DeviceDto }) device!: DeviceDto;
  @ApiProperty({ type: () => DeviceLossDto }) loss!: DeviceLossDto;
  @ApiProperty({ type: () => AssignmentDto, nullable: true }) endedAssignment!: AssignmentDto | null;
}

export class RetireResultDto {
  @ApiProperty({ type: () => DeviceDto }) device!: DeviceDto;
  @ApiProperty({ type: () => AssignmentDto, nullable: true }) endedAssignment!: AssignmentDto | null;
}
