import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { QueryInt } from '../common/http/pagination.js';
import { DEVICE_KINDS, DEVICE_STATUSES, type DeviceKind, type DeviceStatus } from '../devices/device.domain.js';
import { ENROLLMENT_STATUSES, type EnrollmentStatus } from '../students/student.domain.js';
import type { DeviceHitRow, StudentHitRow } from './search.repository.js';

export class SearchQueryDto {
  @ApiProperty({
    maxLength: 100,
    example: 'CB-004211',
    description:
      'A name (every word of 3+ letters, any order), email, student sourcedId or identifier, asset tag, serial number or IMEI. ' +
      'Ids match exactly (tags and serials in any case); text of 3+ characters also matches the start of a family or given name, ' +
      'tag or serial, and, when those find fewer than `limit`, part of a name, email, tag or serial.',
  })
  @IsString()
  @Length(1, 100)
  q!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 25, default: 8, description: 'At most this many students and this many devices.' })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(25)
  limit?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'A state token may narrow the search to one district.' })
  @IsOptional()
  @IsUUID()
  districtId?: string;
}

export class StudentHitDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ format: 'uuid' }) schoolId!: string;
  @ApiProperty() sourcedId!: string;
  @ApiProperty({ type: String, nullable: true }) identifier!: string | null;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty({ type: String, nullable: true }) grade!: string | null;
  @ApiProperty({ enum: ENROLLMENT_STATUSES }) enrollmentStatus!: EnrollmentStatus;
  @ApiProperty({ description: 'The text is this student’s sourcedId, identifier or email exactly (a scanned card).' }) exact!: boolean;

  static from(row: StudentHitRow): StudentHitDto {
    return { ...row };
  }
}

export class DeviceHitDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ format: 'uuid', type: String, nullable: true }) schoolId!: string | null;
  @ApiProperty({ enum: DEVICE_KINDS }) kind!: DeviceKind;
  @ApiProperty({ type: String, nullable: true }) assetTag!: string | null;
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ type: String, nullable: true }) model!: string | null;
  @ApiProperty({ enum: DEVICE_STATUSES }) status!: DeviceStatus;
  @ApiProperty({ description: 'The text is this device’s asset tag, serial number or IMEI exactly (a scanned label).' }) exact!: boolean;

  static from(row: DeviceHitRow): DeviceHitDto {
    return { ...row };
  }
}

export class SearchResultDto {
  @ApiProperty({ type: [StudentHitDto], description: 'Exact matches first, then by family and given name.' }) students!: StudentHitDto[];
  @ApiProperty({
    type: [DeviceHitDto],
    description: 'Exact matches first, then by asset tag. Always empty for a role that may not see devices (attendance).',
  })
  devices!: DeviceHitDto[];
}
