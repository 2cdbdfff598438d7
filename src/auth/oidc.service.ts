import { Inject, Injectable, Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/errors/domain-error.js';
import { DistrictLookup } from './district-lookup.js';
import { IdentityProvidersRepository, type IdentityProviderRow } from './identity-providers.repository.js';
import { redirectUri } from './identity-providers.service.js';
import { OidcClients } from './oidc-clients.js';
import { PENDING_PURPOSE, PENDING_TTL_MS, safeReturnPath, type PendingSignIn, type Refusal } from './oidc.domain.js';
import { SessionsService } from './sessions.service.js';
import { seal, unseal } from './secret-box.js';
import { SignInLimiter } from './sign-in-limiter.js';
import { emailDomain, normalizeEmail } from './staff.domain.js';
import { StaffRepository } from './staff.repository.js';

export interface Refused {
  refused: Refusal;
  retryAfterSeconds?: number;
}
export type StartOutcome = { redirect: string; pending: string } | Refused;
export type CallbackOutcome = { session: string; returnTo: string } | Refused;

const GOOGLE_ISSUER = 'https://accounts.google.com';

/**
 * Sign-in with the district's OpenID Connect provider: authorization code flow with PKCE, state and
 * nonce. Only an active staff user of that district, with an email the provider has verified, gets in.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger('oidc');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly providers: IdentityProvidersRepository,
    private readonly clients: OidcClients,
    private readonly districts: DistrictLookup,
    private readonly staff: StaffRepository,
    private readonly sessions: SessionsService,
    private readonly limiter: SignInLimiter,
    private readonly clock: Clock,
  ) {}

  async start(input: { email?: string; district?: string; returnTo?: string }, baseUrl: string, address: string): Promise<StartOutcome> {
    const key = this.config.secretsKey;
    return this.guarded<{ redirect: string; pending: string }>(address, null, async () => {
      const found = await this.findDistrict(input);
      if ('refused' in found) return found;
      const provider = await this.providers.find(found.districtId);
      if (!key || !provider) return { refused: 'not_set_up' };
      const client = await this.client(provider);
      if (!client) return { refused: 'provider_error' };
      const pending: PendingSignIn = {
        districtId: provider.districtId,
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
        redirectUri: redirectUri(baseUrl),
        returnTo: safeReturnPath(input.returnTo),
        expiresAt: this.clock.now().getTime() + PENDING_TTL_MS,
      };
      const onlyDomain = provider.allowedDomains.length === 1 ? provider.allowedDomains[0] : undefined;
      const url = oidc.buildAuthorizationUrl(client, {
        redirect_uri: pending.redirectUri,
        scope: 'openid email profile',
        response_type: 'code',
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
        ...(input.email ? { login_hint: normalizeEmail(input.email) } : {}),
        ...(provider.issuer === GOOGLE_ISSUER && onlyDomain ? { hd: onlyDomain } : {}),
      });
      return { redirect: url.href, pending: seal(key, JSON.stringify(pending), PENDING_PURPOSE).toString('base64url') };
    });
  }

  /** `query` is the callback's query string as the provider sent it. */
  async callback(query: string, pendingCookie: string | undefined, address: string, requestId: string): Promise<CallbackOutcome> {
    const pending = this.openPending(pendingCookie);
    return this.guarded<{ session: string; returnTo: string }>(address, pending?.districtId ?? null, async () => {
      if (!pending) return { refused: 'sign_in_expired' };
      const provider = await this.providers.find(pending.districtId);
      if (!provider) return { refused: 'not_set_up' };
      const client = await this.client(provider);
      if (!client) return { refused: 'provider_error' };
      let claims: Record<string, unknown>;
      try {
        const tokens = await oidc.authorizationCodeGrant(
          client,
          new URL(`${pending.redirectUri}?${query}`),
          { pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true },
          { redirect_uri: pending.redirectUri },
        );
        const idClaims = tokens.claims()!;
        // Some providers put the email only in the userinfo answer (claims requested by scope, code flow).
        claims =
          typeof idClaims['email'] === 'string'
            ? idClaims
            : { ...(await oidc.fetchUserInfo(client, tokens.access_token, idClaims.sub)), ...idClaims };
      } catch (error) {
        return { refused: flowFailure(error) };
      }
      const refusal = this.checkIdentity(provider, claims);
      if (refusal) return { refused: refusal };
      const user = await this.staff.findByEmail(normalizeEmail(claims['email'] as string));
      if (!user) return { refused: 'unknown_account' };
      if (user.districtId !== pending.districtId) return { refused: 'other_district' };
      if (!user.active) return { refused: 'account_disabled' };
      const session = await this.sessions.signInStaffUser(user, requestId);
      await this.limiter.succeeded(address);
      return { session, returnTo: pending.returnTo };
    });
  }

  /** The district to send the person to: by code, by their account's district, or by their email's domain. */
  private async findDistrict(input: { email?: string; district?: string }): Promise<{ districtId: string } | Refused> {
    if (input.district) {
      const id = await this.districts.idByCode(input.district);
      return id ? { districtId: id } : { refused: 'unknown_district' };
    }
    if (!input.email) return { refused: 'unknown_account' };
    const user = await this.staff.findByEmail(normalizeEmail(input.email));
    if (user?.districtId) return { districtId: user.districtId };
    const byDomain = await this.providers.districtsAllowingDomain(emailDomain(normalizeEmail(input.email)));
    return byDomain.length === 1 ? { districtId: byDomain[0] } : { refused: 'unknown_account' };
  }

  private checkIdentity(provider: IdentityProviderRow, claims: Record<string, unknown>): Refusal | null {
    const email = claims['email'];
    // Entra ID says a verified email's domain is the tenant's with xms_edov rather than email_verified.
    const verified = claims['email_verified'] === true || claims['email_verified'] === 'true' || claims['xms_edov'] === true;
    if (typeof email !== 'string' || !verified) return 'email_unverified';
    const allowed = provider.allowedDomains;
    if (!allowed.length) return null;
    if (!allowed.includes(emailDomain(normalizeEmail(email)))) return 'wrong_domain';
    // Google names the Workspace domain of the account in hd; a personal account has none.
    const hd = claims['hd'];
    if (typeof hd === 'string' ? !allowed.includes(hd.toLowerCase()) : provider.issuer === GOOGLE_ISSUER) return 'wrong_domain';
    return null;
  }

  private openPending(cookie: string | undefined): PendingSignIn | null {
    const key = this.config.secretsKey;
    if (!cookie || !key) return null;
    const text = unseal(key, Buffer.from(cookie, 'base64url'), PENDING_PURPOSE);
    const pending = text ? (JSON.parse(text) as PendingSignIn) : null;
    return pending && pending.expiresAt > this.clock.now().getTime() ? pending : null;
  }

  private async client(provider: IdentityProviderRow): Promise<oidc.Configuration | null> {
    try {
      return await this.clients.forProvider(provider);
    } catch (error) {
      this.logger.warn(
        { code: 'provider_discovery_failed', districtId: provider.districtId, error: (error as Error).message },
        'identity provider did not answer',
      );
      return null;
    }
  }

  /** Refuses a locked address; counts and logs every refusal (by reason code and district only). */
  private async guarded<T extends object>(
    address: string,
    districtId: string | null,
    attempt: () => Promise<T | Refused>,
  ): Promise<T | Refused> {
    try {
      await this.limiter.assertAllowed(address);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'too_many_attempts') {
        return { refused: 'too_many_attempts', retryAfterSeconds: error.extra['retryAfterSeconds'] as number };
      }
      throw error;
    }
    const outcome = await attempt();
    if ('refused' in outcome) {
      this.logger.warn({ code: 'sign_in_refused', reason: outcome.refused, districtId }, 'sign-in refused');
      await this.limiter.failed(address);
    }
    return outcome;
  }
}

/** What went wrong in the code exchange, as far as the person signing in should know. */
function flowFailure(error: unknown): Refusal {
  const message = error instanceof Error ? `${error.message} ${(error.cause as Error | undefined)?.message ?? ''}` : '';
  if (error instanceof oidc.AuthorizationResponseError) return 'provider_refused';
  if (message.includes('"state"')) return 'state_mismatch';
  if (message.includes('"nonce"')) return 'nonce_mismatch';
  return 'provider_error';
}
