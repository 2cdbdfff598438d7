import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { DistrictPageQueryDto } from '../common/http/pagination.js';
import { ROLES, type Role } from './principal.js';
import type { StaffUser } from './staff.domain.js';

const defined = (_: object, value: unknown): boolean => value !== undefined;
const SCHOOL_IDS_HELP =
  "Confines the person to these schools of the district (a school technician): they see and change only those schools' students and devices. Absent or null: the whole district.";

export class CreateStaffUserDto {
  @ApiProperty({ format: 'email', maxLength: 320, description: 'The address their identity provider vouches for; unique, any case.' })
  @IsEmail()
  @Length(3, 320)
  email!: string;

  @ApiProperty({ maxLength: 200, example: 'Dana Whitfield' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: ROLES, description: 'A district admin may give any role but state_admin.' })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Required for every role but state_admin; a district admin may omit it (their own).',
  })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', nullable: true, description: SCHOOL_IDS_HELP })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  schoolIds?: string[] | null;
}

export class UpdateStaffUserDto {
  @ApiPropertyOptional({ format: 'email', maxLength: 320 })
  @ValidateIf(defined)
  @IsEmail()
  @Length(3, 320)
  email?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @ValidateIf(defined)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: ROLES, description: "Changing the role ends the person's sessions." })
  @ValidateIf(defined)
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    nullable: true,
    description: `${SCHOOL_IDS_HELP} Changing it ends the person's sessions.`,
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  schoolIds?: string[] | null;

  @ApiPropertyOptional({ description: 'false disables the account: its sessions end and its tokens stop working at once.' })
  @ValidateIf(defined)
  @IsBoolean()
  active?: boolean;
}

export class StaffListQueryDto extends DistrictPageQueryDto {
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ format: 'email', description: 'Finds the account with this email (any case).' })
  @IsOptional()
  @IsString()
  @Length(1, 320)
  email?: string;
}

export class StaffUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'email' }) email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ format: 'uuid', type: String, nullable: true }) districtId!: string | null;
  @ApiProperty({ type: [String], format: 'uuid', nullable: true }) schoolIds!: string[] | null;
  @ApiProperty() active!: boolean;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) lastSignInAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(user: StaffUser): StaffUserDto {
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      districtId: user.districtId,
      schoolIds: user.schoolIds,
      active: user.active,
      lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
      createdAt: user.createdAt.toISOString(),
      updatedAt: user.updatedAt.toISOString(),
    };
  }
}

export class StaffUserPageDto {
  @ApiProperty({ type: [StaffUserDto] }) data!: StaffUserDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page.' }) nextCursor!:
    string | null;
}
