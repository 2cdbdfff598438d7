import { versioned, type Versioned } from '../common/http/etag.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { DistrictPageQueryDto } from '../common/http/pagination.js';
import { REPORT_FORMATS, type ReportFormat } from '../common/http/response-format.js';
import {
  CONDITIONS,
  DEVICE_KINDS,
  DEVICE_STATUSES,
  GOOGLE_STATUSES,
  LINE_STATUSES,
  type Condition,
  type DeviceKind,
  type DeviceRow,
  type DeviceStatus,
  type LineStatus,
} from './device.domain.js';
import type { SparePoolRow } from './devices.repository.js';

const presentOrNull = (_: object, value: unknown): boolean => value !== undefined;

/**
 * The fields both POST and PATCH accept. Optional ones may be sent as null to clear them; the
 * Chromebook and hotspot groups are refused on a device of another kind.
 */
class DeviceFieldsDto {
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The school whose pool holds the device; null for a district store.',
  })
  @IsOptional()
  @IsUUID()
  schoolId?: string | null;

  @ApiPropertyOptional({ example: 'CB-004211', maxLength: 100, nullable: true, type: String, description: 'Unique within the district.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  assetTag?: string | null;

  @ApiPropertyOptional({ example: 'Lenovo 100e Chromebook Gen 3', maxLength: 200, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  model?: string | null;

  @ApiPropertyOptional({ example: 'Lenovo', maxLength: 200, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  manufacturer?: string | null;

  @ApiPropertyOptional({
    example: 'Everybody Learns',
    maxLength: 200,
    nullable: true,
    type: String,
    description: 'Who paid for it, e.g. a grant or donation programme.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  fundingSource?: string | null;

  @ApiPropertyOptional({ maxLength: 4000, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  notes?: string | null;

  @ApiPropertyOptional({ description: 'Chromebook only: Google Admin deviceId.', maxLength: 200, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  googleDeviceId?: string | null;

  @ApiPropertyOptional({ description: 'Chromebook only: status in Google Admin.', enum: GOOGLE_STATUSES, nullable: true })
  @IsOptional()
  @IsIn(GOOGLE_STATUSES)
  googleStatus?: string | null;

  @ApiPropertyOptional({ description: 'Chromebook only: last policy sync with Google.', format: 'date-time', nullable: true, type: String })
  @IsOptional()
  @IsISO8601({ strict: true })
  lastSyncAt?: string | null;

  @ApiPropertyOptional({ description: 'Chromebook only.', example: '128.0.6613.137', maxLength: 100, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  osVersion?: string | null;

  @ApiPropertyOptional({ description: 'Chromebook only: end of automatic updates.', format: 'date', nullable: true, type: String })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'autoUpdateThrough must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true })
  autoUpdateThrough?: string | null;

  @ApiPropertyOptional({
    description: 'Hotspot only: 15-digit IMEI, unique within the district.',
    example: '356938035643809',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @Matches(/^\d{14,16}$/, { message: 'imei must be 14 to 16 digits' })
  imei?: string | null;

  @ApiPropertyOptional({
    description: 'Hotspot only: SIM ICCID ("UICC"), unique within the district.',
    example: '8901260882295620453',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @Matches(/^\d{18,22}[Ff]?$/, { message: 'iccid must be 18 to 22 digits' })
  iccid?: string | null;

  @ApiPropertyOptional({ description: 'Hotspot only: the line number (MDN).', maxLength: 30, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @Length(1, 30)
  phoneNumber?: string | null;

  @ApiPropertyOptional({ description: 'Hotspot only.', example: 'Kajeet', maxLength: 100, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  carrier?: string | null;

  @ApiPropertyOptional({ description: 'Hotspot only.', enum: LINE_STATUSES, nullable: true })
  @IsOptional()
  @IsIn(LINE_STATUSES)
  lineStatus?: LineStatus | null;

  @ApiPropertyOptional({ description: 'Hotspot only.', minimum: 0, nullable: true, type: Number })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_000_000_000)
  monthlyCapMb?: number | null;

  @ApiPropertyOptional({ description: 'Hotspot only.', minimum: 0, nullable: true, type: Number })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_000_000_000)
  monthlyUsedMb?: number | null;

  @ApiPropertyOptional({
    description: 'Hotspot only: last day the carrier saw data use.',
    format: 'date-time',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  lastUsageAt?: string | null;

  @ApiPropertyOptional({ format: 'date', nullable: true, type: String })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'purchaseDate must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true })
  purchaseDate?: string | null;

  @ApiPropertyOptional({
    description: 'What the device cost, in the district currency.',
    example: 349,
    minimum: 0,
    nullable: true,
    type: Number,
  })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(9_999_999_999)
  purchaseCost?: number | null;

  @ApiPropertyOptional({ description: 'The purchase order or order number.', maxLength: 200, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  orderNumber?: string | null;

  @ApiPropertyOptional({ example: 'CDW-G', maxLength: 200, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  supplier?: string | null;

  @ApiPropertyOptional({ description: 'Last day of the warranty.', format: 'date', nullable: true, type: String })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'warrantyEnd must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true })
  warrantyEnd?: string | null;

  @ApiPropertyOptional({ description: 'When the district plans to replace it.', format: 'date', nullable: true, type: String })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'endOfLife must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true })
  endOfLife?: string | null;
}

export class CreateDeviceDto extends DeviceFieldsDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Required for a state token; a district token may omit it (its own).' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiProperty({ enum: DEVICE_KINDS })
  @IsIn(DEVICE_KINDS)
  kind!: DeviceKind;

  @ApiProperty({ example: 'PF2KX9QZ', maxLength: 100, description: 'Unique within the district.' })
  @IsString()
  @Length(1, 100)
  serialNumber!: string;

  @ApiPropertyOptional({ enum: CONDITIONS, default: 'working' })
  @IsOptional()
  @IsIn(CONDITIONS)
  condition?: Condition;
}

/** A device's kind is fixed once recorded; its status moves through the custody workflows. */
export class UpdateDeviceDto extends DeviceFieldsDto {
  @ApiPropertyOptional({ example: 'PF2KX9QZ', maxLength: 100 })
  @ValidateIf(presentOrNull)
  @IsString()
  @Length(1, 100)
  serialNumber?: string;

  @ApiPropertyOptional({ enum: CONDITIONS })
  @ValidateIf(presentOrNull)
  @IsIn(CONDITIONS)
  condition?: Condition;

  @ApiPropertyOptional({
    enum: ['in_stock'],
    description:
      'Only to put a lost or stolen device that was found, or a deployed one whose holder was never named, back in stock. ' +
      'Every other status change has its own route ' +
      '(assignments, repair-intake, repair-return, report-loss, retire), so custody records stay consistent.',
  })
  @ValidateIf(presentOrNull)
  @IsIn(['in_stock'])
  status?: 'in_stock';
}

export class DeviceQueryDto extends DistrictPageQueryDto {
  @ApiPropertyOptional({ description: 'Asset tag, as scanned from a barcode (any case).' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  assetTag?: string;

  @ApiPropertyOptional({ description: 'Serial number, as scanned from a barcode (any case).' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  serialNumber?: string;

  @ApiPropertyOptional({ enum: DEVICE_KINDS })
  @IsOptional()
  @IsIn(DEVICE_KINDS)
  kind?: DeviceKind;

  @ApiPropertyOptional({ enum: DEVICE_STATUSES })
  @IsOptional()
  @IsIn(DEVICE_STATUSES)
  status?: DeviceStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  schoolId?: string;

  @ApiPropertyOptional({ description: 'Exact funding source.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  fundingSource?: string;

  @ApiPropertyOptional({
    enum: REPORT_FORMATS,
    description: 'csv: the same as `Accept: text/csv`: every device the filters match, streamed, unpaged (limit and cursor do not apply).',
  })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

export const DEVICE_CSV_COLUMNS = [
  'id',
  'districtId',
  'schoolId',
  'kind',
  'assetTag',
  'serialNumber',
  'model',
  'manufacturer',
  'status',
  'condition',
  'holderStudentId',
  'fundingSource',
  'googleStatus',
  'lastSyncAt',
  'osVersion',
  'autoUpdateThrough',
  'imei',
  'phoneNumber',
  'carrier',
  'lineStatus',
  'monthlyCapMb',
  'monthlyUsedMb',
  'purchaseDate',
  'warrantyEnd',
  'retiredAt',
] as const;

export class DeviceHolderDto {
  @ApiProperty({ format: 'uuid' }) assignmentId!: string;
  @ApiProperty({ format: 'uuid' }) studentId!: string;
  @ApiProperty({ enum: ['primary', 'loaner'] }) kind!: string;
  @ApiProperty({ format: 'date-time' }) since!: string;
}

export class DeviceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) schoolId!: string | null;
  @ApiProperty({ enum: DEVICE_KINDS }) kind!: DeviceKind;
  @ApiProperty({ nullable: true, type: String }) assetTag!: string | null;
  @ApiProperty() serialNumber!: string;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty({ nullable: true, type: String }) manufacturer!: string | null;
  @ApiProperty({ nullable: true, type: String }) fundingSource!: string | null;
  @ApiProperty({ enum: DEVICE_STATUSES }) status!: DeviceStatus;
  @ApiProperty({ enum: CONDITIONS }) condition!: Condition;
  @ApiProperty({ nullable: true, type: String }) notes!: string | null;
  @ApiProperty({ nullable: true, type: String }) googleDeviceId!: string | null;
  @ApiProperty({ nullable: true, type: String }) googleStatus!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastSyncAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) osVersion!: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) autoUpdateThrough!: string | null;
  @ApiProperty({ nullable: true, type: String }) imei!: string | null;
  @ApiProperty({ nullable: true, type: String }) iccid!: string | null;
  @ApiProperty({ nullable: true, type: String }) phoneNumber!: string | null;
  @ApiProperty({ nullable: true, type: String }) carrier!: string | null;
  @ApiProperty({ enum: LINE_STATUSES, nullable: true }) lineStatus!: LineStatus | null;
  @ApiProperty({ nullable: true, type: Number }) monthlyCapMb!: number | null;
  @ApiProperty({ nullable: true, type: Number }) monthlyUsedMb!: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsageAt!: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) purchaseDate!: string | null;
  @ApiProperty({ nullable: true, type: Number }) purchaseCost!: number | null;
  @ApiProperty({ nullable: true, type: String }) orderNumber!: string | null;
  @ApiProperty({ nullable: true, type: String }) supplier!: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) warrantyEnd!: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) endOfLife!: string | null;
  @ApiProperty({
    description:
      'Deployed according to an asset-system import that named no known student: status assigned without a holder. ' +
      'It is no spare; assigning it (or PATCH status in_stock) settles it.',
  })
  holderUnknown!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) retiredAt!: string | null;
  @ApiProperty({ type: () => DeviceHolderDto, nullable: true, description: 'The active assignment: who holds the device now.' })
  holder!: DeviceHolderDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  /**
   * Field by field on purpose: a rest pattern leaving out eleven of the row's 44 columns cost 70 µs a
   * row in V8 (4 ms of a 50-device page, most of the list's API time); this literal costs 5.
   */
  static from(row: DeviceRow): Versioned<DeviceDto> {
    const { assignmentId, holderStudentId, assignmentKind, assignedAt } = row;
    return versioned(
      {
        id: row.id,
        districtId: row.districtId,
        schoolId: row.schoolId,
        kind: row.kind,
        assetTag: row.assetTag,
        serialNumber: row.serialNumber,
        model: row.model,
        manufacturer: row.manufacturer,
        fundingSource: row.fundingSource,
        status: row.status,
        condition: row.condition,
        notes: row.notes,
        googleDeviceId: row.googleDeviceId,
        googleStatus: row.googleStatus,
        lastSyncAt: row.lastSyncAt,
        osVersion: row.osVersion,
        autoUpdateThrough: row.autoUpdateThrough,
        imei: row.imei,
        iccid: row.iccid,
        phoneNumber: row.phoneNumber,
        carrier: row.carrier,
        lineStatus: row.lineStatus,
        monthlyCapMb: row.monthlyCapMb,
        monthlyUsedMb: row.monthlyUsedMb,
        lastUsageAt: row.lastUsageAt,
        purchaseDate: row.purchaseDate,
        purchaseCost: row.purchaseCost === null ? null : Number(row.purchaseCost),
        orderNumber: row.orderNumber,
        supplier: row.supplier,
        warrantyEnd: row.warrantyEnd,
        endOfLife: row.endOfLife,
        holderUnknown: row.holderUnknown,
        retiredAt: row.retiredAt,
        holder:
          assignmentId && holderStudentId && assignmentKind && assignedAt
            ? { assignmentId, studentId: holderStudentId, kind: assignmentKind, since: assignedAt }
            : null,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      },
      row.version,
    );
  }
}

export class DeviceListDto {
  @ApiProperty({ type: [DeviceDto] }) data!: DeviceDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class SparePoolQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A state token sees every district unless it names one.' })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  schoolId?: string;
}

export class PoolCountDto {
  @ApiProperty({ description: 'Devices of this kind in stock at the school.' }) inStock!: number;
  @ApiProperty({ description: 'Of those, the ones in working condition (ready to hand out).' }) working!: number;
}

export class SparePoolDto {
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ format: 'uuid' }) schoolId!: string;
  @ApiProperty() schoolName!: string;
  @ApiProperty() schoolCode!: string;
  @ApiProperty({ type: () => PoolCountDto }) chromebooks!: PoolCountDto;
  @ApiProperty({ type: () => PoolCountDto }) hotspots!: PoolCountDto;
  @ApiProperty({ description: "The district's spare_pool_minimum." }) spareMinimum!: number;
  @ApiProperty({ description: 'Working Chromebooks in stock are fewer than the minimum: loaners may run out.' })
  belowMinimum!: boolean;

  static from(row: SparePoolRow): SparePoolDto {
    return {
      districtId: row.districtId,
      schoolId: row.schoolId,
      schoolName: row.schoolName,
      schoolCode: row.schoolCode,
      chromebooks: { inStock: row.chromebooks, working: row.workingChromebooks },
      hotspots: { inStock: row.hotspots, working: row.workingHotspots },
      spareMinimum: row.spareMinimum,
      belowMinimum: row.workingChromebooks < row.spareMinimum,
    };
  }
}

export class SparePoolListDto {
  @ApiProperty({ type: [SparePoolDto] }) data!: SparePoolDto[];
}
