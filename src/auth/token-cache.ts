import { Injectable } from '@nestjs/common';
import type { Principal } from './principal.js';

/** How long a resolved token is trusted without asking PostgreSQL again. */
export const TOKEN_CACHE_TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

/**
 * Every request carries a token, and at hundreds of requests a second looking each one up is a
 * noticeable share of the work. A token revoked here is dropped at once; other processes stop
 * accepting it within TOKEN_CACHE_TTL_MS.
 */
@Injectable()
export class TokenCache {
  private readonly entries = new Map<string, { principal: Principal; expires: number }>();

  get(secretHash: string): Principal | null {
    const entry = this.entries.get(secretHash);
    if (!entry) return null;
    if (entry.expires < Date.now()) {
      this.entries.delete(secretHash);
      return null;
    }
    return entry.principal;
  }

  set(secretHash: string, principal: Principal): void {
    if (this.entries.size >= MAX_ENTRIES) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(secretHash, { principal, expires: Date.now() + TOKEN_CACHE_TTL_MS });
  }

  forget(tokenId: string): void {
    for (const [key, entry] of this.entries) {
      if (entry.principal.tokenId === tokenId) this.entries.delete(key);
    }
  }

  /** Drops the tokens a staff user owns, whose access follows the owner's (disabled, re-scoped). */
  forgetStaffUser(staffUserId: string): void {
    for (const [key, entry] of this.entries) {
      if (entry.principal.staffUserId === staffUserId) this.entries.delete(key);
    }
  }
}
