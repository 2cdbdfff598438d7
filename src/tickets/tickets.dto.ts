import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { DistrictPageQueryDto, QueryInt } from '../common/http/pagination.js';
import {
  OPEN_TICKET_STATUSES,
  OUTREACH_CHANNELS,
  OUTREACH_OUTCOMES,
  TICKET_EVENT_KINDS,
  TICKET_SOURCES,
  TICKET_STATUSES,
  TICKET_TYPES,
  type TicketStatus,
  type TicketType,
} from './ticket.domain.js';

/** `type=replacement,connectivity,repair`: one ticket type or several, as the help desk's queue asks for its three. */
function TicketTypes(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: String,
      example: 'replacement,connectivity,repair',
      description: `One ticket type, or several separated by commas (${TICKET_TYPES.join(', ')}).`,
    }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value)),
    IsIn(TICKET_TYPES, { each: true }),
  );
}

export class TicketQueryDto extends DistrictPageQueryDto {
  @TicketTypes() type?: TicketType[];
  @ApiPropertyOptional({ enum: TICKET_STATUSES, description: `Default: the open ones (${OPEN_TICKET_STATUSES.join(', ')}).` })
  @IsOptional()
  @IsIn(TICKET_STATUSES)
  status?: TicketStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() schoolId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() studentId?: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: "The device a ticket is about: a repair's device, a replacement's Chromebook, a connectivity ticket's hotspot.",
  })
  @IsOptional()
  @IsUUID()
  deviceId?: string;
  @ApiPropertyOptional({ example: 'no_device' }) @IsOptional() @IsString() reason?: string;
  @ApiPropertyOptional({
    description: 'Who works on it, as the ticket names them; `me`: the caller (their token name or staff email); `none`: unassigned.',
  })
  @IsOptional()
  @IsString()
  assignee?: string;
  @ApiPropertyOptional({ enum: ['age', 'priority'], default: 'age' }) @IsOptional() @IsIn(['age', 'priority']) sort?: 'age' | 'priority';
}

export class TicketStudentDto {
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty() sourcedId!: string;
  @ApiProperty({ nullable: true, type: String }) grade!: string | null;
}

export class TicketDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty({ enum: TICKET_TYPES }) type!: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status!: string;
  @ApiProperty({ description: '1 is most urgent.' }) priority!: number;
  @ApiProperty({ type: [String], example: ['device_broken'] }) reasons!: string[];
  @ApiProperty({ enum: TICKET_SOURCES }) source!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) studentId!: string | null;
  @ApiProperty({ type: TicketStudentDto, nullable: true }) student!: TicketStudentDto | null;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description:
      "The device the ticket is about: a repair's device; for a replacement, the broken, disabled, unsynced or unsupported Chromebook; " +
      'for connectivity, the suspended, over-cap, idle or broken hotspot. Null when the reason is about no device (no_device, no_internet...).',
  })
  deviceId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) schoolId!: string | null;
  @ApiProperty({ nullable: true, type: String }) assignee!: string | null;
  @ApiProperty({ nullable: true, type: String }) resolution!: string | null;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt!: string | null;
}

export class TicketListDto {
  @ApiProperty({ type: [TicketDto] }) data!: TicketDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class TicketEventDto {
  @ApiProperty({ format: 'date-time' }) occurredAt!: Date;
  @ApiProperty({ description: 'The token name at the time, the staff user\'s email, or "system".' }) actor!: string;
  @ApiProperty({ format: 'uuid', type: String, nullable: true, description: 'The token used, directly or to open the session.' })
  actorTokenId!: string | null;
  @ApiProperty({ format: 'uuid', type: String, nullable: true, description: 'The staff user signed in, or who owns the token.' })
  actorStaffUserId!: string | null;
  @ApiProperty({ enum: TICKET_EVENT_KINDS })
  kind!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: unknown;
}

export class OutreachAttemptDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: OUTREACH_CHANNELS }) channel!: string;
  @ApiProperty({ format: 'date-time' }) attemptedAt!: Date;
  @ApiProperty({ enum: OUTREACH_OUTCOMES }) outcome!: string;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
}

export class FamilyContactDto {
  @ApiProperty() sourcedId!: string;
  @ApiProperty() givenName!: string;
  @ApiProperty() familyName!: string;
  @ApiProperty({ enum: ['parent', 'guardian', 'relative'] }) relation!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'A number for text messages.' }) sms!: string | null;
}

