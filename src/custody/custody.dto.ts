import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { DistrictPageQueryDto } from '../common/http/pagination.js';
import { CONDITIONS, type Condition } from '../devices/device.domain.js';
import { ASSIGNMENT_KINDS, END_REASONS, type AssignmentKind, type AssignmentRow, type EndReason } from './custody.domain.js';

/** The family's acknowledgement of the use agreement at hand-off (students have no accounts to sign with). */
export class AcknowledgementDto {
  @ApiProperty({ example: 'Maria Lopez', maxLength: 200, description: 'Who signed: a parent, guardian or the student.' })
  @IsString()
  @Length(1, 200)
  signerName!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When it was signed; default now. Not in the future.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  signedAt?: string;
}

/** The acknowledgement route's body: at the station the adult may also sign on the screen. */
export class SignedAcknowledgementDto extends AcknowledgementDto {
  @ApiPropertyOptional({
    description: 'The signature drawn on the screen: a PNG data URL (data:image/png;base64,…), at most 200,000 characters.',
    maxLength: 200_000,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200_000)
  @Matches(/^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/, { message: 'signature must be a PNG data URL (data:image/png;base64,…)' })
  signature?: string;
}

/**
 * The device by id or asset tag, the student by id, sourcedId or identifier: one of each, as the bulk
 * route names them.
 */
export class CreateAssignmentDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Needed by a state token that names the device by asset tag; a district token may omit it (its own).',
  })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Must be in_stock (or deployed to a holder not yet named). Or give assetTag.' })
  @IsOptional()
  @IsUUID()
  deviceId?: string;

  @ApiPropertyOptional({ example: 'CB-004211', maxLength: 100, description: 'The device by asset tag, in any case. Or give deviceId.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  assetTag?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'An active student of the same district. Or give studentSourcedId or studentIdentifier.',
  })
  @IsOptional()
  @IsUUID()
  studentId?: string;

  @ApiPropertyOptional({ maxLength: 255, description: "The student by the roster's sourcedId." })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  studentSourcedId?: string;

  @ApiPropertyOptional({ maxLength: 255, description: 'The student by identifier (student number); it must name one student.' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  studentIdentifier?: string;

  @ApiPropertyOptional({ enum: ASSIGNMENT_KINDS, default: 'primary', description: 'A loaner leaves the device in status loaner.' })
  @IsOptional()
  @IsIn(ASSIGNMENT_KINDS)
  kind?: AssignmentKind;

  @ApiPropertyOptional({ type: () => AcknowledgementDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AcknowledgementDto)
  acknowledgement?: AcknowledgementDto;
}

export class ReturnAssignmentDto {
  @ApiProperty({
    enum: CONDITIONS,
    description: 'The device goes back in stock with this condition; a damaged or broken one stays out of the working spare pool.',
  })
  @IsIn(CONDITIONS)
  condition!: Condition;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class AssignmentQueryDto extends DistrictPageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  studentId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  deviceId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only assignments not yet ended; false: only ended ones.' })
  @IsOptional()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}

export class AcknowledgementViewDto {
  @ApiProperty() signerName!: string;
  @ApiProperty({ format: 'date-time' }) signedAt!: string;
  @ApiProperty({ description: 'A signature was drawn with it.' }) signed!: boolean;
}

export class AssignmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty({ format: 'uuid' }) studentId!: string;
  @ApiProperty({ enum: ASSIGNMENT_KINDS }) kind!: AssignmentKind;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'For a loaner: the device in repair it stands in for.' })
  loanerForDeviceId!: string | null;
  @ApiProperty({ description: 'Not yet ended: the student holds the device.' }) active!: boolean;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The token that issued it.' }) issuedBy!: string | null;
  @ApiProperty({ type: () => AcknowledgementViewDto, nullable: true }) acknowledgement!: AcknowledgementViewDto | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) endedAt!: string | null;
  @ApiProperty({ enum: END_REASONS, nullable: true }) endReason!: EndReason | null;
  @ApiProperty({ enum: CONDITIONS, nullable: true }) returnedCondition!: Condition | null;
  @ApiProperty({ nullable: true, type: String }) returnNote!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The token that ended it.' }) endedBy!: string | null;

  static from(row: AssignmentRow): AssignmentDto {
    return {
      id: row.id,
      districtId: row.districtId,
      deviceId: row.deviceId,
      studentId: row.studentId,
      kind: row.kind,
      loanerForDeviceId: row.loanerForDeviceId,
      active: row.endedAt === null,
      startedAt: row.startedAt,
      issuedBy: row.issuedBy,
      acknowledgement:
        row.acknowledgedByName !== null && row.acknowledgedAt !== null
          ? { signerName: row.acknowledgedByName, signedAt: row.acknowledgedAt, signed: row.acknowledgementSigned }
          : null,
      endedAt: row.endedAt,
      endReason: row.endReason,
      returnedCondition: row.returnedCondition,
      returnNote: row.returnNote,
      endedBy: row.endedBy,
    };
  }
}

export class AssignmentListDto {
  @ApiProperty({ type: [AssignmentDto] }) data!: AssignmentDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
