import { describe, expect, it, jest } from '@jest/globals';
import { TOKEN_CACHE_TTL_MS, TokenCache } from './token-cache.js';

const principal = {
  tokenId: 't1',
  staffUserId: null,
  name: 'desk',
  role: 'helpdesk' as const,
  districtId: 'd1',
  schoolIds: null,
  sessionId: null,
};

describe('TokenCache', () => {
  it('remembers a token for the TTL, and no longer', () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const cache = new TokenCache();
    cache.set('hash', principal);
    expect(cache.get('hash')).toEqual(principal);
    now.mockReturnValue(1_000_000 + TOKEN_CACHE_TTL_MS + 1);
    expect(cache.get('hash')).toBeNull();
    now.mockRestore();
  });

  it('forgets a revoked token at once', () => {
    const cache = new TokenCache();
    cache.set('hash', principal);
    cache.set('other', { ...principal, tokenId: 't2' });
    cache.forget('t1');
    expect(cache.get('hash')).toBeNull();
    expect(cache.get('other')).not.toBeNull();
  });

  it('forgets the tokens of a staff user at once', () => {
    const cache = new TokenCache();
    cache.set('owned', { ...principal, staffUserId: 's1' });
    cache.set('other', principal);
    cache.forgetStaffUser('s1');
    expect(cache.get('owned')).toBeNull();
    expect(cache.get('other')).not.toBeNull();
  });
});
