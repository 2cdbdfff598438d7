import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { domainError } from '../common/errors/error-codes.js';
import { PUBLIC_KEY, ROLES_KEY } from './access.decorators.js';
import type { Principal, Role } from './principal.js';
import { TokenCache } from './token-cache.js';
import { hashSecret } from './token-secret.js';
import { TokensRepository } from './tokens.repository.js';

export type AuthenticatedRequest = Request & { principal?: Principal };

/**
 * Global guard: every route is closed unless it is marked @Public() or lists its @Roles().
 * A route with neither is refused outright, so a forgotten decorator cannot open it.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensRepository,
    private readonly cache: TokenCache,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match) {
      throw domainError('missing_token');
    }
    request.principal = await this.resolve(match[1]);

    const role = request.principal.role;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles?.includes(role)) {
      throw domainError('role_not_allowed', role);
    }
    return true;
  }

  private async resolve(secret: string): Promise<Principal> {
    const secretHash = hashSecret(secret);
    const key = secretHash.toString('base64');
    const cached = this.cache.get(key);
    if (cached) return cached;
    const token = await this.tokens.findActiveBySecretHash(secretHash);
    if (!token) throw domainError('invalid_token');
    const principal: Principal = { tokenId: token.id, name: token.name, role: token.role, districtId: token.districtId };
    this.cache.set(key, principal);
    return principal;
  }
}
