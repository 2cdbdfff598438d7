import { versioned, type Versioned } from '../common/http/etag.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { DistrictPageQueryDto } from '../common/http/pagination.js';
import type { SchoolRow } from './district.domain.js';

const defined = (_: object, value: unknown): boolean => value !== undefined;

export class CreateSchoolDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Required for a state token; a district token creates in its own district.' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiProperty({ example: 'Lincoln-Bassett School', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'LB-410', maxLength: 60, description: 'Unique within the district.' })
  @IsString()
  @Length(1, 60)
  code!: string;

  @ApiPropertyOptional({
    maxLength: 255,
    nullable: true,
    type: String,
    description: 'The OneRoster org sourcedId, unique within the district.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  sourcedId?: string | null;
}

export class UpdateSchoolDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @ValidateIf(defined)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 60 })
  @ValidateIf(defined)
  @IsString()
  @Length(1, 60)
  code?: string;

  @ApiPropertyOptional({ maxLength: 255, nullable: true, type: String, description: 'null removes it.' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  sourcedId?: string | null;
}

export class SchoolListQueryDto extends DistrictPageQueryDto {}

export class SchoolDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() code!: string;
  @ApiProperty({ type: String, nullable: true }) sourcedId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from({ version, ...row }: SchoolRow): Versioned<SchoolDto> {
    return versioned({ ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() }, version);
  }
}

export class SchoolPageDto {
  @ApiProperty({ type: [SchoolDto] }) data!: SchoolDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page.' }) nextCursor!:
    string | null;
}
