import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { domainError } from '../common/errors/error-codes.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { IdentityProviderDto, type PutIdentityProviderDto } from './identity-providers.dto.js';
import { IdentityProvidersRepository } from './identity-providers.repository.js';
import { OidcClients, providerSecretPurpose } from './oidc-clients.js';
import type { Principal } from './principal.js';
import { actorOf, districtFor } from './scope.js';
import { seal } from './secret-box.js';
import { DistrictLookup } from './district-lookup.js';

@Injectable()
export class IdentityProvidersService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly providers: IdentityProvidersRepository,
    private readonly districts: DistrictLookup,
    private readonly clients: OidcClients,
    private readonly uow: UnitOfWork,
  ) {}

  async get(principal: Principal, districtId: string, baseUrl: string): Promise<IdentityProviderDto> {
    districtFor(principal, districtId);
    const provider = await this.providers.find(districtId);
    if (!provider) throw domainError('identity_provider_not_found', districtId, 'district id');
    return IdentityProviderDto.from(provider, redirectUri(baseUrl));
  }

  async put(principal: Principal, districtId: string, input: PutIdentityProviderDto, baseUrl: string): Promise<IdentityProviderDto> {
    districtFor(principal, districtId);
    if (!(await this.districts.exists(districtId))) throw domainError('district_not_found', districtId);
    const key = this.config.secretsKey;
    if (!key) throw domainError('secrets_key_missing');
    const issuer = input.issuer.replace(/\/+$/, '');
    if (!issuer.startsWith('https://') && !this.config.oidcAllowHttp) {
      throw domainError('validation_failed', [{ field: 'issuer', message: 'must be an https:// URL' }]);
    }
    // A typo in the issuer or a provider that does not answer is better found now than at the first sign-in.
    try {
      await this.clients.discover(issuer, input.clientId, input.clientSecret);
    } catch (error) {
      throw domainError('identity_provider_unreachable', (error as Error).message);
    }
    const allowedDomains = [...new Set(input.allowedDomains.map((d) => d.toLowerCase()))];
    return this.uow.run(actorOf(principal), async (tx) => {
      const before = await this.providers.find(districtId, tx.em);
      const row = await this.providers.upsert(tx.em, {
        districtId,
        issuer,
        clientId: input.clientId,
        clientSecretEncrypted: seal(key, input.clientSecret, providerSecretPurpose(districtId)),
        allowedDomains,
      });
      const dto = IdentityProviderDto.from(row, redirectUri(baseUrl));
      // The secret is never in the audit trail; that it changed is.
      tx.audit({
        districtId,
        entityType: 'identity_provider',
        entityId: districtId,
        action: before ? 'update' : 'create',
        before: before && { issuer: before.issuer, clientId: before.clientId, allowedDomains: before.allowedDomains },
        after: { issuer, clientId: input.clientId, allowedDomains, clientSecret: 'replaced' },
      });
      return dto;
    });
  }
}

export const redirectUri = (baseUrl: string): string => `${baseUrl}/auth/oidc/callback`;
