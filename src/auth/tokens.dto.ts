import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ROLES, type Role } from './principal.js';
import type { ApiTokenEntity } from './api-token.entity.js';

export class CreateTokenDto {
  @ApiProperty({ example: 'Help desk, Lincoln High', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Required for every role but state_admin; a district admin may omit it (their own).',
  })
  @IsOptional()
  @IsUUID()
  districtId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "A staff user of the token's district who owns it: the token stops working when they are disabled, and takes their school scope.",
  })
  @IsOptional()
  @IsUUID()
  staffUserId?: string;
}

export class TokenDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) districtId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The staff user who owns the token.' }) staffUserId!:
    string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;

  static from(token: ApiTokenEntity): TokenDto {
    return {
      id: token.id,
      name: token.name,
      role: token.role,
      districtId: token.districtId,
      staffUserId: token.staffUserId,
      createdAt: token.createdAt.toISOString(),
      revokedAt: token.revokedAt?.toISOString() ?? null,
    };
  }
}

export class CreatedTokenDto extends TokenDto {
  @ApiProperty({ description: 'The bearer secret. Shown only in this response; store it now.' })
  secret!: string;
}

export class TokenListDto {
  @ApiProperty({ type: [TokenDto] }) data!: TokenDto[];
}