export class FamilyContactsDto {
  @ApiProperty({ type: String, nullable: true, description: "The family's home language; null: not known." }) homeLanguage!: string | null;
  @ApiProperty({ type: [FamilyContactDto], description: 'The guardians the roster links to the student; empty when it has none.' })
  guardians!: FamilyContactDto[];
}

export class TicketDetailDto extends TicketDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The facts behind the reasons, as of the scan.' })
  evidence!: unknown;
  @ApiPropertyOptional({
    type: FamilyContactsDto,
    description: "The student's family contacts where the roster has them: for state and district admins, help desk and attendance only.",
  })
  familyContacts?: FamilyContactsDto;
  @ApiProperty({ type: [TicketEventDto] }) history!: TicketEventDto[];
  @ApiProperty({ type: [OutreachAttemptDto] }) outreachAttempts!: OutreachAttemptDto[];
}

export class UpdateTicketDto {
  @ApiPropertyOptional({ enum: TICKET_STATUSES }) @IsOptional() @IsIn(TICKET_STATUSES) status?: TicketStatus;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Who works on it; null unassigns.' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 200)
  assignee?: string | null;
  @ApiPropertyOptional({ example: 'replaced_screen' }) @IsOptional() @IsString() @Length(1, 200) resolution?: string;
}

export class CreateTicketDto {
  @ApiProperty({ enum: TICKET_TYPES, description: 'repair: a walk-in broken device; needs deviceId.' })
  @IsIn(TICKET_TYPES)
  type!: TicketType;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() districtId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() studentId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() deviceId?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsString({ each: true }) reasons?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 4000) note?: string;
}

export class CommentDto {
  @ApiProperty({ maxLength: 4000 }) @IsString() @Length(1, 4000) body!: string;
}

export class CreateOutreachAttemptDto {
  @ApiProperty({ enum: OUTREACH_CHANNELS }) @IsIn(OUTREACH_CHANNELS) channel!: (typeof OUTREACH_CHANNELS)[number];
  @ApiProperty({ enum: OUTREACH_OUTCOMES }) @IsIn(OUTREACH_OUTCOMES) outcome!: (typeof OUTREACH_OUTCOMES)[number];
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: now.' })
  @IsOptional()
  @IsDateString({ strict: true })
  attemptedAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 4000) note?: string;
}

export class HomeVisitSheetQueryDto {
  @ApiProperty({ format: 'uuid', description: 'The school whose open outreach tickets the sheet lists.' })
  @IsUUID()
  schoolId!: string;
}

export class TicketChangesQueryDto {
  @ApiPropertyOptional({
    description: 'The nextCursor of the previous poll. Without it: no tickets, only a cursor to poll from (load the list first).',
  })
  @IsOptional()
  @IsString()
  since?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'A state token may narrow the feed to one district; a district token sees its own.' })
  @IsOptional()
  @IsUUID()
  districtId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() schoolId?: string;
  @TicketTypes() type?: TicketType[];
}

export class TicketChangesDto {
  @ApiProperty({
    type: [TicketDto],
    description:
      'Tickets created or changed since the cursor, in any status (a resolved or closed one leaves the open queue). ' +
      'A ticket may come again in a later poll: apply them by id, the latest wins.',
  })
  data!: TicketDto[];
  @ApiProperty({ description: 'Pass as `since` in the next poll.' }) nextCursor!: string;
  @ApiProperty({ description: 'More changes are waiting: poll again at once with nextCursor.' }) more!: boolean;
}

export class BulkTicketChangeDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 500, description: 'The tickets picked in the queue.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  ticketIds!: string[];
  @ApiProperty({
    enum: ['assign', 'close'],
    description: 'assign: give them all to `assignee`; close: close them all with one `resolution`.',
  })
  @IsIn(['assign', 'close'])
  action!: 'assign' | 'close';
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'assign (required): who works on them; `me`: the caller; null unassigns.',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 200)
  assignee?: string | null;
  @ApiPropertyOptional({ example: 'duplicate', description: "close (required): the one reason, each ticket's resolution." })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  resolution?: string;
}

export class BulkTicketChangeResultDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Tickets changed, each with a history event and an audit row.' })
  changed!: string[];
  @ApiProperty({ type: [String], format: 'uuid', description: 'Tickets already so (assigned to them, or closed): left as they were.' })
  unchanged!: string[];
}
