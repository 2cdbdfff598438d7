import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ROLES, type Role } from './principal.js';
import { StaffUserDto } from './staff.dto.js';

export class TokenSignInDto {
  @ApiProperty({ description: 'An API token (BOOTSTRAP_ADMIN_TOKEN included).' })
  @IsString()
  @Length(1, 500)
  token!: string;
}

export class SessionTokenDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class CurrentSessionDto {
  @ApiProperty({ enum: ['session', 'bearer'], description: 'How the request was authenticated.' }) via!: 'session' | 'bearer';
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ format: 'uuid', type: String, nullable: true }) districtId!: string | null;
  @ApiProperty({
    type: [String],
    format: 'uuid',
    nullable: true,
    description: 'The schools the caller is confined to; null: the whole district.',
  })
  schoolIds!: string[] | null;
  @ApiProperty({ type: StaffUserDto, nullable: true, description: 'The staff user signed in, or who owns the token.' })
  staffUser!: StaffUserDto | null;
  @ApiProperty({ type: SessionTokenDto, nullable: true, description: 'The token used, directly or to sign in.' })
  token!: SessionTokenDto | null;
}

export class SignOutEverywhereDto {
  @ApiProperty({ description: 'How many sessions ended.' }) ended!: number;
}
