import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, ValidateNested, IsObject } from 'class-validator';

export const MAX_EVENTS_PER_REQUEST = 10_000;

export class LoginEventDto {
  @ApiPropertyOptional({ description: "The student's roster sourcedId; give this or email.", example: 'st-000123' })
  @IsOptional()
  @IsString()
  studentSourcedId?: string;

  @ApiPropertyOptional({
    description: "The student's email; used when studentSourcedId is absent.",
    example: 'ava.jones@students.groton.org',
  })
  @IsOptional()
  @IsString()
  email?: string;

  @ApiProperty({ format: 'date-time', description: 'With a time zone (Z or an offset).', example: '2020-10-05T13:02:11Z' })
  @IsString()
  occurredAt!: string;

  @ApiPropertyOptional({ description: 'The system that saw the event; "api" when absent.', example: 'canvas', maxLength: 100 })
  @IsOptional()
  @IsString()
  source?: string;

  @ApiProperty({
    description: 'Only login_success counts as activity; other events are stored too.',
    example: 'login_success',
    maxLength: 100,
  })
  @IsString()
  event!: string;

  @ApiPropertyOptional({
    description:
      "The source's id of the event: sending it again is a duplicate, not a second login. Without it, an event is a duplicate when all its fields repeat.",
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  uniqueId?: string;
}

export class RecordLoginEventsDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Required for a state token; a district token records for its own district.' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiProperty({ type: [LoginEventDto], minItems: 1, maxItems: MAX_EVENTS_PER_REQUEST })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EVENTS_PER_REQUEST)
  // A nested array ([[]]) passes ValidateNested unchecked; each item must be an object.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => LoginEventDto)
  events!: LoginEventDto[];
}

export class LoginEventsResultDto {
  @ApiProperty() received!: number;
  @ApiProperty({ description: 'Events stored for the first time.' }) inserted!: number;
  @ApiProperty({ description: 'Events already stored (or repeated within the request).' }) duplicates!: number;
  @ApiProperty({ description: 'Events for no student of the district; not stored.' }) unknownStudents!: number;
}
