import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { one } from '../database/sql.js';

/** A district's OpenID Connect provider; the client secret stays sealed (see secret-box.ts). */
export interface IdentityProviderRow {
  districtId: string;
  issuer: string;
  clientId: string;
  clientSecretEncrypted: Buffer;
  allowedDomains: string[];
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `district_id AS "districtId", issuer, client_id AS "clientId", client_secret_encrypted AS "clientSecretEncrypted",
  allowed_domains AS "allowedDomains", created_at AS "createdAt", updated_at AS "updatedAt"`;

@Injectable()
export class IdentityProvidersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  find(districtId: string, em: EntityManager = this.db.manager): Promise<IdentityProviderRow | null> {
    return one<IdentityProviderRow>(em, `SELECT ${COLUMNS} FROM district_identity_providers WHERE district_id = $1`, [districtId]);
  }

  /** The districts whose provider allows this email domain. */
  async districtsAllowingDomain(domain: string): Promise<string[]> {
    const row = await one<{ ids: string[] }>(
      this.db.manager,
      `SELECT coalesce(array_agg(district_id::text), '{}') AS ids FROM district_identity_providers WHERE allowed_domains @> ARRAY[$1::text]`,
      [domain],
    );
    return row?.ids ?? [];
  }

  async upsert(
    em: EntityManager,
    provider: Pick<IdentityProviderRow, 'districtId' | 'issuer' | 'clientId' | 'clientSecretEncrypted' | 'allowedDomains'>,
  ): Promise<IdentityProviderRow> {
    const row = await one<IdentityProviderRow>(
      em,
      `INSERT INTO district_identity_providers (district_id, issuer, client_id, client_secret_encrypted, allowed_domains)
       VALUES ($1, $2, $3, $4, $5::text[])
       ON CONFLICT (district_id) DO UPDATE SET issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id,
         client_secret_encrypted = EXCLUDED.client_secret_encrypted, allowed_domains = EXCLUDED.allowed_domains, updated_at = now()
       RETURNING ${COLUMNS}`,
      [provider.districtId, provider.issuer, provider.clientId, provider.clientSecretEncrypted, provider.allowedDomains],
    );
    return row!;
  }
}
