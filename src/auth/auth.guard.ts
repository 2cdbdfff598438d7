import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { domainError } from '../common/errors/error-codes.js';
import { DISTRICT_WIDE_KEY, PUBLIC_KEY, ROLES_KEY, SAME_ORIGIN_KEY } from './access.decorators.js';
import { clientAddress, isSafeMethod, isSameOriginRequest, readCookie, SESSION_COOKIE } from './http-context.js';
import type { Principal, Role } from './principal.js';
import { SessionsService } from './sessions.service.js';
import { RateLimiter } from './rate-limiter.js';
import { SignInLimiter } from './sign-in-limiter.js';
import { TokenCache } from './token-cache.js';
import { hashSecret } from './token-secret.js';
import { TokensRepository } from './tokens.repository.js';

export type AuthenticatedRequest = Request & { principal?: Principal };

/** What the per-token (or per-staff-user) rate limit counts a principal's requests under. */
function principalSubject({ staffUserId, tokenId, sessionId }: Principal): { subject: 'principal'; id: string } {
  return { subject: 'principal', id: staffUserId ? `staff:${staffUserId}` : `token:${tokenId ?? sessionId ?? 'none'}` };
}

/**
 * Global guard: every route is closed unless it is marked @Public() or lists its @Roles().
 * A route with neither is refused outright, so a forgotten decorator cannot open it.
 * Callers present a bearer token (integrations) or a session cookie (people in a browser); a cookie
 * request that changes something must come from Reconnect's own origin.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensRepository,
    private readonly cache: TokenCache,
    private readonly sessions: SessionsService,
    private readonly limiter: SignInLimiter,
    private readonly rates: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const address = { subject: 'address' as const, id: clientAddress(request) };
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      await this.rates.hitAll([address]);
      if (this.reflector.getAllAndOverride<boolean>(SAME_ORIGIN_KEY, targets)) this.assertSameOrigin(request);
      return true;
    }

    // A token this process knows needs no lookup, so its address and the token itself are counted in one
    // round trip; anything else is counted by address before it is looked up, as a guessed token must be.
    // The principal is copied with the request's id: a cached one is shared by every request of its token.
    const known = this.cachedTokenPrincipal(request);
    if (known) {
      request.principal = { ...known, requestId: request.id };
      await this.rates.hitAll([address, principalSubject(known)]);
    } else {
      await this.rates.hitAll([address]);
      request.principal = { ...(await this.authenticate(request)), requestId: request.id };
      await this.rates.hitAll([principalSubject(request.principal)]);
    }

    const role = request.principal.role;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles?.includes(role)) {
      throw domainError('role_not_allowed', role);
    }
    if (request.principal.schoolIds && this.reflector.getAllAndOverride<boolean>(DISTRICT_WIDE_KEY, targets)) {
      throw domainError('outside_school_scope');
    }
    return true;
  }

  private bearerSecret(request: Request): string | undefined {
    return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  }

  private cachedTokenPrincipal(request: Request): Principal | null {
    const secret = this.bearerSecret(request);
    return secret === undefined ? null : this.cache.get(hashSecret(secret).toString('base64'));
  }

  private async authenticate(request: Request): Promise<Principal> {
    const secret = this.bearerSecret(request);
    if (secret !== undefined) return this.resolveToken(secret, clientAddress(request));
    const session = readCookie(request, SESSION_COOKIE);
    if (session) {
      this.assertSameOrigin(request);
      return this.sessions.resolve(session);
    }
    throw domainError('missing_token');
  }

  private assertSameOrigin(request: Request): void {
    if (!isSafeMethod(request.method) && !isSameOriginRequest(request, this.config.publicUrl)) throw domainError('cross_site_request');
  }

  /**
   * Tokens are cached for TOKEN_CACHE_TTL_MS; an address that keeps presenting unknown tokens is slowed
   * and then refused, but a token already known here keeps working from it.
   */
  private async resolveToken(secret: string, address: string): Promise<Principal> {
    const secretHash = hashSecret(secret);
    const key = secretHash.toString('base64');
    const cached = this.cache.get(key);
    if (cached) return cached;
    await this.limiter.assertAllowed(address);
    const token = await this.tokens.findActiveBySecretHash(secretHash);
    if (!token) {
      await this.limiter.failed(address);
      throw domainError('invalid_token');
    }
    const principal: Principal = {
      tokenId: token.id,
      staffUserId: token.staffUserId,
      name: token.name,
      role: token.role,
      districtId: token.districtId,
      schoolIds: token.schoolIds,
      sessionId: null,
    };
    this.cache.set(key, principal);
    return principal;
  }
}
