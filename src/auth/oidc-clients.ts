import { Inject, Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { IdentityProviderRow } from './identity-providers.repository.js';
import { unseal } from './secret-box.js';

/** How long a provider's discovered configuration (endpoints, keys) is reused before it is read again. */
const DISCOVERY_TTL_MS = 10 * 60_000;
const DISCOVERY_TIMEOUT_S = 10;

export const providerSecretPurpose = (districtId: string): string => `identity-provider:${districtId}`;

/**
 * openid-client configurations per district, discovered from the issuer and kept for a while. A
 * provider saved on this process replaces its entry at once; other processes pick it up within
 * DISCOVERY_TTL_MS.
 */
@Injectable()
export class OidcClients {
  private readonly entries = new Map<string, { config: oidc.Configuration; updatedAt: number; expires: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Reads the issuer's discovery document with these credentials; throws when it does not answer. */
  discover(issuer: string, clientId: string, clientSecret: string): Promise<oidc.Configuration> {
    return oidc.discovery(new URL(issuer), clientId, clientSecret, undefined, {
      timeout: DISCOVERY_TIMEOUT_S,
      execute: this.config.oidcAllowHttp ? [oidc.allowInsecureRequests] : [],
    });
  }

  async forProvider(provider: IdentityProviderRow): Promise<oidc.Configuration> {
    const entry = this.entries.get(provider.districtId);
    if (entry && entry.expires > Date.now() && entry.updatedAt === provider.updatedAt.getTime()) return entry.config;
    const secret =
      this.config.secretsKey && unseal(this.config.secretsKey, provider.clientSecretEncrypted, providerSecretPurpose(provider.districtId));
    if (!secret) throw new Error('the client secret cannot be decrypted with SECRETS_KEY');
    const config = await this.discover(provider.issuer, provider.clientId, secret);
    this.entries.set(provider.districtId, { config, updatedAt: provider.updatedAt.getTime(), expires: Date.now() + DISCOVERY_TTL_MS });
    return config;
  }
}
