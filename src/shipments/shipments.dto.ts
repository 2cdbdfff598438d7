import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { DistrictPageQueryDto } from '../common/http/pagination.js';
import { MAX_MANIFEST_SERIALS } from './manifest-serials.js';
import type { ShipmentRow } from './shipments.repository.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export class CreateShipmentDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Required for a state token; a district token may omit it (its own).' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiProperty({
    example: 'Everybody Learns',
    maxLength: 200,
    description: 'The funding source or donation programme, as recorded on the devices.',
  })
  @IsString()
  @Length(1, 200)
  fundingSource!: string;

  @ApiProperty({ format: 'date', example: '2020-09-14', description: 'The day the delivery arrived.' })
  @Matches(DATE_ONLY, { message: 'shippedOn must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true }, { message: 'shippedOn must be a date (YYYY-MM-DD)' })
  shippedOn!: string;

  @ApiPropertyOptional({
    example: 'PO-2020-0142',
    maxLength: 200,
    description: 'The delivery note or order number; unique in the district, so the same manifest cannot be recorded twice.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reference?: string;

  @ApiProperty({
    type: [String],
    example: ['PF2KX9QZ', 'PF2KX9R0'],
    minItems: 1,
    maxItems: MAX_MANIFEST_SERIALS,
    description: 'The serial numbers delivered, each once, as printed on the devices (matched exactly). Errors name the index.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MANIFEST_SERIALS)
  serialNumbers!: string[];
}

export class ShipmentQueryDto extends DistrictPageQueryDto {
  @ApiPropertyOptional({ example: 'Everybody Learns', maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  fundingSource?: string;
}

export class ShipmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty() fundingSource!: string;
  @ApiProperty({ format: 'date' }) shippedOn!: string;
  @ApiProperty({ nullable: true, type: String }) reference!: string | null;
  @ApiProperty({ description: 'Serial numbers on the manifest.' }) itemCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(row: ShipmentRow): ShipmentDto {
    return {
      id: row.id,
      districtId: row.districtId,
      fundingSource: row.fundingSource,
      shippedOn: row.shippedOn,
      reference: row.reference,
      itemCount: row.itemCount,
      createdAt: row.createdAt.toISOString(),
    };
  }
}

export class ShipmentDetailDto extends ShipmentDto {
  @ApiProperty({ type: [String], description: 'Every serial number on the manifest, in order.' }) serialNumbers!: string[];
}

export class ShipmentListDto {
  @ApiProperty({ type: [ShipmentDto] }) data!: ShipmentDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
