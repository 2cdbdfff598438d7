import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Clock } from '../common/clock.js';
import { domainError } from '../common/errors/error-codes.js';
import { UnitOfWork, type Tx } from '../database/unit-of-work.js';
import type { Actor } from '../common/actor.js';
import type { AuditEntry } from '../database/audit-sink.js';
import type { Principal } from './principal.js';
import { actorOf } from './scope.js';
import { SessionsRepository, type SessionOwner } from './sessions.repository.js';
import { CurrentSessionDto } from './sessions.dto.js';
import { SignInLimiter } from './sign-in-limiter.js';
import type { StaffUser } from './staff.domain.js';
import { StaffUserDto } from './staff.dto.js';
import { StaffRepository } from './staff.repository.js';
import { hashSecret } from './token-secret.js';
import { TokensRepository } from './tokens.repository.js';

/** A session's last-seen time is written at most this often: the idle timeout is this precise. */
const TOUCH_EVERY_MS = 60_000;

/** A new session: the cookie value (shown once, to the browser) and who it is for. */
export interface OpenedSession {
  secret: string;
  current: CurrentSessionDto;
}

@Injectable()
export class SessionsService {
  private readonly logger = new Logger('sessions');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsRepository,
    private readonly staff: StaffRepository,
    private readonly tokens: TokensRepository,
    private readonly limiter: SignInLimiter,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** The principal of a session cookie; 401 when the session has ended for any reason. */
  async resolve(secret: string): Promise<Principal> {
    const now = this.clock.now();
    const session = await this.sessions.findLive(
      hashSecret(secret),
      new Date(now.getTime() - this.config.sessionIdleMs),
      new Date(now.getTime() - this.config.sessionMaxMs),
    );
    if (!session) throw domainError('session_expired');
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await this.sessions.touch(session.id, now, new Date(now.getTime() - TOUCH_EVERY_MS));
    }
    return {
      tokenId: session.tokenId,
      staffUserId: session.staffUserId,
      name: session.name,
      role: session.role,
      districtId: session.districtId,
      schoolIds: session.schoolIds,
      sessionId: session.id,
    };
  }

  /** Token sign-in: any live token opens a browser session with its own rights. `requestId` goes on its audit row. */
  async signInWithToken(token: string, address: string, requestId: string): Promise<OpenedSession> {
    if (!this.config.tokenSignIn) throw domainError('token_sign_in_disabled');
    await this.limiter.assertAllowed(address);
    const found = await this.tokens.findActiveBySecretHash(hashSecret(token.trim()));
    if (!found) {
      this.logger.warn({ code: 'token_sign_in_refused', reason: 'invalid_token' }, 'token sign-in refused');
      await this.limiter.failed(address);
      throw domainError('invalid_token');
    }
    await this.limiter.succeeded(address);
    const actor = { tokenId: found.id, staffUserId: found.staffUserId, name: found.name, requestId };
    const opened = await this.open({ staffUserId: null, apiTokenId: found.id }, actor, (tx) => {
      tx.audit({ districtId: found.districtId, entityType: 'api_token', entityId: found.id, action: 'sign_in' });
    });
    const principal: Principal = {
      tokenId: found.id,
      staffUserId: found.staffUserId,
      name: found.name,
      role: found.role,
      districtId: found.districtId,
      schoolIds: found.schoolIds,
      sessionId: opened.id,
    };
    return { secret: opened.secret, current: await this.current(principal) };
  }

  /** Sign-in with the identity provider, once the person is known to be this active staff user. */
  async signInStaffUser(user: StaffUser, requestId: string): Promise<string> {
    const at = this.clock.now();
    const actor = { tokenId: null, staffUserId: user.id, name: user.email, requestId };
    const opened = await this.open({ staffUserId: user.id, apiTokenId: null }, actor, async (tx) => {
      await this.staff.recordSignIn(tx.em, user.id, at);
      tx.audit({ districtId: user.districtId, entityType: 'staff_user', entityId: user.id, action: 'sign_in' });
    });
    this.logger.log({ code: 'staff_signed_in', staffUserId: user.id }, 'staff user signed in');
    return opened.secret;
  }

  async current(principal: Principal): Promise<CurrentSessionDto> {
    const staffUser = principal.staffUserId ? await this.staff.findById(principal.staffUserId, null) : null;
    return {
      via: principal.sessionId ? 'session' : 'bearer',
      role: principal.role,
      districtId: principal.districtId,
      schoolIds: principal.schoolIds,
      staffUser: staffUser && StaffUserDto.from(staffUser),
      token: principal.tokenId ? { id: principal.tokenId, name: principal.name } : null,
    };
  }

  async signOut(principal: Principal): Promise<void> {
    const sessionId = principal.sessionId;
    if (!sessionId) throw domainError('no_session');
    await this.uow.run(actorOf(principal), async (tx) => {
      await this.sessions.delete(tx.em, sessionId);
      tx.audit(this.sessionAudit(principal, 'sign_out'));
    });
  }

  /** Ends every session of the signed-in staff user, or every session opened with the caller's token. */
  async signOutEverywhere(principal: Principal): Promise<number> {
    const owner = principal.tokenId
      ? { staffUserId: null, apiTokenId: principal.tokenId }
      : { staffUserId: principal.staffUserId, apiTokenId: null };
    return this.uow.run(actorOf(principal), async (tx) => {
      const ended = await this.sessions.deleteAllOf(tx.em, owner);
      tx.audit({ ...this.sessionAudit(principal, 'sign_out_everywhere'), after: { ended } });
      return ended;
    });
  }

  private sessionAudit(principal: Principal, action: string): AuditEntry {
    return principal.tokenId
      ? { districtId: principal.districtId, entityType: 'api_token', entityId: principal.tokenId, action }
      : { districtId: principal.districtId, entityType: 'staff_user', entityId: principal.staffUserId ?? '', action };
  }

  private async open(owner: SessionOwner, actor: Actor, record: (tx: Tx) => Promise<void> | void): Promise<{ id: string; secret: string }> {
    const at = this.clock.now();
    const secret = randomBytes(32).toString('base64url');
    const id = await this.uow.run(actor, async (tx) => {
      const sessionId = await this.sessions.insert(tx.em, hashSecret(secret), owner, at);
      await record(tx);
      return sessionId;
    });
    // Housekeeping on sign-in, which is rare enough to carry it: sessions past their limits are dropped.
    await this.sessions.deleteExpired(
      new Date(at.getTime() - this.config.sessionIdleMs),
      new Date(at.getTime() - this.config.sessionMaxMs),
    );
    return { id, secret };
  }
}
