import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { CONDITIONS, MAPPABLE_STATUSES, type Condition, type MappableStatus } from './device.domain.js';
import type { StatusMappingRow } from './status-mappings.repository.js';

export class StatusMappingQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Required for a state token; a district token sees its own.' })
  @IsOptional()
  @IsUUID()
  districtId?: string;
}

class StatusMeaningDto {
  @ApiProperty({ enum: MAPPABLE_STATUSES, description: 'The status a device with this label takes.' })
  @IsIn(MAPPABLE_STATUSES)
  status!: MappableStatus;

  @ApiPropertyOptional({
    enum: CONDITIONS,
    nullable: true,
    type: String,
    description: "The condition it takes; null or absent: the device's own (working for a new one).",
  })
  @ValidateIf((_: object, value: unknown) => value !== undefined && value !== null)
  @IsIn(CONDITIONS)
  condition?: Condition | null;
}

export class SaveStatusMappingDto extends StatusMeaningDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Required for a state token; a district token may omit it (its own).' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiProperty({
    example: 'Out for Repair',
    maxLength: 100,
    description: 'The label as the asset system writes it; matched in any case, ignoring spacing and punctuation.',
  })
  @IsString()
  @Length(1, 100)
  @Matches(/[A-Za-z0-9]/, { message: 'label must contain a letter or digit' })
  label!: string;
}

export class UpdateStatusMappingDto extends StatusMeaningDto {}

export class StatusMappingDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: "The district's mapping; null for a built-in one." })
  id!: string | null;
  @ApiProperty() label!: string;
  @ApiProperty({ description: 'What the label is matched on: lower case, letters and digits only.' }) labelKey!: string;
  @ApiProperty({ enum: MAPPABLE_STATUSES }) status!: MappableStatus;
  @ApiProperty({ enum: CONDITIONS, nullable: true, type: String }) condition!: Condition | null;
  @ApiProperty({ enum: ['built_in', 'district'], description: 'district: the district added it, or overrides the built-in one.' })
  source!: 'built_in' | 'district';

  static from(row: StatusMappingRow): StatusMappingDto {
    return { id: row.id, label: row.label, labelKey: row.labelKey, status: row.status, condition: row.condition, source: 'district' };
  }
}

export class StatusMappingListDto {
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ type: [StatusMappingDto] }) data!: StatusMappingDto[];
}
