import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../common/errors/domain-error.js';
import { PUBLIC_KEY, ROLES_KEY } from './access.decorators.js';
import type { Principal, Role } from './principal.js';
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
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match) {
      throw new DomainError('unauthenticated', 'missing_token', 'Send an API token as "Authorization: Bearer <token>".');
    }
    const token = await this.tokens.findActiveBySecretHash(hashSecret(match[1]!));
    if (!token) throw new DomainError('unauthenticated', 'invalid_token', 'The API token is unknown or revoked.');
    request.principal = { tokenId: token.id, name: token.name, role: token.role, districtId: token.districtId };

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles?.includes(token.role)) {
      throw new DomainError('forbidden', 'role_not_allowed', `The role ${token.role} may not do this.`);
    }
    return true;
  }
}
