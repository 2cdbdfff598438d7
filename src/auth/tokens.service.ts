import { Injectable, Logger } from '@nestjs/common';
import { domainError, referenceNotFound } from '../common/errors/error-codes.js';
import { FOREIGN_KEY_VIOLATION, violatedConstraint } from '../database/pg-errors.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { SYSTEM_ACTOR } from '../common/actor.js';
import type { Principal } from './principal.js';
import { actorOf, districtFor } from './scope.js';
import { CreatedTokenDto, TokenDto, type CreateTokenDto } from './tokens.dto.js';
import { TokenCache } from './token-cache.js';
import { StaffRepository } from './staff.repository.js';
import { TokensRepository } from './tokens.repository.js';
import { hashSecret, newSecret } from './token-secret.js';

@Injectable()
export class TokensService {
  private readonly logger = new Logger('tokens');

  constructor(
    private readonly tokens: TokensRepository,
    private readonly uow: UnitOfWork,
    private readonly cache: TokenCache,
    private readonly staff: StaffRepository,
  ) {}

  async create(principal: Principal, input: CreateTokenDto): Promise<CreatedTokenDto> {
    if (input.role === 'state_admin') {
      if (principal.role !== 'state_admin') {
        throw domainError('role_not_allowed', principal.role, 'create a state admin token');
      }
      if (input.districtId) {
        throw domainError('validation_failed', [{ field: 'districtId', message: 'must be absent for role state_admin' }]);
      }
    }
    const districtId = input.role === 'state_admin' ? null : districtFor(principal, input.districtId);
    const secret = newSecret();
    try {
      return await this.uow.run(actorOf(principal), async (tx) => {
        if (input.staffUserId && !(await this.staff.findById(input.staffUserId, districtId, tx.em))) {
          throw referenceNotFound('staff_user_not_found', 'staffUserId', input.staffUserId);
        }
        const token = await this.tokens.insert(tx.em, {
          staffUserId: input.staffUserId ?? null,
          name: input.name,
          role: input.role,
          districtId,
          secretHash: hashSecret(secret),
          createdBy: principal.tokenId,
        });
        const dto = TokenDto.from(token);
        tx.audit({ districtId, entityType: 'api_token', entityId: token.id, action: 'create', after: dto });
        return { ...dto, secret };
      });
    } catch (error) {
      if (violatedConstraint(error, FOREIGN_KEY_VIOLATION)) {
        throw referenceNotFound('district_not_found', 'districtId', districtId ?? undefined);
      }
      throw error;
    }
  }

  async list(principal: Principal): Promise<TokenDto[]> {
    return (await this.tokens.list(principal.districtId)).map((t) => TokenDto.from(t));
  }

  /** The token making the request; a staff user's own session has none (sessions/current is the way for everyone). */
  async me(principal: Principal): Promise<TokenDto> {
    if (!principal.tokenId) throw domainError('no_token_in_session');
    return this.get(principal, principal.tokenId);
  }

  async get(principal: Principal, id: string): Promise<TokenDto> {
    const token = await this.tokens.findById(id, principal.districtId);
    if (!token) throw domainError('api_token_not_found', id);
    return TokenDto.from(token);
  }

  async revoke(principal: Principal, id: string): Promise<TokenDto> {
    const revoked = await this.uow.run(actorOf(principal), async (tx) => {
      const before = await this.tokens.findById(id, principal.districtId, tx.em);
      if (!before) throw domainError('api_token_not_found', id);
      if (before.role === 'state_admin' && principal.role !== 'state_admin') throw domainError('api_token_not_found', id);
      await this.tokens.revoke(tx.em, id);
      const after = TokenDto.from((await this.tokens.findById(id, null, tx.em))!);
      tx.audit({
        districtId: before.districtId,
        entityType: 'api_token',
        entityId: id,
        action: 'revoke',
        before: TokenDto.from(before),
        after,
      });
      return after;
    });
    this.cache.forget(id);
    return revoked;
  }

  /**
   * Makes BOOTSTRAP_ADMIN_TOKEN a working state admin token on a new install. A token with that secret
   * that already exists is left as it is: once revoked it stays revoked, so a leaked secret can be retired.
   */
  async ensureBootstrapToken(secret: string): Promise<void> {
    const secretHash = hashSecret(secret);
    await this.uow.run({ tokenId: null, name: SYSTEM_ACTOR }, async (tx) => {
      const input = { name: 'bootstrap admin', role: 'state_admin' as const, districtId: null, secretHash, createdBy: null };
      const created = await this.tokens.insertIfAbsent(tx.em, input);
      if (!created) return;
      tx.audit({ districtId: null, entityType: 'api_token', entityId: created, action: 'bootstrap' });
      this.logger.log('bootstrap admin token created');
    });
  }
}
