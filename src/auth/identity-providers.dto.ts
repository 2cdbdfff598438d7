import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, IsUrl, Length, Matches } from 'class-validator';
import type { IdentityProviderRow } from './identity-providers.repository.js';

export class PutIdentityProviderDto {
  @ApiProperty({
    example: 'https://accounts.google.com',
    description: 'The OpenID Connect issuer; its /.well-known/openid-configuration must answer.',
  })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] })
  @Length(1, 500)
  issuer!: string;

  @ApiProperty({ maxLength: 500 })
  @IsString()
  @Length(1, 500)
  clientId!: string;

  @ApiProperty({ maxLength: 2000, writeOnly: true, description: 'Stored encrypted with SECRETS_KEY; never returned.' })
  @IsString()
  @Length(1, 2000)
  clientSecret!: string;

  @ApiProperty({
    type: [String],
    example: ['lincolnschools.org'],
    description:
      "Email domains the district's staff sign in with; empty: any (the staff list still decides). For Google, also the hd claim.",
  })
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, { each: true, message: 'each allowed domain must be a domain name such as district.org' })
  allowedDomains!: string[];
}

export class IdentityProviderDto {
  @ApiProperty({ format: 'uuid' }) districtId!: string;
  @ApiProperty() issuer!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty({ type: [String] }) allowedDomains!: string[];
  @ApiProperty({ description: 'Register this redirect URI with the provider.' }) redirectUri!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(row: IdentityProviderRow, redirectUri: string): IdentityProviderDto {
    return {
      districtId: row.districtId,
      issuer: row.issuer,
      clientId: row.clientId,
      allowedDomains: row.allowedDomains,
      redirectUri,
      updatedAt: row.updatedAt.toISOString(),
    };
  }
}
