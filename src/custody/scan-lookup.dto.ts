import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { CONDITIONS, DEVICE_KINDS, DEVICE_STATUSES, type Condition, type DeviceKind, type DeviceStatus } from '../devices/device.domain.js';
import { ENROLLMENT_STATUSES, type EnrollmentStatus } from '../students/student.domain.js';
import { ASSIGNMENT_KINDS, type AssignmentKind } from './custody.domain.js';
import type { ScannedDevice, ScannedStudent } from './scan-lookup.repository.js';

export class ScanLookupQueryDto {
  @ApiProperty({ description: 'What the scanner typed: a student card (identifier or sourcedId), an asset tag or a serial number.' })
  @IsString()
  @Length(1, 255)
  code!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A state token may confine the lookup to one district; a district token always looks in its own.',
  })
  @IsOptional()
  @IsUUID()
  districtId?: string;
}

export class ScannedStudentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ format: 'uuid' }) schoolId!: string;
  @ApiProperty() sourcedId!: string;
  @ApiProperty({ nullable: true, type: String }) identifier!: string | null;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty({ nullable: true, type: String }) grade!: string | null;
  @ApiProperty({ enum: ENROLLMENT_STATUSES }) enrollmentStatus!: EnrollmentStatus;

  static from(row: ScannedStudent): ScannedStudentDto {
    return { ...row };
  }
}

export class ScannedHolderDto {
  @ApiProperty({ format: 'uuid' }) assignmentId!: string;
  @ApiProperty({ format: 'uuid' }) studentId!: string;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty({ nullable: true, type: String }) identifier!: string | null;
  @ApiProperty({ enum: ASSIGNMENT_KINDS }) kind!: AssignmentKind;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
}

export class ScannedDeviceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) schoolId!: string | null;
  @ApiProperty({ enum: DEVICE_KINDS }) kind!: DeviceKind;
  @ApiProperty({ nullable: true, type: String }) assetTag!: string | null;
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty({ enum: DEVICE_STATUSES }) status!: DeviceStatus;
  @ApiProperty({ enum: CONDITIONS }) condition!: Condition;
  @ApiProperty({ type: ScannedHolderDto, nullable: true, description: 'Who holds it now (its active assignment), if anyone.' })
  holder!: ScannedHolderDto | null;

  static from(row: ScannedDevice): ScannedDeviceDto {
    const { holder, ...device } = row;
    return {
      ...device,
      holder: holder
        ? {
            assignmentId: holder.assignmentId,
            studentId: holder.studentId,
            givenName: holder.givenName,
            familyName: holder.familyName,
            identifier: holder.identifier,
            kind: holder.kind,
            startedAt: holder.startedAt.toISOString(),
          }
        : null,
    };
  }
}

export class ScanLookupDto {
  @ApiProperty({ type: [ScannedStudentDto], description: 'Students whose identifier or sourcedId is the code (at most 5).' })
  students!: ScannedStudentDto[];
  @ApiProperty({ type: [ScannedDeviceDto], description: 'Devices whose asset tag or serial number is the code, any case (at most 5).' })
  devices!: ScannedDeviceDto[];
  @ApiProperty({
    description:
      "Nothing of the caller's matched, but a device of another district has this asset tag or serial (which district is not said). Always false for a state token.",
  })
  otherDistrict!: boolean;
}
