import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class OidcStartQueryDto {
  @ApiPropertyOptional({ description: "The person's school email: finds their district." })
  @IsOptional()
  @IsString()
  @Length(1, 320)
  email?: string;

  @ApiPropertyOptional({ description: 'A district code, instead of the email.' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  district?: string;

  @ApiPropertyOptional({ description: 'A path on this site to land on after signing in.' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  returnTo?: string;
}

export class SignInPageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  returnTo?: string;
}

export class TokenFormDto {
  @IsString()
  @Length(1, 500)
  token!: string;

  @IsOptional()
  @IsString()
  @Length(1, 2000)
  returnTo?: string;
}
