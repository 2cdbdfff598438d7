import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, ValidateNested, IsObject } from 'class-validator';
import { CONDITIONS, type Condition } from '../devices/device.domain.js';
import { AcknowledgementDto } from './custody.dto.js';

/** A distribution or collection day's scans fit in one request; larger lists are sent in parts. */
export const MAX_BULK_LINES = 2000;

export class BulkAssignLineDto {
  @ApiProperty({ example: 'CB-004211', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  assetTag!: string;

  @ApiProperty({ example: 'stu-88412', maxLength: 255, description: "The student's roster sourcedId." })
  @IsString()
  @Length(1, 255)
  studentSourcedId!: string;

  @ApiPropertyOptional({ type: () => AcknowledgementDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AcknowledgementDto)
  acknowledgement?: AcknowledgementDto;
}

export class BulkAssignDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Required for a state token; a district token may omit it (its own).' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiProperty({ type: [BulkAssignLineDto], minItems: 1, maxItems: MAX_BULK_LINES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_LINES)
  // A nested array ([[]]) passes ValidateNested unchecked; each item must be an object.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => BulkAssignLineDto)
  lines!: BulkAssignLineDto[];
}

export class BulkReturnLineDto {
  @ApiProperty({ example: 'CB-004211', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  assetTag!: string;

  @ApiProperty({ enum: CONDITIONS })
  @IsIn(CONDITIONS)
  condition!: Condition;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class BulkReturnDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Required for a state token; a district token may omit it (its own).' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiProperty({ type: [BulkReturnLineDto], minItems: 1, maxItems: MAX_BULK_LINES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_LINES)
  // A nested array ([[]]) passes ValidateNested unchecked; each item must be an object.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => BulkReturnLineDto)
  lines!: BulkReturnLineDto[];
}

export const BULK_OUTCOMES = ['assigned', 'already_assigned', 'returned', 'already_returned', 'rejected'] as const;
export type BulkOutcome = (typeof BULK_OUTCOMES)[number];

export class BulkLineResultDto {
  @ApiProperty({ description: '1-based position in `lines`.' }) line!: number;
  @ApiProperty() assetTag!: string;
  @ApiProperty({ enum: BULK_OUTCOMES }) outcome!: BulkOutcome;
  @ApiPropertyOptional({
    description:
      'Why a line was rejected: duplicate_line, device_not_found, student_not_found, device_not_available, student_withdrawn, ' +
      'signed_in_future, device_not_assigned.',
  })
  code?: string;
  @ApiPropertyOptional() message?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The assignment made, found, or ended.' }) assignmentId?: string;
}

export class BulkResultDto {
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ type: [BulkLineResultDto], description: 'One result per line, in the order sent.' }) results!: BulkLineResultDto[];
}
