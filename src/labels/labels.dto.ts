import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import {
  DEFAULT_LABEL_LINE,
  LABEL_TEMPLATE_NAMES,
  MAX_LABEL_LINE_LENGTH,
  PRINTABLE_TEXT,
  type LabelTemplateName,
} from './labels.domain.js';

/** Enough for every device of a large school in one print; a whole school is better asked for by schoolId. */
export const MAX_LABEL_DEVICE_IDS = 5000;

export class LabelsRequestDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: MAX_LABEL_DEVICE_IDS,
    description:
      'The devices, one label each in this order (an id listed twice prints twice). Give exactly one of deviceIds, schoolId, shipmentId.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LABEL_DEVICE_IDS)
  deviceIds?: unknown[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: "The school's devices in circulation (not retired, lost or stolen), in asset tag order.",
  })
  @IsOptional()
  @IsUUID()
  schoolId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The devices of a delivery manifest (matched by serial number; not retired, lost or stolen), in serial number order. District-wide: not for school-scoped staff.',
  })
  @IsOptional()
  @IsUUID()
  shipmentId?: string;

  @ApiProperty({
    enum: LABEL_TEMPLATE_NAMES,
    description:
      'avery-5160: US letter, 30 labels of 2.625" × 1"; avery-5163: US letter, 10 of 4" × 2"; l7160: A4, 21 of 63.5 × 38.1 mm; ' +
      'thermal-2.25x1.25: one 2.25" × 1.25" label per page for a thermal printer.',
  })
  @IsIn(LABEL_TEMPLATE_NAMES)
  template!: LabelTemplateName;

  @ApiPropertyOptional({
    minimum: 1,
    default: 1,
    description: 'Where on the first sheet to begin (1 = top left, counting left to right, then down), to use up a partly used sheet.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  startPosition?: number;

  @ApiPropertyOptional({
    maxLength: MAX_LABEL_LINE_LENGTH,
    default: DEFAULT_LABEL_LINE,
    description: 'A short line under the tag, e.g. "Property of Lincoln High"; an empty string prints none. Latin characters only.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LABEL_LINE_LENGTH)
  @Matches(PRINTABLE_TEXT, { message: 'line must be Latin text the label can print (Windows-1252)' })
  line?: string;
}
