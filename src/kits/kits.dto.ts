import { versioned, type Versioned } from '../common/http/etag.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { DistrictPageQueryDto } from '../common/http/pagination.js';
import type { KitRow, KitTemplateRow } from './kit.domain.js';

export class KitItemDto {
  @ApiProperty({ example: 'charger', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  item!: string;

  @ApiProperty({ minimum: 1, maximum: 1000, example: 1 })
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity!: number;
}

export class CreateKitTemplateDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Required for a state token; a district token creates in its own district.' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiProperty({ example: 'Grade 3 home kit', maxLength: 200, description: 'Unique within the district.' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ type: [KitItemDto], description: 'Each item once.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  // A nested array ([[]]) passes ValidateNested unchecked; each item must be an object.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => KitItemDto)
  items!: KitItemDto[];
}

export class CreateKitDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  studentId!: string;

  @ApiProperty({ format: 'uuid', description: "A kit template of the student's district; its items are copied into the kit." })
  @IsUUID()
  templateId!: string;
}

export class ReturnKitDto {
  @ApiProperty({
    type: [KitItemDto],
    description: 'What came back, each item once; anything issued and not listed is recorded as missing.',
  })
  @IsArray()
  @ArrayMaxSize(100)
  // A nested array ([[]]) passes ValidateNested unchecked; each item must be an object.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => KitItemDto)
  items!: KitItemDto[];
}

export class KitTemplateListQueryDto extends DistrictPageQueryDto {}

export class KitListQueryDto extends DistrictPageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  studentId?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'true: only returned kits with missing items; false: only kits with none missing.' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  missing?: boolean;
}

export class KitTemplateDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [KitItemDto] }) items!: KitItemDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(row: KitTemplateRow): KitTemplateDto {
    return { ...row, createdAt: row.createdAt.toISOString() };
  }
}

export class KitDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ format: 'uuid' }) studentId!: string;
  @ApiProperty({ format: 'uuid' }) templateId!: string;
  @ApiProperty() templateName!: string;
  @ApiProperty({ type: [KitItemDto], description: 'As issued.' }) items!: KitItemDto[];
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) returnedAt!: string | null;
  @ApiProperty({ type: [KitItemDto], description: 'Issued but not returned; empty until the kit is returned.' })
  missingItems!: KitItemDto[];

  static from({ issuedAtKey: _, version, ...row }: KitRow): Versioned<KitDto> {
    return versioned({ ...row, issuedAt: row.issuedAt.toISOString(), returnedAt: row.returnedAt?.toISOString() ?? null }, version);
  }
}

export class KitTemplatePageDto {
  @ApiProperty({ type: [KitTemplateDto] }) data!: KitTemplateDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page.' }) nextCursor!:
    string | null;
}

export class KitPageDto {
  @ApiProperty({ type: [KitDto] }) data!: KitDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page.' }) nextCursor!:
    string | null;
}
