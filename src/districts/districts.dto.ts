import { versioned, type Versioned } from '../common/http/etag.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsISO8601,
  IsNumber,
  IsString,
  IsTimeZone,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import type { DistrictRow } from './district.domain.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const defined = (_: object, value: unknown): boolean => value !== undefined;

/** Settings the connectivity and pool reports read later; each has a database default. */
class DistrictSettingsDto {
  @ApiPropertyOptional({ example: 'America/New_York', description: 'An IANA time zone; school days are counted in it.' })
  @ValidateIf(defined)
  @IsString()
  @IsTimeZone()
  @Matches(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/, { message: 'timeZone must be an IANA zone name such as America/New_York' })
  timeZone?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 60, description: 'School days without a login before a student counts as disconnected.' })
  @ValidateIf(defined)
  @IsInt()
  @Min(1)
  @Max(60)
  gapThresholdDays?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 365, description: 'Days without a Google sync before a Chromebook counts as unused.' })
  @ValidateIf(defined)
  @IsInt()
  @Min(1)
  @Max(365)
  syncStaleDays?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 365, description: 'Days without data usage before a hotspot counts as idle.' })
  @ValidateIf(defined)
  @IsInt()
  @Min(1)
  @Max(365)
  hotspotIdleDays?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'Spare in_stock devices each school should keep.' })
  @ValidateIf(defined)
  @IsInt()
  @Min(0)
  @Max(100000)
  sparePoolMinimum?: number;

  @ApiPropertyOptional({
    type: [String],
    format: 'date',
    example: ['2020-11-26', '2020-11-27'],
    description: 'Days without school; replaces the whole list.',
  })
  @ValidateIf(defined)
  @IsArray()
  @ArrayMaxSize(366)
  @Matches(DATE_ONLY, { each: true, message: 'each value in closureDates must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { each: true, message: 'each value in closureDates must be a real calendar date' })
  closureDates?: string[];

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    nullable: true,
    example: '2020-08-31',
    description:
      "The current school year's first day. Set with schoolYearEnd (both or neither; null clears both). A gap counts school days " +
      "from the later of this day and the student's enrolledOn; before it nobody is in a gap. Unset: no school-year bound.",
  })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @Matches(DATE_ONLY, { message: 'schoolYearStart must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'schoolYearStart must be a real calendar date' })
  schoolYearStart?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    nullable: true,
    example: '2021-06-18',
    description:
      "The current school year's last day, after schoolYearStart. After it nobody is in a gap: the next scan closes open gaps " +
      '(resolution school_year_ended) and resolves their outreach tickets.',
  })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @Matches(DATE_ONLY, { message: 'schoolYearEnd must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'schoolYearEnd must be a real calendar date' })
  schoolYearEnd?: string | null;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100,
    default: 5,
    description:
      'A bulk roster (OneRoster zip) that would withdraw more than this percentage of the active students stops in ' +
      'needs_confirmation, withdrawing no one until an admin confirms (POST /imports/{id}/confirm). 0: every withdrawal waits.',
  })
  @ValidateIf(defined)
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  rosterWithdrawalLimitPercent?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 10,
    default: 2,
    description:
      'School years of login events kept, the current one included (2: the current and the previous). A school year ' +
      'begins on the anniversary of schoolYearStart (1 July when unset). Older events are removed by the daily retention job.',
  })
  @ValidateIf(defined)
  @IsInt()
  @Min(1)
  @Max(10)
  loginRetentionYears?: number;
}

export class CreateDistrictDto extends DistrictSettingsDto {
  @ApiProperty({ example: 'New Haven Public Schools', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'NHPS', pattern: '^[A-Za-z0-9_-]{1,40}$', description: 'Unique across the state; cannot be changed.' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'code must be 1-40 letters, digits, "_" or "-"' })
  code!: string;
}

/** No code: other systems (imports, reports) know the district by it, so it never changes. */
export class UpdateDistrictDto extends DistrictSettingsDto {
  @ApiPropertyOptional({ example: 'New Haven Public Schools', maxLength: 200 })
  @ValidateIf(defined)
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class DistrictDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() code!: string;
  @ApiProperty({ example: 'America/New_York' }) timeZone!: string;
  @ApiProperty() gapThresholdDays!: number;
  @ApiProperty() syncStaleDays!: number;
  @ApiProperty() hotspotIdleDays!: number;
  @ApiProperty() sparePoolMinimum!: number;
  @ApiProperty({ type: [String], format: 'date' }) closureDates!: string[];
  @ApiProperty({ type: String, format: 'date', nullable: true, description: "The school year's first day; null: no bound." })
  schoolYearStart!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: "The school year's last day; null: no bound." })
  schoolYearEnd!: string | null;
  @ApiProperty({ description: 'Percent of the active students a bulk roster may withdraw without an admin confirming.' })
  rosterWithdrawalLimitPercent!: number;
  @ApiProperty({ description: 'School years of login events kept, the current one included.' })
  loginRetentionYears!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from({ version, ...row }: DistrictRow): Versioned<DistrictDto> {
    return versioned({ ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() }, version);
  }
}

export class DistrictPageDto {
  @ApiProperty({ type: [DistrictDto] }) data!: DistrictDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page.' }) nextCursor!:
    string | null;
}
