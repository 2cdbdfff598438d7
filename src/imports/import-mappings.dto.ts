import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { DistrictPageQueryDto } from '../common/http/pagination.js';
import type { ImportMappingRow } from './import-mappings.repository.js';
import { IMPORT_KINDS, type ImportKind } from './import-plan.js';

/** Kinds read from one CSV file: their columns can be mapped (OneRoster's are fixed by the standard). */
export const MAPPABLE_KINDS = IMPORT_KINDS.filter((k): k is Exclude<ImportKind, 'oneroster'> => k !== 'oneroster');

export class CreateImportMappingDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Required for a state token; a district token maps for its own district.' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiProperty({ enum: MAPPABLE_KINDS })
  @IsIn(MAPPABLE_KINDS)
  kind!: Exclude<ImportKind, 'oneroster'>;

  @ApiProperty({ example: 'Carrier portal (district export)', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { imei: 'Handset', phoneNumber: 'Line', usedGb: 'GB this cycle', lineStatus: 'State' },
    description:
      "Our field -> the district's header. Fields of hotspot-usage: imei, iccid, phoneNumber, lineStatus, capMb, capGb, plan, " +
      'usedMb, usedGb, usedKb (the unit of a bare number), lastUsageAt. A file whose header has every mapped header is read through ' +
      'the mapping (of several, the one naming the most columns).',
  })
  @IsObject()
  columns!: Record<string, unknown>;
}

export class ImportMappingDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ enum: MAPPABLE_KINDS }) kind!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) columns!: Record<string, string>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(row: ImportMappingRow): ImportMappingDto {
    return { ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
  }
}

export class ImportMappingPageDto {
  @ApiProperty({ type: [ImportMappingDto] }) data!: ImportMappingDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ImportMappingQueryDto extends DistrictPageQueryDto {
  @ApiPropertyOptional({ enum: MAPPABLE_KINDS })
  @IsOptional()
  @IsIn(MAPPABLE_KINDS)
  kind?: Exclude<ImportKind, 'oneroster'>;
}
