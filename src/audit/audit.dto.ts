import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { DistrictPageQueryDto } from '../common/http/pagination.js';
import type { AuditEventRow } from './audit.repository.js';

export class AuditListQueryDto extends DistrictPageQueryDto {
  @ApiPropertyOptional({ example: 'student', description: 'Required with entityId.' })
  @ValidateIf((query: AuditListQueryDto) => query.entityType !== undefined || query.entityId !== undefined)
  @IsString({ message: 'entityType is required with entityId' })
  @Length(1, 100)
  entityType?: string;

  @ApiPropertyOptional({ description: 'The id of the record, as in the events.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  entityId?: string;
}

export class AuditEventDto {
  @ApiProperty({ example: '1042', description: 'Increasing; a later event has a larger id.' }) id!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'uuid', type: String, nullable: true, description: 'null for work done by the system.' }) actorTokenId!:
    string | null;
  @ApiProperty({
    format: 'uuid',
    type: String,
    nullable: true,
    description: 'The staff user who made the change in a session, or who owns the token; null otherwise.',
  })
  actorStaffUserId!: string | null;
  @ApiProperty({ description: 'The token name at the time, the staff user\'s email, or "system".' }) actor!: string;
  @ApiProperty({ format: 'uuid', type: String, nullable: true }) districtId!: string | null;
  @ApiProperty({ example: 'student' }) entityType!: string;
  @ApiProperty() entityId!: string;
  @ApiProperty({ example: 'update' }) action!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'The record before the change.' })
  before!: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'The record after the change.' }) after!: unknown;
  @ApiProperty({ type: String, nullable: true }) requestId!: string | null;
  @ApiProperty({
    type: [String],
    nullable: true,
    description:
      'The records a bulk change named, when one event stands for many (students created by an import batch; the devices, or the assignments, issued by one bulk assignment request, with each record in after.lines); null otherwise.',
  })
  entityIds!: string[] | null;

  /** Field by field: V8 copies a pg row through its slow path for a spread (see DeviceDto.from). */
  static from(row: AuditEventRow): AuditEventDto {
    return {
      id: row.id,
      occurredAt: row.occurredAt,
      actorTokenId: row.actorTokenId,
      actorStaffUserId: row.actorStaffUserId,
      actor: row.actor,
      districtId: row.districtId,
      entityType: row.entityType,
      entityId: row.entityId,
      action: row.action,
      before: row.before,
      after: row.after,
      requestId: row.requestId,
      entityIds: row.entityIds,
    };
  }
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto] }) data!: AuditEventDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page.' }) nextCursor!:
    string | null;
}
